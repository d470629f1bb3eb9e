import { spawn } from 'node:child_process';
import fs, { appendFileSync, existsSync, closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { Store } from '../../src/core/store.js';
import { tempStores, walFiles } from '../helpers/temp-store.js';

const { dbPath } = tempStores('store-test-');

const rec = (id: string, extra: object = {}) => ({ id, tenantId: 't1', ...extra });

/** The snapshot file (format 3: a header line, one line per record, a trailer that counts them). */
function readSnapshotFile(path: string): {
  format: string;
  seq: number;
  records: Array<[string, { id: string; tenantId: string }]>;
  trailer: { records: number };
} {
  const lines = readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  const [header, ...rest] = lines;
  const trailer = rest.pop();
  expect(trailer).toEqual({ records: rest.length });
  return { ...header, records: rest, trailer };
}

/** Commits one record to 'things'. */
async function putOne(store: Store, record: { id: string; tenantId: string }): Promise<void> {
  const tx = store.begin();
  tx.put('things', record);
  await store.commit(tx);
}

describe('store transactions', () => {
  it('shows a transaction its own writes and nobody else until commit', async () => {
    const store = await Store.open(':memory:');
    const tx = store.begin();
    tx.put('things', rec('a', { n: 1 }));
    expect(tx.get('things', 't1', 'a')).toEqual(rec('a', { n: 1 }));
    expect(store.get('things', 't1', 'a')).toBeUndefined();
    await store.commit(tx);
    expect(store.get('things', 't1', 'a')).toEqual(rec('a', { n: 1 }));
  });

  it('drops a transaction that is never committed', async () => {
    const store = await Store.open(':memory:');
    store.begin().put('things', rec('a'));
    expect(store.list('things', 't1')).toEqual([]);
  });

  it('lists in insertion order with the transaction overlaid', async () => {
    const store = await Store.open(':memory:');
    const first = store.begin();
    first.put('things', rec('a'));
    first.put('things', rec('b'));
    await store.commit(first);
    const tx = store.begin();
    tx.delete('things', 't1', 'a');
    tx.put('things', rec('c'));
    expect(tx.list('things', 't1').map((r) => r.id)).toEqual(['b', 'c']);
  });

  it('keeps tenants apart', async () => {
    const store = await Store.open(':memory:');
    const tx = store.begin();
    tx.put('things', { id: 'a', tenantId: 't1' });
    tx.put('things', { id: 'a', tenantId: 't2', other: true });
    await store.commit(tx);
    expect(store.list('things', 't1')).toEqual([{ id: 'a', tenantId: 't1' }]);
    expect(store.count('things')).toBe(2);
  });
});

describe('store durability', () => {
  it('reloads every committed change after a restart', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    for (let i = 0; i < 20; i++) {
      await putOne(store, rec(`r${i}`, { i }));
    }
    await store.close();
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1').map((r) => (r as unknown as { i: number }).i)).toEqual([...Array(20).keys()]);
  });

  it.each(['write', 'fsync'] as const)('loads what was acknowledged even without a clean close (log only, no snapshot), durability %s', async (durability) => {
    const path = dbPath();
    const store = await Store.open(path, { durability });
    await putOne(store, rec('a'));
    // No close(): the process "dies" here.
    const reopened = await Store.open(path);
    expect(reopened.get('things', 't1', 'a')).toEqual(rec('a'));
  });

  it('drops a torn last log line and keeps everything before it', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    await putOne(store, rec('a'));
    const segment = readdirSync(join(path, '..')).find((f) => f.includes('.wal.'))!;
    appendFileSync(join(path, '..', segment), '{"seq":99,"changes":[{"c":"things","t":"t1","id":"b","v":{"id":"b"');
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1').map((r) => r.id)).toEqual(['a']);
  });

  it('folds the log into a snapshot once it outgrows it, and reloads the same state', async () => {
    const path = dbPath();
    const store = await Store.open(path, { compactMinBytes: 2_000 });
    for (let i = 0; i < 100; i++) {
      await putOne(store, rec(`r${i % 10}`, { i }));
    }
    await store.flush();
    const segments = readdirSync(join(path, '..')).filter((f) => f.includes('.wal.'));
    expect(segments.length).toBeLessThanOrEqual(2);
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1')).toEqual(store.list('things', 't1'));
  });

  it('replaces everything when a transaction clears all', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    await putOne(store, rec('a'));
    const reset = store.begin();
    reset.clearAll();
    reset.put('other', rec('b'));
    await store.commit(reset);
    await store.close();
    const reopened = await Store.open(path);
    expect([reopened.count('things'), reopened.count('other')]).toEqual([0, 1]);
  });

  it('writes a snapshot of many records over several tenants that loads back identically', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    const tx = store.begin();
    for (let i = 0; i < 2_500; i++) tx.put('things', { id: `r${i}`, tenantId: `t${i % 3}`, text: 'quote " and \\ backslash', i });
    tx.put('other', { id: 'x', tenantId: 't0' });
    await store.commit(tx);
    await store.compact();
    expect(readdirSync(join(path, '..')).filter((f) => f.includes('.wal.'))).toEqual(['sandbox.json.wal.2']);
    const reopened = await Store.open(path);
    for (const t of ['t0', 't1', 't2']) expect(reopened.list('things', t)).toEqual(store.list('things', t));
    expect(reopened.get('other', 't0', 'x')).toEqual({ id: 'x', tenantId: 't0' });
  });

  it('keeps insertion order across a snapshot and restart, integer-like ids included', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    const tx = store.begin();
    for (const id of ['900000001', '200001', 'b', '10', 'a']) tx.put('things', rec(id));
    await store.commit(tx);
    await store.close(); // folds the log into a snapshot
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1').map((r) => r.id)).toEqual(['900000001', '200001', 'b', '10', 'a']);
    await reopened.close();
  });

  it('still reads a format-1 snapshot (records keyed by id)', async () => {
    const path = dbPath();
    writeFileSync(path, JSON.stringify({ format: 'card-sandbox/1', seq: 3, collections: { things: { t1: { a: rec('a'), b: rec('b') } } } }));
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1')).toEqual([rec('a'), rec('b')]);
    await reopened.close();
  });

  it('still replays log lines that name the tenant and id of a put (the earlier line format)', async () => {
    const path = dbPath();
    writeFileSync(
      `${path}.wal.1`,
      `${JSON.stringify({
        seq: 1,
        changes: [
          { c: 'things', t: 't1', id: 'a', v: rec('a') },
          { c: 'things', t: 't1', id: 'b', v: rec('b') },
        ],
      })}\n${JSON.stringify({ seq: 2, changes: [{ c: 'things', t: 't1', id: 'a', v: null }] })}\n`,
    );
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1')).toEqual([rec('b')]);
    await reopened.close();
  });
});

