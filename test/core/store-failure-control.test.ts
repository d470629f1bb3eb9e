/**
 * The steps around the operations, with a failing write and a failing fdatasync, per vendor: the
 * webhook delivery log (an attempt is recorded after its POST), scenario load and reset, and the
 * snapshot. A refusal is the control plane's JSON error (503, as health) with a diagnostic; reads keep
 * answering and show nothing refused; a delivery whose attempt could not be recorded is not sent again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox.js';
import { disk, useFailingDisk } from '../helpers/failing-disk.js';
import {
  DRIVERS,
  HOUR,
  KINDS,
  expectControlRefusal,
  expectFailingHealth,
  failOnStrayRejections,
  failingSandbox,
  newKey,
  type Driver,
} from '../helpers/store-failure.js';
import { control, snapshot } from '../helpers/sandbox.js';

useFailingDisk();
failOnStrayRejections();

/** A webhook receiver that holds every answer until `release()`. */
interface HeldReceiver {
  url: string;
  arrived: number;
  firstArrival: Promise<void>;
  release(): void;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function heldReceiver(): Promise<HeldReceiver> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let arrive!: () => void;
  const receiver: HeldReceiver = { url: '', arrived: 0, firstArrival: new Promise((resolve) => (arrive = resolve)), release: () => release() };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      receiver.arrived++;
      arrive();
      gate.then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
        () => undefined,
      );
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}

async function written(sb: Sandbox, driver: Driver): Promise<void> {
  const res = await driver.write(sb, newKey('DONE'));
  expect(res.headers['x-sandbox-diagnostic'], 'the write before the failure succeeds').toBeUndefined();
}

describe.each(KINDS)('a failing %s: the webhook delivery log', (kind) => {
  it.each(DRIVERS)('$vendor: an attempt that cannot be recorded leaves the delivery pending, and it is not sent again', async (driver) => {
    const sb = await failingSandbox(kind);
    await driver.setup(sb);
    const receiver = await heldReceiver();
    await control(sb).patch(`/tenants/${driver.tenant}`, { webhookUrl: receiver.url }).expect(200);
    await written(sb, driver);
    await receiver.firstArrival;
    const before = (await control(sb).get(`/webhooks?tenant=${driver.tenant}`).expect(200)).body.deliveries;
    disk.fail(kind);
    receiver.release();
    await sb.runtime.scheduler.idle();
    await expectFailingHealth(sb);
    const sent = receiver.arrived;
    await driver.read(sb);
    await sb.runtime.scheduler.idle();
    expect(receiver.arrived).toBe(sent);
    const after = (await control(sb).get(`/webhooks?tenant=${driver.tenant}`).expect(200)).body.deliveries;
    expect(after).toEqual(before);
    expect(after.some((d: { state: string; attempts: unknown[] }) => d.state === 'pending' && d.attempts.length === 0)).toBe(true);
  });
});

describe.each(KINDS)('a failing %s: scenario load and reset', (kind) => {
  it.each(DRIVERS)("$vendor: loading the tenant's part of a pack, or resetting everything, answers 503 and changes nothing", async (driver) => {
    const sb = await failingSandbox(kind);
    await driver.setup(sb);
    await written(sb, driver);
    const before = await driver.read(sb);
    disk.fail(kind);
    expectControlRefusal(await control(sb).post('/scenarios/default', { tenant: driver.tenant }));
    expect(await driver.read(sb)).toEqual(before);
    expectControlRefusal(await control(sb).post('/reset'));
    expect(await driver.read(sb)).toEqual(before);
    expectControlRefusal(await control(sb).post('/scenarios/default'));
    expect(await driver.read(sb)).toEqual(before);
    await expectFailingHealth(sb);
  });
});

describe.each(KINDS)('a failing %s: the snapshot', (kind) => {
  it('answers what was acknowledged: no refused write of any vendor, and a job refused on its due time still pending', async () => {
    const sb = await failingSandbox(kind);
    for (const driver of DRIVERS) await driver.setup(sb);
    const onerway = DRIVERS.find((d) => d.vendor === 'onerway')!;
    await onerway.pendingJob(sb);
    const before = JSON.parse(await snapshot(sb)).collections;
    disk.fail(kind);
    expectControlRefusal(await control(sb).post('/clock', { advanceMs: HOUR }));
    for (const driver of DRIVERS) expect((await driver.write(sb, newKey('FAIL'))).body).toMatchObject(driver.internal);
    expect(JSON.parse(await snapshot(sb)).collections).toEqual(before);
    await expectFailingHealth(sb);
  });
});
