/**
 * Memory never shows a commit the log refused: the store applies a commit at once and takes it back
 * when its write or fdatasync fails, record by record, each in its place; and once an fdatasync has
 * failed, nothing written before it is acknowledged by a later one that succeeds.
 */
import { describe, expect, it } from 'vitest';
import { claimNonce, NONCES, UNRECORDED_NONCES_MAX } from '../../src/core/nonces.js';
import { Store, type Transaction } from '../../src/core/store.js';
import { disk, durabilityFor, storeDb, useFailingDisk, type Failure } from '../helpers/failing-disk.js';

useFailingDisk();

const KINDS: Failure[] = ['write', 'sync'];
const rec = (id: string, n: number, tenantId = 't1') => ({ id, tenantId, n });

function commit(store: Store, change: (tx: Transaction) => void): Promise<void> {
  const tx = store.begin();
  change(tx);
  return store.commit(tx);
}

async function seeded(kind: Failure): Promise<{ store: Store; path: string }> {
  const path = storeDb();
  const store = await Store.open(path, { durability: durabilityFor(kind) });
  await commit(store, (tx) => ['a', 'b', 'c'].forEach((id) => tx.put('things', rec(id, 1))));
  await commit(store, (tx) => tx.put('jobs', rec('j1', 1, 'global')));
  return { store, path };
}

describe.each(KINDS)('a store whose log refuses a commit (failing %s)', (kind) => {
  it('takes back new records, overwrites and deletes of every commit in the refused batch, each record in its place', async () => {
    const { store } = await seeded(kind);
    const before = store.list('things', 't1');
    disk.fail(kind);
    const refused = [
      commit(store, (tx) => {
        tx.put('things', rec('b', 2));
        tx.delete('things', 't1', 'a');
        tx.put('things', rec('d', 1));
        tx.delete('jobs', 'global', 'j1');
        tx.put('new', rec('x', 1));
      }),
      commit(store, (tx) => tx.delete('things', 't1', 'b')),
    ];
    expect(store.get('things', 't1', 'd'), 'applied at once, like any commit').toBeDefined();
    expect((await Promise.allSettled(refused)).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(store.list('things', 't1')).toEqual(before);
    expect(store.list('jobs', 'global')).toEqual([rec('j1', 1, 'global')]);
    expect(store.collectionNames()).toEqual(['things', 'jobs']);
  });

  it('takes back a refused clear (a reset): every collection as it was', async () => {
    const { store } = await seeded(kind);
    disk.fail(kind);
    const refused = commit(store, (tx) => {
      tx.clearAll();
      tx.put('things', rec('z', 9));
    });
    expect(store.list('things', 't1').map((r) => r.id)).toEqual(['z']);
    await expect(refused).rejects.toMatchObject({ code: 'internal' });
    expect(store.list('things', 't1').map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(store.list('jobs', 'global')).toHaveLength(1);
  });

  it('reopens with exactly what was acknowledged, which is what memory showed', async () => {
    const { store, path } = await seeded(kind);
    disk.fail(kind);
    await expect(commit(store, (tx) => tx.put('things', rec('d', 1)))).rejects.toMatchObject({ code: 'internal' });
    disk.heal();
    const shown = store.list('things', 't1');
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1')).toEqual(shown);
  });
});

describe('a store whose log write is torn by a full disk', () => {
  it('cuts the log back to what was acknowledged: a restart does not replay a refused commit written in part', async () => {
    const path = storeDb();
    const store = await Store.open(path);
    await commit(store, (tx) => tx.put('things', rec('a', 1)));
    disk.tearNextWrite();
    const refused = [commit(store, (tx) => tx.put('things', rec('b', 1))), commit(store, (tx) => tx.put('things', rec('c', 1)))];
    expect((await Promise.allSettled(refused)).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    disk.heal();
    const reopened = await Store.open(path);
    expect(reopened.list('things', 't1').map((r) => r.id)).toEqual(['a']);
  });
});

describe('a store whose fdatasync fails once (durability fsync)', () => {
  it('acknowledges nothing written before the failure, even when the next fdatasync succeeds', async () => {
    const store = await Store.open(storeDb(), { durability: 'fsync' });
    await commit(store, (tx) => tx.put('things', rec('a', 1)));
    const sync = disk.holdNextSync();
    const outcome = (p: Promise<void>) =>
      p.then(
        () => 'acknowledged',
        () => 'refused',
      );
    const first = outcome(commit(store, (tx) => tx.put('things', rec('b', 1))));
    await sync.started;
    // Written behind the fdatasync in flight, to be covered by the next one.
    const second = outcome(commit(store, (tx) => tx.put('things', rec('c', 1))));
    await new Promise((resolve) => setImmediate(resolve));
    sync.fail();
    expect([await first, await second]).toEqual(['refused', 'refused']);
    expect(store.list('things', 't1').map((r) => r.id)).toEqual(['a']);
  });
});

describe('nonces a failing store cannot record', () => {
  it('are kept in memory, refused when repeated, and bounded: past UNRECORDED_NONCES_MAX the oldest is forgotten', async () => {
    const store = await Store.open(storeDb());
    disk.fail('write');
    await expect(commit(store, (tx) => tx.put('things', rec('a', 1)))).rejects.toMatchObject({ code: 'internal' });
    for (let i = 0; i <= UNRECORDED_NONCES_MAX; i++) await claimNonce(store, 't1', `n${i}`, 'request_id', 1_000);
    const repeat = (i: number) => claimNonce(store, 't1', `n${i}`, 'request_id', 2_000);
    await expect(repeat(UNRECORDED_NONCES_MAX)).rejects.toMatchObject({ code: 'duplicate_request' });
    await expect(repeat(1)).rejects.toMatchObject({ code: 'duplicate_request' });
    await expect(repeat(0)).resolves.toBeUndefined();
    expect(store.get(NONCES, 't1', 'n1')).toBeUndefined();
  });
});