describe('store log segments', () => {
  const segmentOf = (path: string) =>
    join(
      path,
      '..',
      readdirSync(join(path, '..')).find((f) => f.includes('.wal.'))!,
    );

  it("with durability 'fsync', writes the log over zeros laid ahead of it, replays up to the zeros, and cuts them off at close", async () => {
    const path = dbPath();
    const store = await Store.open(path, { durability: 'fsync', compactMinBytes: Number.MAX_SAFE_INTEGER });
    for (const id of ['a', 'b', 'c']) {
      await putOne(store, rec(id));
    }
    const segment = segmentOf(path);
    const bytes = readFileSync(segment);
    const end = bytes.indexOf(0);
    expect(end).toBeGreaterThan(0);
    expect(bytes.length).toBeGreaterThan(end + 1024 * 1024);
    expect(bytes.subarray(end).every((b) => b === 0)).toBe(true);
    expect(
      bytes
        .subarray(0, end)
        .toString()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).seq),
    ).toEqual([1, 2, 3]);
    // A "crash" here (no close) leaves the zeros: they are not log.
    const reopened = await Store.open(path, { durability: 'fsync' });
    expect(reopened.list('things', 't1').map((r) => r.id)).toEqual(['a', 'b', 'c']);
    // The reopened store logs to a new segment, zeros laid ahead; its close folds the log into the snapshot.
    expect(statSync(`${path}.wal.2`).size).toBeGreaterThan(0);
    await reopened.close();
    expect(
      readdirSync(join(path, '..'))
        .filter((f) => f.includes('.wal.'))
        .map((f) => statSync(join(path, '..', f)).size),
    ).toEqual([0]);
    // A store closed with no log at all leaves its segment as it is: empty, the zeros cut off.
    const fresh = dbPath();
    const empty = await Store.open(fresh, { durability: 'fsync' });
    expect(statSync(`${fresh}.wal.1`).size).toBeGreaterThan(0);
    await empty.close();
    expect(statSync(`${fresh}.wal.1`).size).toBe(0);
  });

  it('drops a torn line written over the zeros and keeps everything before it', async () => {
    const path = dbPath();
    const store = await Store.open(path, { durability: 'fsync' });
    await putOne(store, rec('a'));
    const segment = segmentOf(path);
    const end = readFileSync(segment).indexOf(0);
    const fd = openSync(segment, 'r+');
    writeSync(fd, '{"seq":2,"changes":[{"c":"things","v":{"id":"b","tenantId":"t1"', end);
    closeSync(fd);
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1').map((r) => r.id)).toEqual(['a']);
    expect(statSync(segment).size).toBe(end);
  });

  it("with durability 'write', the default, fdatasyncs the log in the background within a second of a write, and at close", async () => {
    const fdatasync = fs.fdatasync;
    const synced: number[] = [];
    fs.fdatasync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      synced.push(fd);
      return fdatasync(fd, callback);
    }) as typeof fs.fdatasync;
    syncBuiltinESMExports();
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const store = await Store.open(dbPath());
      const tx = store.begin();
      tx.put('things', rec('a'));
      await store.commit(tx); // acknowledged once written
      expect(synced).toEqual([]);
      vi.advanceTimersByTime(999);
      expect(synced).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(synced).toHaveLength(1);
      await store.flush();
      await putOne(store, rec('b'));
      await store.close(); // syncs what the timer has not yet (and compacts)
      expect(synced.length).toBeGreaterThanOrEqual(2);
    } finally {
      vi.useRealTimers();
      fs.fdatasync = fdatasync;
      syncBuiltinESMExports();
    }
  });

  it("does not lay zeros ahead with durability 'write', the default (nothing waits for its syncs)", async () => {
    const path = dbPath();
    const store = await Store.open(path);
    await putOne(store, rec('a'));
    const line = `${JSON.stringify({ seq: 1, changes: [{ c: 'things', v: rec('a') }] })}\n`;
    expect(readFileSync(segmentOf(path), 'utf8')).toBe(line);
  });
});

