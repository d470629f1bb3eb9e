import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, BASE } from '../helpers/onerway.js';
import { postJson, runCli, startCli } from '../helpers/process.js';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
  dirs.push(dir);
  return join(dir, 'nested', 'sandbox.json');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const onerway = (url: string, path: string, body: unknown) => postJson(`${url}${BASE}${path}`, body, { ApiKey: API_KEY });

async function createCard(url: string): Promise<number> {
  const res = await onerway(url, '/card/createCard', { clientRequestId: 'CLI_CREATE', cardholderId: 300001, productId: 1, amount: 500 });
  expect(res.json.respCode).toBe('20000');
  return res.json.data.cardId;
}

// Each test starts real sandbox processes (up to five), a few seconds each on a loaded machine.
describe('the sandbox process', { timeout: 60_000 }, () => {
  it('creates its store on first start, exits 0 on SIGTERM, and keeps everything after a restart', async () => {
    const db = tempDb();
    const first = await startCli(['--db', db]);
    const cardId = await createCard(first.url);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(db)).toBe(true);

    const second = await startCli(['--db', db]);
    expect(second.stdout()).toContain(`(store: ${db}, durability write, clock: system)`);
    const info = await onerway(second.url, '/card/getCardInfo', { cardId });
    expect(info.json.data).toMatchObject({ cardId, cardStatus: 'ACTIVE' });
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('refuses to open a store that another sandbox has open (exit 1, naming its pid), and leaves that one serving', async () => {
    const db = tempDb();
    const first = await startCli(['--db', db]);
    const second = await runCli(['--db', db, '--port', '0']).output;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `card-sandbox: ${db} is in use by process ${first.child.pid}: stop that sandbox, or give this one another --db (SANDBOX_DB).`,
    );
    await createCard(first.url);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('prints every vendor base URL and the default credentials at start', async () => {
    const run = await startCli(['--db', ':memory:']);
    expect(run.stdout()).toContain(`${run.url}/api/v1/merchant`);
    expect(run.stdout()).toContain('ApiKey: onerway-test-apikey-0001');
    run.child.kill('SIGTERM');
    await run.exited;
  });

  it('loses no acknowledged write when killed with SIGKILL mid-stream', async () => {
    const db = tempDb();
    const first = await startCli(['--db', db]);
    const cardId = await createCard(first.url);
    const acked: number[] = [];
    let n = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const id = `CRASH_${++n}`;
        try {
          const res = await onerway(first.url, '/card/deposit', { clientRequestId: id, cardId, amount: 1 });
          if (res.json.respCode === '20000') acked.push(res.json.data.operateRecordId);
        } catch {
          return; // the connection died with the process
        }
        if (acked.length >= 150 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(await first.exited).toBe('SIGKILL');

    const second = await startCli(['--db', db]);
    const listed = await onerway(second.url, '/card/getOperateRecordList', { cardId, type: 'DEPOSIT', pageNum: 1, pageSize: 100 });
    const pages = Math.ceil(listed.json.data.totalRecords / 100);
    const ids = new Set<number>();
    for (let p = 1; p <= pages; p++) {
      const page = await onerway(second.url, '/card/getOperateRecordList', { cardId, type: 'DEPOSIT', pageNum: p, pageSize: 100 });
      for (const r of page.json.data.records) ids.add(r.operateRecordId);
    }
    expect(acked.filter((id) => !ids.has(id))).toEqual([]);
    second.child.kill('SIGTERM');
    await second.exited;
  });

  it('keeps its log segments from piling up across kill -9 restarts, loses no acknowledged write, and keeps its files private', async () => {
    const db = tempDb();
    const acked: number[] = [];
    let cardId = 0;
    for (let cycle = 0; cycle < 4; cycle++) {
      const run = await startCli(['--db', db]);
      if (cycle === 0) cardId = await createCard(run.url);
      for (let i = 0; i < 5; i++) {
        const res = await onerway(run.url, '/card/deposit', { clientRequestId: `CYCLE_${cycle}_${i}`, cardId, amount: 1 });
        expect(res.json.respCode).toBe('20000');
        acked.push(res.json.data.operateRecordId);
      }
      run.child.kill('SIGKILL');
      expect(await run.exited).toBe('SIGKILL');
    }
    // Each run logs to a segment of its own; a start that finds more than one folds them.
    const segments = readdirSync(dirname(db)).filter((f) => f.includes('.wal.'));
    expect(segments.length).toBeLessThanOrEqual(3);
    expect(statSync(dirname(db)).mode & 0o777).toBe(0o700);
    for (const f of [...segments, 'sandbox.json']) expect(statSync(join(dirname(db), f)).mode & 0o777).toBe(0o600);

    const last = await startCli(['--db', db]);
    expect(statSync(`${db}.lock`).mode & 0o777).toBe(0o600);
    const listed = await onerway(last.url, '/card/getOperateRecordList', { cardId, type: 'DEPOSIT', pageNum: 1, pageSize: 100 });
    expect(listed.json.data.records.map((r: { operateRecordId: number }) => r.operateRecordId).sort()).toEqual([...acked].sort());
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);
  });
});
