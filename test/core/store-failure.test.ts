/**
 * A store whose log cannot be written (disk full, I/O error): the change is refused, and so is every
 * later one until a restart, because a later change could depend on one the files never got. The vendor answers its
 * own internal error with a diagnostic; health turns 503. The failing disk is test/helpers/failing-disk.ts.
 */
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { Store } from '../../src/core/store.js';
import { walFiles } from '../helpers/temp-store.js';
import { disk, storeDb as dbPath, useFailingDisk } from '../helpers/failing-disk.js';
import { API_KEY, SEED_EXAMPLES } from '../helpers/onerway.js';
import { makeSandbox } from '../helpers/sandbox.js';

useFailingDisk();
afterEach(() => {
  vi.useRealTimers();
});

const rec = (id: string) => ({ id, tenantId: 't1' });

describe('a store whose log cannot be written', () => {
  it('refuses the change, and every later one without applying it, until a restart reloads what was acknowledged', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    const put = (id: string) => {
      const tx = store.begin();
      tx.put('things', rec(id));
      return store.commit(tx);
    };
    await put('a');
    disk.fail('write', 1);
    await expect(put('b')).rejects.toMatchObject({
      code: 'internal',
      diagnostic: expect.stringMatching(/log could not be written or synced \(ENOSPC.*refuses every change until the sandbox restarts/),
    });
    expect(store.failure).toMatch(/ENOSPC/);
    await expect(put('c')).rejects.toMatchObject({ code: 'internal' });
    expect(store.get('things', 't1', 'c')).toBeUndefined();
    await expect(store.compact()).rejects.toMatchObject({ code: 'internal' });
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1').map((r) => r.id)).toEqual(['a']);
    expect(reopened.failure).toBeUndefined();
  });

  it('fails as well when the background fdatasync fails, with no commit waiting on it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const store = await Store.open(dbPath());
    const tx = store.begin();
    tx.put('things', rec('a'));
    await store.commit(tx);
    disk.fail('sync', 1);
    vi.advanceTimersByTime(1000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.failure).toMatch(/log could not be written or synced \(EIO/);
    const next = store.begin();
    next.put('things', rec('b'));
    await expect(store.commit(next)).rejects.toMatchObject({ code: 'internal' });
  });

  it('shows nothing the log refused: a refused put, update, delete or clear is taken back out of memory', async () => {
    const store = await Store.open(dbPath());
    const seed = store.begin();
    seed.put('things', { id: 'kept', tenantId: 't1', n: 1 });
    seed.put('things', { id: 'gone', tenantId: 't1' });
    await store.commit(seed);
    const before = store.list('things', 't1');
    const tx = store.begin();
    tx.put('things', { id: 'kept', tenantId: 't1', n: 2 });
    tx.delete('things', 't1', 'gone');
    tx.put('things', { id: 'new', tenantId: 't1' });
    tx.put('other', { id: 'x', tenantId: 't2' });
    disk.fail('write', 1);
    const refused = store.commit(tx);
    // Applied at once, as every commit is, until the write is refused.
    expect(store.get('things', 't1', 'kept')).toEqual({ id: 'kept', tenantId: 't1', n: 2 });
    await expect(refused).rejects.toMatchObject({ code: 'internal' });
    expect(store.list('things', 't1')).toEqual(before);
    expect(store.get('things', 't1', 'new')).toBeUndefined();
    expect(store.count('other')).toBe(0);
  });

  it('takes back every commit of a refused batch, newest first, and a clear-all with them', async () => {
    const store = await Store.open(dbPath());
    const seed = store.begin();
    seed.put('things', { id: 'a', tenantId: 't1', v: 1 });
    seed.put('things', { id: 'b', tenantId: 't1' });
    await store.commit(seed);
    const commits = [2, 3].map((v) => {
      const tx = store.begin();
      tx.put('things', { id: 'a', tenantId: 't1', v });
      return store.commit(tx);
    });
    const reset = store.begin();
    reset.clearAll();
    reset.put('things', { id: 'fresh', tenantId: 't1' });
    commits.push(store.commit(reset));
    expect(store.list('things', 't1').map((r) => r.id)).toEqual(['fresh']);
    disk.fail('write', 1); // the one write of this turn's batch
    for (const commit of await Promise.allSettled(commits)) expect(commit.status).toBe('rejected');
    expect(store.list('things', 't1')).toEqual([
      { id: 'a', tenantId: 't1', v: 1 },
      { id: 'b', tenantId: 't1' },
    ]);
  });

  it('refuses, and does not apply, a change that cannot be written as JSON', async () => {
    const store = await Store.open(dbPath());
    const tx = store.begin();
    tx.put('things', { id: 'a', tenantId: 't1', n: BigInt(1) });
    await expect(store.commit(tx)).rejects.toThrow(/BigInt/);
    expect(store.get('things', 't1', 'a')).toBeUndefined();
    expect(store.failure).toBeUndefined();
  });

  it("answers the vendor's internal error with a diagnostic, and health turns 503 saying why", async () => {
    const sb = await makeSandbox({ db: dbPath() });
    disk.fail('write', 1);
    const first = await request(sb.app).post('/api/v1/merchant/card/createCard').set('ApiKey', API_KEY).send(SEED_EXAMPLES.createCard);
    expect(first.body).toEqual({ respCode: '80000', respMsg: 'Internal service error', data: null });
    expect(first.headers['x-sandbox-diagnostic']).toMatch(/^internal: .*ENOSPC.*refuses every change/);
    const again = await request(sb.app)
      .post('/api/v1/merchant/card/createCard')
      .set('ApiKey', API_KEY)
      .send({ ...SEED_EXAMPLES.createCard, clientRequestId: 'C2' });
    expect(again.body).toMatchObject({ respCode: '80000', data: null });
    // Reads change nothing, so they still answer; and they do not show the card whose commit was refused.
    const read = await request(sb.app).post('/api/v1/merchant/cardholder/getCardholder').set('ApiKey', API_KEY).send({ cardholderId: 300001 });
    expect(read.body).toMatchObject({ respCode: '20000', data: { cardholderId: 300001 } });
    const refused = await request(sb.app).post('/api/v1/merchant/card/getCardInfo').set('ApiKey', API_KEY).send({ cardId: 100001 });
    expect(refused.body).toMatchObject({ respCode: '40000', data: null });
    const health = await request(sb.app).get('/__sandbox/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'failing', storeFailure: expect.stringMatching(/ENOSPC/) });
    expect(health.headers['x-sandbox-diagnostic']).toMatch(/^store_failed: /);
  });
});

describe('a compaction while the log fails', () => {
  const pad = 'p'.repeat(10_000); // 300 records: a snapshot of about 3 MB, written in 1 MiB chunks
  const put = (store: Store, id: string) => {
    const tx = store.begin();
    tx.put('things', { ...rec(id), pad });
    return store.commit(tx);
  };
  /** A store with a snapshot of 300 records and 20 more in log segment 2. */
  async function compactedStore(path: string): Promise<Store> {
    const store = await Store.open(path, { compactMinBytes: Number.MAX_SAFE_INTEGER });
    for (let i = 0; i < 300; i++) await put(store, `a${i}`);
    await store.compact();
    for (let i = 0; i < 20; i++) await put(store, `b${i}`);
    return store;
  }

  it('leaves the snapshot and the segments as they were when a write the sealed segment holds is refused', async () => {
    const path = dbPath();
    const store = await compactedStore(path);
    const snapshot = readFileSync(path);
    expect(walFiles(path)).toEqual(['sandbox.json.wal.2']);
    disk.fail('write', 1);
    const refused = put(store, 'c'); // in memory now, so in the compaction's view; its write fails
    const compaction = store.compact();
    await expect(refused).rejects.toMatchObject({ code: 'internal' });
    await expect(compaction).rejects.toMatchObject({ code: 'internal' });
    expect(readFileSync(path).equals(snapshot)).toBe(true);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    expect(walFiles(path)).toContain('sandbox.json.wal.2');
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1').map((r) => r.id)).toEqual([
      ...Array.from({ length: 300 }, (_, i) => `a${i}`),
      ...Array.from({ length: 20 }, (_, i) => `b${i}`),
    ]);
  });

  it('writes what the sealed segments hold when a later write is refused while the snapshot is written, and loses nothing acknowledged', async () => {
    const path = dbPath();
    const store = await compactedStore(path);
    let settled = false;
    const compaction = store.compact().finally(() => (settled = true));
    const acknowledged: string[] = [];
    const refused = await new Promise<{ id: string; commit: Promise<void>; during: boolean }>((resolve) => {
      let n = 0;
      const commitEachTurn = () => {
        const id = `d${n++}`;
        if (!existsSync(`${path}.tmp`)) {
          put(store, id).then(
            () => acknowledged.push(id),
            () => undefined,
          );
          setImmediate(commitEachTurn);
          return;
        }
        // The snapshot is being written from the view: this commit goes to the next segment, and is refused.
        disk.fail('write', 1);
        resolve({ id, commit: put(store, id), during: !settled });
      };
      setImmediate(commitEachTurn);
    });
    expect(refused.during).toBe(true);
    await expect(refused.commit).rejects.toMatchObject({ code: 'internal' });
    await compaction;
    expect(store.get('things', 't1', refused.id)).toBeUndefined();
    const reopened = await Store.open(path);
    const ids = reopened.list('things', 't1').map((r) => r.id);
    expect(ids).toEqual([...Array.from({ length: 300 }, (_, i) => `a${i}`), ...Array.from({ length: 20 }, (_, i) => `b${i}`), ...acknowledged]);
  });
});
