/**
 * Crashes at every step of the store's life lose nothing and leave nothing to pile up: kill -9 at every
 * phase of a compaction (the files left as each phase leaves them, then reopened without a close),
 * repeated crashes, and a reset that gives the disk back.
 */
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store.js';
import { tempStores, walFiles } from '../helpers/temp-store.js';
import { entryLines, logSegments, segmentNumber } from '../../src/core/store-entries.mjs';
import { compactFiles, writeSnapshot } from '../../src/core/store-snapshot.mjs';

const { dbPath } = tempStores('store-crash-');
const diskBytes = (path: string) => readdirSync(join(path, '..')).reduce((n, f) => n + statSync(join(path, '..', f)).size, 0);
type Rec = { id: string; tenantId: string; [k: string]: unknown };

/** A store that took 50 commits (puts, updates, deletes over several segments, one snapshot) and then died. */
async function crashed(): Promise<{ path: string; records: Rec[] }> {
  const path = dbPath();
  const store = await Store.open(path, { segmentMaxBytes: 400, compactMinBytes: Number.MAX_SAFE_INTEGER });
  for (let i = 0; i < 50; i++) {
    const tx = store.begin();
    tx.put('things', { id: `r${i % 30}`, tenantId: 't1', i });
    if (i % 9 === 8) tx.delete('things', 't1', `r${i - 4}`);
    await store.commit(tx);
    if (i === 20) await store.compact();
  }
  await store.flush();
  expect(walFiles(path).length).toBeGreaterThan(2);
  return { path, records: store.list('things', 't1') as Rec[] };
}

describe('kill -9 at every phase of a compaction', () => {
  /** What each phase leaves on disk; the compaction seals every segment there and begins a new one, which took one more commit (seq 51). */
  const phases: Record<string, (path: string, sealed: string[]) => Promise<void>> = {
    'after the seal': async () => {},
    'while the temp snapshot is written': async (path, sealed) => {
      const scratch = `${path}.scratch`;
      copyFileSync(path, scratch);
      await compactFiles(scratch, sealed);
      const whole = readFileSync(scratch);
      writeFileSync(`${path}.tmp`, whole.subarray(0, Math.floor(whole.length / 2)));
      rmSync(scratch);
    },
    'after the rename, before the sealed segments are unlinked': async (path, sealed) => {
      await compactFiles(path, sealed);
    },
    'after the first sealed segment is unlinked': async (path, sealed) => {
      await compactFiles(path, sealed);
      rmSync(sealed[0]!);
    },
    'after every sealed segment is unlinked': async (path, sealed) => {
      await compactFiles(path, sealed);
      for (const segment of sealed) rmSync(segment);
    },
  };

  it.each(Object.keys(phases))('loses nothing when killed %s', async (phase) => {
    const { path, records } = await crashed();
    const sealed = logSegments(path);
    const next = `${path}.wal.${segmentNumber(sealed.at(-1)!) + 1}`;
    const late = { id: 'late', tenantId: 't1' };
    writeFileSync(next, entryLines({ seq: 51, changes: [{ c: 'things', v: late }] }).join(''));
    await phases[phase]!(path, sealed);

    const reopened = await Store.open(path);
    const expected = [...records, late];
    expect(reopened.list('things', 't1')).toEqual(expected);
    await reopened.close();
    expect(walFiles(path).map((f) => statSync(join(path, '..', f)).size)).toEqual([0]);
    const again = await Store.open(path);
    expect(again.list('things', 't1')).toEqual(expected);
    await again.close();
  });

  it('a snapshot written over a leftover temp file of a killed compaction loads', async () => {
    const { path, records } = await crashed();
    await writeSnapshot(`${path}.other`, 1, new Map());
    copyFileSync(`${path}.other`, `${path}.tmp`);
    const reopened = await Store.open(path);
    await reopened.compact();
    expect(readdirSync(join(path, '..'))).not.toContain('sandbox.json.tmp');
    const again = await Store.open(path);
    expect(again.list('things', 't1')).toEqual(records);
  });
});

describe('repeated crashes', () => {
  it('keep the log segments and the disk bounded across 20 kill -9 cycles, and lose nothing', async () => {
    const path = dbPath();
    const sizes: number[] = [];
    const segments: number[] = [];
    let last: Store | undefined;
    for (let cycle = 0; cycle < 20; cycle++) {
      const store = await Store.open(path);
      if (last) expect(store.list('things', 't1')).toEqual(last.list('things', 't1'));
      for (let i = 0; i < 40; i++) {
        const tx = store.begin();
        tx.put('things', { id: `r${i}`, tenantId: 't1', cycle, pad: 'p'.repeat(500) });
        await store.commit(tx);
      }
      await store.flush(); // a compaction begun at start is done: the "kill" below stops nothing half-way
      sizes.push(diskBytes(path));
      segments.push(walFiles(path).length);
      last = store; // never closed: the process dies here
    }
    expect(Math.max(...segments)).toBeLessThanOrEqual(3);
    expect(Math.max(...sizes.slice(10))).toBeLessThanOrEqual(1.5 * Math.max(...sizes.slice(0, 5)));
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1')).toEqual(last!.list('things', 't1'));
    await reopened.close();
  });
});

describe('a reset gives the disk back', () => {
  it('folds the log after a clear-all that leaves much less than the disk holds', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    for (let i = 0; i < 40; i++) {
      const tx = store.begin();
      for (let j = 0; j < 50; j++) tx.put('things', { id: `r${i}-${j}`, tenantId: 't1', pad: 'p'.repeat(1_000) });
      await store.commit(tx);
    }
    await store.flush();
    const full = diskBytes(path);
    expect(full).toBeGreaterThan(2_000_000);
    const reset = store.begin();
    reset.clearAll();
    reset.put('things', { id: 'seed', tenantId: 't1' });
    await store.commit(reset);
    await store.flush();
    expect(diskBytes(path)).toBeLessThan(2_000);
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1')).toEqual([{ id: 'seed', tenantId: 't1' }]);
    await reopened.close();
  });

  it('folds the log after a transaction that deletes more records than are left (a tenant deleted)', async () => {
    const path = dbPath();
    const store = await Store.open(path);
    for (let i = 0; i < 30; i++) {
      const tx = store.begin();
      for (let j = 0; j < 100; j++) tx.put('things', { id: `r${i}-${j}`, tenantId: i < 27 ? 'big' : 'small', pad: 'p'.repeat(1_000) });
      await store.commit(tx);
    }
    await store.flush();
    const full = diskBytes(path);
    const drop = store.begin();
    for (const r of store.list('things', 'big')) drop.delete('things', 'big', r.id);
    await store.commit(drop);
    await store.flush();
    expect(diskBytes(path)).toBeLessThan(0.15 * full);
    const reopened = await Store.open(path);
    expect([reopened.count('things'), reopened.list('things', 'small').length]).toEqual([300, 300]);
    await reopened.close();
  });
});
