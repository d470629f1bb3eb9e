/**
 * A real sandbox process whose data folder's disk fails (test/helpers/failing-disk-preload.mjs, loaded
 * with NODE_OPTIONS, makes fs fail under that folder once a trigger file exists): it keeps serving, and
 * the last-resort handler of src/main.ts logs a stray rejection and keeps serving, or logs an uncaught
 * exception and exits 1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTHORIZATION, LILI111, MERCHANT, SIGN } from '../helpers/finext.js';
import { API_KEY, BASE } from '../helpers/onerway.js';
import { postJson, startCli, type RunningSandbox } from '../helpers/process.js';

const PRELOAD = pathToFileURL(resolve(import.meta.dirname, '../helpers/failing-disk-preload.mjs')).href;
const dirs: string[] = [];
const running: RunningSandbox[] = [];
afterEach(() => {
  for (const run of running.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function start(): Promise<{ run: RunningSandbox; db: string; failDisk: () => void; healDisk: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-failing-disk-'));
  dirs.push(dir);
  const trigger = join(tmpdir(), `${dir.split('/').pop()}.trigger`);
  const env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${PRELOAD}`.trim(), FAILING_DISK_DIR: dir, FAILING_DISK_TRIGGER: trigger };
  const db = join(dir, 'sandbox.json');
  const run = await startCli(['--db', db], env);
  running.push(run);
  return { run, db, failDisk: () => writeFileSync(trigger, ''), healDisk: () => rmSync(trigger, { force: true }) };
}

/** A signed Finext getAccountDetails, on the system clock the process runs on. */
function finextRead(url: string, request_id = randomBytes(16).toString('hex')) {
  const timestamp = String(Date.now());
  const body = { api_key: MERCHANT.api_key, username: LILI111.username, request_id, timestamp };
  const sign = SIGN.user({ ...body, secret: MERCHANT.secret });
  return postJson(`${url}/api/v1/account/getAccountDetails`, { ...body, sign }, { authorization: AUTHORIZATION });
}

const createCard = (url: string, clientRequestId: string) =>
  postJson(`${url}${BASE}/card/createCard`, { clientRequestId, cardholderId: 300001, productId: 1, amount: 500 }, { ApiKey: API_KEY });

/** The JSON log lines the process wrote to stdout. */
function logLines(run: RunningSandbox): Array<{ level: number; msg: string; err?: { message: string } }> {
  return run
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

describe('a sandbox process whose disk fails', () => {
  it('answers Finext reads, refuses writes with the vendor error, turns health 503, and restarts without the refused write', async () => {
    const { run, db, failDisk, healDisk } = await start();
    expect((await finextRead(run.url)).json.code).toBe(10200);
    const kept = await createCard(run.url, 'CREATE_KEPT');
    expect(kept.json.respCode).toBe('20000');
    failDisk();
    const refused = await createCard(run.url, 'CREATE_REFUSED');
    expect(refused.json).toEqual({ respCode: '80000', respMsg: 'Internal service error', data: null });
    for (let i = 0; i < 5; i++) expect((await finextRead(run.url)).json).toMatchObject({ code: 10200, data: { username: LILI111.username } });
    const health = await fetch(`${run.url}/__sandbox/health`);
    expect(health.status).toBe(503);
    expect(run.child.exitCode).toBeNull();

    healDisk();
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    const again = await startCli(['--db', db]);
    running.push(again);
    // Card ids are sequential: the refused card would have had the next one.
    const refusedCard = await postJson(`${again.url}${BASE}/card/getCardInfo`, { cardId: kept.json.data.cardId + 1 }, { ApiKey: API_KEY });
    expect(refusedCard.json.respCode).toBe('40000');
    expect((await postJson(`${again.url}${BASE}/card/getCardInfo`, { cardId: kept.json.data.cardId }, { ApiKey: API_KEY })).json.respCode).toBe('20000');
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('logs a stray promise rejection at error level and keeps serving', async () => {
    const { run } = await start();
    run.child.kill('SIGUSR2');
    await expect
      .poll(() => logLines(run).find((l) => l.level === 50))
      .toMatchObject({ msg: expect.stringMatching(/^unhandled promise rejection/), err: { message: 'stray rejection (test)' } });
    expect((await finextRead(run.url)).json.code).toBe(10200);
    expect(run.child.exitCode).toBeNull();
  });

  it('logs an uncaught exception as fatal and exits 1', async () => {
    const { run } = await start();
    run.child.kill('SIGWINCH');
    expect(await run.exited).toBe(1);
    expect(logLines(run).find((l) => l.level === 60)).toMatchObject({
      msg: expect.stringMatching(/^uncaught exception/),
      err: { message: 'stray exception (test)' },
    });
  });
});
