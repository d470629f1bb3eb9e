/**
 * Every vendor, every step of a request that touches the store, with a failing write and a failing
 * fdatasync: the refusal is the vendor's internal error with a diagnostic, health turns 503, reads keep
 * answering and show nothing refused, and no promise is left rejected (a real process would exit).
 */
import { describe, expect, it } from 'vitest';
import { disk, useFailingDisk } from '../helpers/failing-disk.js';
import { finext, LILI111 } from '../helpers/finext.js';
import {
  DRIVERS,
  HOUR,
  KINDS,
  REFUSED,
  expectControlRefusal,
  expectFailingHealth,
  failOnStrayRejections,
  failingSandbox,
  newKey,
} from '../helpers/store-failure.js';
import { control } from '../helpers/sandbox.js';

useFailingDisk();
failOnStrayRejections();

describe.each(KINDS)('a failing %s: the operation and its idempotency key', (kind) => {
  it.each(DRIVERS)("$vendor: a keyed write answers the vendor's internal error, keeps no answer for its key, and reads show nothing of it", async (driver) => {
    const sb = await failingSandbox(kind);
    await driver.setup(sb);
    const before = await driver.read(sb);
    disk.fail(kind);
    const key = newKey('FAIL');
    const refused = await driver.write(sb, key);
    expect(refused.body).toMatchObject(driver.internal);
    expect(refused.headers['x-sandbox-diagnostic']).toMatch(REFUSED);
    expect(sb.store.get('_idempotency', driver.tenant, key)).toBeUndefined();
    // The same key again is refused again, not replayed: no answer was kept for it.
    const again = await driver.write(sb, key);
    expect(again.body).toMatchObject(driver.internal);
    expect(await driver.read(sb)).toEqual(before);
    await expectFailingHealth(sb);
  });
});

describe.each(KINDS)('a failing %s: the Finext nonce (request_id)', (kind) => {
  const read = (sb: Awaited<ReturnType<typeof failingSandbox>>, request_id: string) =>
    finext(sb).call('getAccountDetails', { username: LILI111.username, request_id });

  it('a signed read whose nonce meets the failure still answers 10200; its request_id is refused after, and the store does not show it', async () => {
    const sb = await failingSandbox(kind);
    disk.fail(kind);
    const first = await read(sb, 'a'.repeat(32));
    expect(first.body).toMatchObject({ code: 10200, data: { username: LILI111.username } });
    await expectFailingHealth(sb);
    const repeat = await read(sb, 'a'.repeat(32));
    expect(repeat.body).toMatchObject({ code: 10403 });
    expect(repeat.headers['x-sandbox-diagnostic']).toMatch(/^duplicate_request: request_id a{32} was already used/);
    expect(sb.store.get('_nonces', 'finext-default', 'a'.repeat(32))).toBeUndefined();
  });

  it('signed reads keep answering while the store fails, each request_id once', async () => {
    const sb = await failingSandbox(kind);
    disk.fail(kind);
    expect((await finext(sb).topup(LILI111.username, LILI111.kit_number, '10.00')).body).toMatchObject({ code: 10500 });
    for (const id of ['b', 'c', 'd']) expect((await read(sb, id.repeat(32))).body).toMatchObject({ code: 10200 });
    expect((await read(sb, 'c'.repeat(32))).body).toMatchObject({ code: 10403 });
  });
});

describe.each(KINDS)("a failing %s: a scheduled job's commit", (kind) => {
  it.each(DRIVERS)('$vendor: advancing the clock over a due job answers 503 with a diagnostic, and the job has not happened', async (driver) => {
    const sb = await failingSandbox(kind);
    await driver.setup(sb);
    const look = await driver.pendingJob(sb);
    const pending = await look();
    disk.fail(kind);
    const advanced = await control(sb).post('/clock', { advanceMs: HOUR });
    expectControlRefusal(advanced);
    expect(await look()).toEqual(pending);
    await expectFailingHealth(sb);
    // The job stays due and is refused again, without looping on it.
    expectControlRefusal(await control(sb).post('/clock', { advanceMs: 1 }));
    expect(await look()).toEqual(pending);
  });
});
