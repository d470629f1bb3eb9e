/**
 * The store's files at any size: every file is read through a fixed buffer, a line at a time (a snapshot
 * or a log segment past V8's ~512 MiB string limit once made the store unloadable), log segments are
 * sealed past a size, large entries are cut into part lines, and the files are the owner's only.
 * The 600 MB store runs with CARD_SANDBOX_LARGE=1; the fast tests prove the streaming with a small
 * read buffer (no read asks for more, no file is read whole).
 */
import fs, { mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store.js';
import { tempStores, walFiles } from '../helpers/temp-store.js';

const { tempDir, dbPath } = tempStores('store-files-');

/** Every read of a store file while `run` runs: fs.readSync lengths, and files read whole. */
async function watchReads<T>(path: string, run: () => Promise<T>): Promise<{ result: T; largestRead: number; readWhole: string[] }> {
  const { readSync, readFileSync: readWhole } = fs;
  let largestRead = 0;
  const whole: string[] = [];
  fs.readSync = ((fd: number, buffer: NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    const length = typeof rest[0] === 'number' ? (rest[1] as number) : ((rest[0] as { length?: number } | undefined)?.length ?? buffer.byteLength);
    largestRead = Math.max(largestRead, length);
    return (readSync as (...a: unknown[]) => number)(fd, buffer, ...rest);
  }) as typeof fs.readSync;
  fs.readFileSync = ((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (typeof file === 'string' && (file === path || file.startsWith(`${path}.wal.`))) whole.push(file);
    return (readWhole as (...a: unknown[]) => unknown)(file, ...rest);
  }) as typeof fs.readFileSync;
  syncBuiltinESMExports();
  try {
    return { result: await run(), largestRead, readWhole: whole };
  } finally {
    fs.readSync = readSync;
    fs.readFileSync = readWhole;
    syncBuiltinESMExports();
  }
}

describe('store files are read a line at a time', () => {
  it('loads a log and a snapshot through a 64-byte buffer, long and multi-byte lines included, reading no file whole', async () => {
    const path = dbPath();
    const store = await Store.open(path, { compactMinBytes: Number.MAX_SAFE_INTEGER });
    const text = 'é€😀 "quoted" \\ '.repeat(500); // ~9 KB a record: each line spans many reads
    for (let i = 0; i < 30; i++) {
      const tx = store.begin();
      tx.put('things', { id: `r${i}`, tenantId: `t${i % 3}`, text: `${i}${text}` });
      if (i % 7 === 6) tx.delete('things', `t${(i - 3) % 3}`, `r${i - 3}`);
      await store.commit(tx);
    }
    const expected = ['t0', 't1', 't2'].map((t) => store.list('things', t));
    // Log only (no snapshot yet), as after a crash.
    const fromLog = await watchReads(path, () => Store.open(path, { readBufferBytes: 64, compactMinBytes: Number.MAX_SAFE_INTEGER }));
    expect(['t0', 't1', 't2'].map((t) => fromLog.result.list('things', t))).toEqual(expected);
    expect(fromLog.readWhole).toEqual([]);
    expect(fromLog.largestRead).toBeLessThanOrEqual(64);
    await fromLog.result.close(); // folds the log into a snapshot
    expect(readFileSync(path, 'utf8').split('\n')[0]).toMatch(/^\{"format":"card-sandbox\/3","seq":30\}$/);
    const fromSnapshot = await watchReads(path, () => Store.open(path, { readBufferBytes: 64 }));
    expect(['t0', 't1', 't2'].map((t) => fromSnapshot.result.list('things', t))).toEqual(expected);
    expect(fromSnapshot.readWhole).toEqual([]);
    expect(fromSnapshot.largestRead).toBeLessThanOrEqual(64);
    await fromSnapshot.result.close();
  });

  it('loads a 20 MB record from the log and from the snapshot', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    const big = { id: 'big', tenantId: 't1', text: 'x'.repeat(20 * 1024 * 1024) };
    const tx = store.begin();
    tx.put('things', big);
    await store.commit(tx);
    const reopened = await Store.open(path);
    expect(reopened.get('things', 't1', 'big')).toEqual(big);
    await reopened.close();
    const again = await Store.open(path);
    expect(again.get('things', 't1', 'big')).toEqual(big);
    await again.close();
  });

  it('refuses a snapshot cut short rather than load part of it', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    const tx = store.begin();
    for (let i = 0; i < 100; i++) tx.put('things', { id: `r${i}`, tenantId: 't1' });
    await store.commit(tx);
    await store.close();
    truncateSync(path, statSync(path).size - 30);
    await expect(Store.open(path)).rejects.toThrow(/the snapshot is cut short \(9\d records read, no trailer\)/);
  });

  it('still reads a format-2 snapshot (one JSON document), and rewrites it as format 3', async () => {
    const path = dbPath();
    writeFileSync(
      path,
      JSON.stringify({
        format: 'card-sandbox/2',
        seq: 2,
        collections: {
          things: {
            t1: [
              { id: 'b', tenantId: 't1' },
              { id: 'a', tenantId: 't1' },
            ],
          },
        },
      }),
    );
    writeFileSync(`${path}.wal.1`, `${JSON.stringify({ seq: 3, changes: [{ c: 'things', v: { id: 'c', tenantId: 't1' } }] })}\n`);
    const store = await Store.open(path);
    expect(store.list('things', 't1').map((r) => r.id)).toEqual(['b', 'a', 'c']);
    await store.close();
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('{"format":"card-sandbox/3","seq":3}');
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1').map((r) => r.id)).toEqual(['b', 'a', 'c']);
    await reopened.close();
  });
});