describe('store compaction', () => {
  it('writes the snapshot from memory, a chunk at a time, reading no file, while commits go on to the next segment', async () => {
    const path = dbPath();
    const store = await Store.open(path, { compactMinBytes: Number.MAX_SAFE_INTEGER });
    const pad = 'p'.repeat(10_000); // 300 records: a snapshot of about 3 MB, written in 1 MiB chunks
    for (let i = 0; i < 300; i++) {
      const tx = store.begin();
      tx.put('things', rec(`r${i}`, { i, text: 'quote " and \\ backslash', pad }));
      if (i % 10 === 9) tx.delete('things', 't1', `r${i - 5}`);
      await store.commit(tx);
    }
    // Every read of a file while the compaction runs (a compaction from the files reads the snapshot and the log).
    const { readSync } = fs;
    let reads = 0;
    fs.readSync = ((...args: Parameters<typeof fs.readSync>) => {
      reads++;
      return (readSync as (...a: unknown[]) => number)(...args);
    }) as typeof fs.readSync;
    syncBuiltinESMExports();
    let settled = false;
    let turns = 0;
    const during: Promise<void>[] = [];
    try {
      const compaction = store.compact().finally(() => (settled = true));
      // One commit per turn of the event loop until the compaction is done: they run between its chunks.
      const commitEachTurn = () => {
        if (settled) return;
        const tx = store.begin();
        tx.put('things', rec(`r${300 + turns}`, { i: 300 + turns }));
        during.push(store.commit(tx));
        turns++;
        setImmediate(commitEachTurn);
      };
      setImmediate(commitEachTurn);
      await compaction;
      await Promise.all(during);
    } finally {
      fs.readSync = readSync;
      syncBuiltinESMExports();
    }
    expect(reads).toBe(0);
    expect(walFiles(path)).toEqual(['sandbox.json.wal.2']);
    const snapshot = readSnapshotFile(path);
    // The snapshot holds the store as it was when segment 1 was sealed; the commits after it are in segment 2.
    expect(snapshot.seq).toBeGreaterThanOrEqual(300);
    expect(snapshot.seq).toBeLessThan(300 + turns);
    expect(snapshot.records.filter(([c, r]) => c === 'things' && r.tenantId === 't1')).toHaveLength(270 + (snapshot.seq - 300));
    expect(snapshot.trailer.records).toBe(snapshot.records.length);
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1')).toEqual(store.list('things', 't1'));
    expect(reopened.count('things')).toBe(270 + turns);
  });

  it('runs one compaction at a time: a call while one runs gets that one', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    await putOne(store, rec('a'));
    const first = store.compact();
    expect(store.compact()).toBe(first);
    await first;
    expect(store.compact()).not.toBe(first);
    await store.close();
  });

  it('leaves the snapshot and every log segment as they were when a compaction fails, and loses nothing', async () => {
    const path = dbPath();
    const store = await Store.open(path, { compactMinBytes: Number.MAX_SAFE_INTEGER });
    await putOne(store, rec('a'));
    mkdirSync(`${path}.tmp`); // the snapshot's temp file cannot be created
    await expect(store.compact()).rejects.toThrow(/EISDIR/);
    await putOne(store, rec('b'));
    expect(walFiles(path)).toEqual(['sandbox.json.wal.1', 'sandbox.json.wal.2']);
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1').map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('does not retry a failing compaction at every commit (each try seals a segment), and loses nothing', async () => {
    const path = dbPath();
    const store = await Store.open(path, { compactMinBytes: 300 });
    mkdirSync(`${path}.tmp`);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 40; i++) {
        await putOne(store, rec(`r${i}`, { pad: 'p'.repeat(40) }));
        await store.flush().catch(() => undefined);
      }
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.length).toBeGreaterThan(0);
    expect(walFiles(path).length).toBeLessThanOrEqual(8);
    rmSync(`${path}.tmp`, { recursive: true });
    const reopened = await Store.open(path);
    expect(reopened.count('things')).toBe(40);
    await reopened.close();
  });
});

describe('store lock', () => {
  /** A process that lives until killed, and its pid. */
  function liveProcess() {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    return child;
  }

  it('refuses a store that another live process has open, naming the process', async () => {
    const path = dbPath();
    const other = liveProcess();
    try {
      writeFileSync(`${path}.lock`, `${other.pid}\n`);
      await expect(Store.open(path)).rejects.toThrow(new RegExp(`is in use by process ${other.pid}: stop that sandbox, or give this one another --db`));
      expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${other.pid}\n`);
    } finally {
      other.kill();
    }
  });

  it('takes over a lock whose process is gone, and removes its own at close', async () => {
    const path = dbPath();
    const gone = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(`${path}.lock`, `${gone.pid}\n`);
    const store = await Store.open(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    await store.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