describe('store log segments and entries are bounded', () => {
  it('seals a segment once it passes segmentMaxBytes and goes on in the next, losing nothing', async () => {
    const path = dbPath();
    const store = await Store.open(path, { segmentMaxBytes: 4_000, compactMinBytes: Number.MAX_SAFE_INTEGER });
    for (let i = 0; i < 60; i++) {
      const tx = store.begin();
      tx.put('things', { id: `r${i % 40}`, tenantId: 't1', i, pad: 'p'.repeat(200) });
      await store.commit(tx);
    }
    await store.flush();
    const segments = walFiles(path);
    expect(segments.length).toBeGreaterThan(3);
    // A segment is sealed at the first commit past the size: it holds at most one line more.
    for (const s of segments) expect(statSync(join(path, '..', s)).size).toBeLessThan(4_000 + 400);
    const reopened = await Store.open(path, { compactMinBytes: Number.MAX_SAFE_INTEGER });
    expect(reopened.list('things', 't1')).toEqual(store.list('things', 't1'));
  });

  it('cuts a large transaction into part lines, and drops the whole of it when its last line never came', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    const first = store.begin();
    first.put('things', { id: 'before', tenantId: 't1' });
    await store.commit(first);
    const tx = store.begin();
    for (let i = 0; i < 3_000; i++) tx.put('things', { id: `r${i}`, tenantId: 't1', pad: 'p'.repeat(1_000) });
    await store.commit(tx);
    const segment = join(path, '..', walFiles(path)[0]!);
    const lines = readFileSync(segment, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((l) => l.length < 1.1 * 1024 * 1024)).toBe(true);
    expect(lines.slice(1, -1).every((l) => JSON.parse(l).part === true && JSON.parse(l).seq === 2)).toBe(true);
    const whole = await Store.open(path);
    expect(whole.count('things')).toBe(3_001);
    // The last line torn off: the transaction was never acknowledged, so none of it comes back.
    truncateSync(segment, Buffer.byteLength(lines.slice(0, -1).join('\n')) + 1 + 10);
    const torn = await Store.open(path);
    expect(torn.list('things', 't1').map((r) => r.id)).toEqual(['before']);
    expect(statSync(segment).size).toBe(Buffer.byteLength(lines[0]!) + 1);
  });
});

describe('store files are private', () => {
  const mode = (file: string) => statSync(file).mode & 0o777;

  it('creates the snapshot, the log segments and the lock 0600, and the folder it creates 0700', async () => {
    const dir = tempDir();
    const path = join(dir, 'data', 'nested', 'sandbox.json');
    const store = await Store.open(path);
    const tx = store.begin();
    tx.put('things', { id: 'a', tenantId: 't1', secret: 's' });
    await store.commit(tx);
    expect(mode(`${path}.lock`)).toBe(0o600);
    expect(mode(`${path}.wal.1`)).toBe(0o600);
    await store.compact(); // the snapshot is its temp file, renamed
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}.wal.2`)).toBe(0o600);
    expect([mode(join(dir, 'data')), mode(join(dir, 'data', 'nested'))]).toEqual([0o700, 0o700]);
    await store.close();
  });

  it('leaves the mode of a folder that was there already, and writes a snapshot 0600 over a temp file left 0644', async () => {
    const dir = tempDir();
    const folder = join(dir, 'mine');
    mkdirSync(folder, { mode: 0o755 });
    fs.chmodSync(folder, 0o755);
    const path = join(folder, 'sandbox.json');
    const store = await Store.open(path);
    writeFileSync(`${path}.tmp`, 'left by an earlier run', { mode: 0o644 });
    const tx = store.begin();
    tx.put('things', { id: 'a', tenantId: 't1' });
    await store.commit(tx);
    await store.close();
    expect(mode(folder)).toBe(0o755);
    expect(mode(path)).toBe(0o600);
  });
});

describe.runIf(process.env.CARD_SANDBOX_LARGE === '1')('a store past V8 string limit (CARD_SANDBOX_LARGE=1)', () => {
  it('loads a log segment holding 600 MB, and the 600 MB snapshot folded from it', async () => {
    const path = dbPath();
    const options = { segmentMaxBytes: Number.MAX_SAFE_INTEGER, compactMinBytes: Number.MAX_SAFE_INTEGER };
    const store = await Store.open(path, options);
    const pad = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 600; i++) {
      const tx = store.begin();
      tx.put('things', { id: `r${i}`, tenantId: 't1', pad });
      await store.commit(tx);
    }
    await store.flush();
    expect(walFiles(path)).toHaveLength(1);
    expect(statSync(`${path}.wal.1`).size).toBeGreaterThan(600 * 1024 * 1024);
    const reopened = await Store.open(path, options);
    expect(reopened.count('things')).toBe(600);
    await reopened.close();
    expect(statSync(path).size).toBeGreaterThan(600 * 1024 * 1024);
    const again = await Store.open(path, options);
    expect(again.count('things')).toBe(600);
    expect(again.get('things', 't1', 'r599')).toEqual({ id: 'r599', tenantId: 't1', pad });
    await again.close();
  }, 300_000);
});
