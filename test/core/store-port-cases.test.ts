/**
 * The store port's cases, on every store (docs/design/shared-store.md §8 step 3): the same tests against
 * the file store and the PostgreSQL store (a database of its own, skipped without SANDBOX_TEST_PG). Only
 * the port is used here: `run` (its transaction's get/list/put/delete/clearAll/savepoint), `read`,
 * `lookup`. Cases about the file store's files, log and lock stay in store.test.ts and store-files.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { queryRecords, type RecordQuery } from '../../src/core/record-query.js';
import { FileStore } from '../../src/core/store.js';
import { fieldText, valueText, type StorePort } from '../../src/core/store-port.js';
import type { StoredRecord } from '../../src/core/store-entries.mjs';
import { PgStore } from '../../src/store-pg/pg-store.js';
import { describePostgres } from '../helpers/postgres.js';

type Open = () => Promise<StorePort>;

const STORES: Array<{ store: string; suspends: boolean; within: (body: (open: Open) => void) => void }> = [
  { store: 'file', suspends: false, within: (body) => body(() => FileStore.open(':memory:')) },
  {
    store: 'PostgreSQL',
    suspends: true,
    within: (body) => describePostgres('on a database of its own', (url) => body(() => PgStore.open(url()))),
  },
];

let tenants = 0;
/** A tenant no other test uses (the PostgreSQL cases share one database). */
const freshTenant = () => `t${++tenants}-${process.pid}`;

describe.each(STORES)('the store port on the $store store', ({ suspends, within }) => {
  within((open) => {
    const opened: StorePort[] = [];
    const store = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('shows a run its own writes, and commits them: a later run and lookup see them', async () => {
      const s = await store();
      const t = freshTenant();
      const seen = await s.run(t, (tx) => {
        tx.put('things', { id: 'a', tenantId: t, n: 1 });
        return tx.get('things', t, 'a');
      });
      expect(seen).toEqual({ id: 'a', tenantId: t, n: 1 });
      expect(await s.lookup('things', t, 'a')).toEqual({ id: 'a', tenantId: t, n: 1 });
      expect(await s.run(t, (tx) => tx.get('things', t, 'a'))).toEqual({ id: 'a', tenantId: t, n: 1 });
      expect(await s.lookup('things', t, 'missing')).toBeUndefined();
    });

    it('commits nothing of a run that throws, and rejects with what it threw', async () => {
      const s = await store();
      const t = freshTenant();
      await expect(
        s.run(t, (tx) => {
          tx.put('things', { id: 'a', tenantId: t });
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await s.read('things', t)).toEqual([]);
    });

    it('lists in insertion order with the transaction overlaid; an update keeps its place, a delete and put moves to the end', async () => {
      const s = await store();
      const t = freshTenant();
      await s.run(t, (tx) => {
        // Integer-like ids too: insertion order, not the order a plain object would give them.
        for (const id of ['b', '10', 'a', '2']) tx.put('things', { id, tenantId: t });
      });
      const overlaid = await s.run(t, (tx) => {
        tx.delete('things', t, 'b');
        tx.put('things', { id: 'c', tenantId: t });
        tx.put('things', { id: '10', tenantId: t, updated: true });
        return tx.list('things', t).map((r) => r.id);
      });
      expect(overlaid).toEqual(['10', 'a', '2', 'c']);
      expect((await s.read('things', t)).map((r) => r.id)).toEqual(['10', 'a', '2', 'c']);
      expect(await s.lookup('things', t, '10')).toEqual({ id: '10', tenantId: t, updated: true });
      await s.run(t, (tx) => tx.delete('things', t, 'a'));
      await s.run(t, (tx) => void tx.put('things', { id: 'a', tenantId: t }));
      expect((await s.read('things', t)).map((r) => r.id)).toEqual(['10', '2', 'c', 'a']);
      expect(await s.run(t, (tx) => tx.list('things', t).map((r) => r.id))).toEqual(['10', '2', 'c', 'a']);
    });

    it('keeps tenants apart, and reads every tenant tenant by tenant', async () => {
      const s = await store();
      const [t1, t2] = [freshTenant(), freshTenant()];
      await s.run(t1, (tx) => void tx.put('others', { id: 'a', tenantId: t1 }));
      await s.run(t2, (tx) => void tx.put('others', { id: 'a', tenantId: t2, other: true }));
      await s.run(t1, (tx) => void tx.put('others', { id: 'b', tenantId: t1 }));
      expect(await s.read('others', t1)).toEqual([
        { id: 'a', tenantId: t1 },
        { id: 'b', tenantId: t1 },
      ]);
      expect(await s.run(t2, (tx) => [tx.get('others', t2, 'b'), tx.list('others', t2)])).toEqual([undefined, [{ id: 'a', tenantId: t2, other: true }]]);
      expect((await s.read('others')).map((r) => `${r.tenantId}/${r.id}`)).toEqual([`${t1}/a`, `${t1}/b`, `${t2}/a`]);
    });

    it('deletes: gone for the run that deleted, for later runs and for lookups', async () => {
      const s = await store();
      const t = freshTenant();
      await s.run(t, (tx) => void tx.put('things', { id: 'a', tenantId: t }));
      const inRun = await s.run(t, (tx) => {
        tx.delete('things', t, 'a');
        return [tx.get('things', t, 'a'), tx.list('things', t)];
      });
      expect(inRun).toEqual([undefined, []]);
      expect(await s.lookup('things', t, 'a')).toBeUndefined();
      expect(await s.run(t, (tx) => tx.get('things', t, 'a'))).toBeUndefined();
    });

    it('takes a savepoint back: only the writes after it are dropped', async () => {
      const s = await store();
      const t = freshTenant();
      const inRun = await s.run(t, (tx) => {
        tx.put('things', { id: 'kept', tenantId: t });
        const savepoint = tx.savepoint();
        tx.put('things', { id: 'dropped', tenantId: t });
        tx.delete('things', t, 'kept');
        tx.rollbackTo(savepoint);
        return tx.list('things', t).map((r) => r.id);
      });
      expect(inRun).toEqual(['kept']);
      expect((await s.read('things', t)).map((r) => r.id)).toEqual(['kept']);
    });

    it('clears all: every record of every tenant goes, the run’s own later writes stay', async () => {
      const s = await store();
      const [t1, t2] = [freshTenant(), freshTenant()];
      await s.run(t1, (tx) => void tx.put('things', { id: 'a', tenantId: t1 }));
      await s.run(t2, (tx) => void tx.put('others', { id: 'b', tenantId: t2 }));
      const inRun = await s.run('_', (tx) => {
        tx.clearAll();
        tx.put('others', { id: 'new', tenantId: t2 });
        return [tx.get('things', t1, 'a'), tx.list('others', t2).map((r) => r.id)];
      });
      expect(inRun).toEqual([undefined, ['new']]);
      expect([await s.read('things'), await s.read('others')]).toEqual([[], [{ id: 'new', tenantId: t2 }]]);
    });

    it('commits only the last run’s writes when a run is repeated after a suspension', async () => {
      const s = await store();
      const t = freshTenant();
      await s.run(t, (tx) => void tx.put('things', { id: 'there', tenantId: t }));
      let runs = 0;
      const result = await s.run(t, (tx) => {
        runs++;
        // Written before the reads, so a store that kept a suspended run's writes would show it.
        tx.put('things', { id: `run-${runs}`, tenantId: t });
        const there = tx.get('things', t, 'there');
        const others = tx.list('others', t);
        return [there?.id, others.length];
      });
      expect(result).toEqual(['there', 0]);
      // The PostgreSQL store starts every transaction cold: each of the two reads suspends once.
      expect(runs).toBe(suspends ? 3 : 1);
      expect((await s.read('things', t)).map((r) => r.id)).toEqual(['there', `run-${runs}`]);
    });

    it('keeps read-modify-write exact under concurrent runs of one tenant', async () => {
      const s = await store();
      const t = freshTenant();
      await s.run(t, (tx) => void tx.put('counters', { id: 'n', tenantId: t, value: 0 }));
      const increments = Array.from({ length: 20 }, () =>
        s.run(t, (tx) => {
          const n = tx.get<{ id: string; tenantId: string; value: number }>('counters', t, 'n')!;
          return tx.put('counters', { ...n, value: n.value + 1 }).value;
        }),
      );
      expect((await Promise.all(increments)).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await s.lookup('counters', t, 'n')).toMatchObject({ value: 20 });
    });

    it('runs concurrent runs of one tenant as if one after the other: each sees those before it, a throwing one takes back only its own writes', async () => {
      const s = await store();
      const t = freshTenant();
      await s.run(t, (tx) => {
        for (const id of ['a', 'b', 'c']) tx.put('things', { id, tenantId: t });
      });
      const runs = [
        s.run(t, (tx) => tx.delete('things', t, 'a')),
        s.run(t, (tx) => {
          tx.put('things', { id: 'x', tenantId: t });
          throw new Error('refused');
        }),
        s.run(t, (tx) => tx.list('things', t).map((r) => r.id)),
        // Deleted by an earlier run, put again by a later one: back at the end, as after two commits.
        s.run(t, (tx) => void tx.put('things', { id: 'a', tenantId: t, again: true })),
        s.run(t, (tx) => void tx.put('things', { id: 'b', tenantId: t, updated: true })),
        s.run(t, (tx) => tx.list('things', t).map((r) => r.id)),
      ];
      const settled = await Promise.allSettled(runs);
      expect(settled.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
        undefined,
        'refused',
        ['b', 'c'],
        undefined,
        undefined,
        ['b', 'c', 'a'],
      ]);
      expect(await s.read('things', t)).toEqual([
        { id: 'b', tenantId: t, updated: true },
        { id: 'c', tenantId: t },
        { id: 'a', tenantId: t, again: true },
      ]);
    });

    it('runs a read-only run after the runs queued before it: it sees what they wrote, and one queued after it does not hold it up', async () => {
      const s = await store();
      const t = freshTenant();
      await s.run(t, (tx) => tx.put('things', { id: 'a', tenantId: t }));
      // Not awaited: the write, the read-only run and another write are queued together.
      const first = s.run(t, (tx) => tx.put('things', { id: 'b', tenantId: t }));
      const read = s.run(t, (tx) => ({ ids: tx.list('things', t).map((r) => r.id), a: tx.get('things', t, 'a') }), { readOnly: true });
      const later = s.run(t, (tx) => tx.put('things', { id: 'c', tenantId: t }));
      await Promise.all([first, later]);
      const seen = await read;
      expect(seen.a).toEqual({ id: 'a', tenantId: t });
      // It read one snapshot, taken after 'b' committed: 'c' is in it or not, never 'c' without 'b'.
      expect(seen.ids.slice(0, 2)).toEqual(['a', 'b']);
      expect(await s.read('things', t)).toHaveLength(3);
    });

    it('answers a page of the records that match a query, and how many match, as queryRecords does over the list', async () => {
      const s = await store();
      const t = freshTenant();
      const other = freshTenant();
      const things = [
        { id: 'a', card: 'c1', kind: 'DEPOSIT', at: 100, email: 'Ann@Example.com', ok: true, chain: { hash: 'h1', n: 2 } },
        { id: 'b', card: 'c2', kind: 'DEPOSIT', at: 200, email: 'bob@example.com', ok: false, chain: null },
        { id: 'c', card: 1, kind: 'WITHDRAW', at: '300', email: 'ANN@EXAMPLE.COM', chain: ['h1'] },
        { id: 'd', card: '1', kind: 'DEPOSIT', at: 300.5, note: 'it\'s "quoted" \\ and ü', chain: { hash: 'H1', deep: { x: 1 } } },
        { id: 'e', card: 'c1', kind: 'WITHDRAW', at: 400, email: 7, chain: 'h1' },
        { id: 'f', card: 'c1', kind: 'DEPOSIT', at: 500, ok: 'true', chain: { hash: 'h1' } },
        { id: 'g', card: 'c3', kind: 'OTHER', at: 600, email: 'İΟΔΟΣ@Example.com' },
      ];
      await s.run(t, (tx) => things.forEach((r) => tx.put('things', { ...r, tenantId: t })));
      await s.run(other, (tx) => tx.put('things', { id: 'x', tenantId: other, card: 'c1', kind: 'DEPOSIT', at: 100 }));
      const all = { offset: 0, limit: 100 };
      const cases: Array<[RecordQuery, string[], number]> = [
        [all, ['a', 'b', 'c', 'd', 'e', 'f', 'g'], 7],
        [{ ...all, newestFirst: true }, ['g', 'f', 'e', 'd', 'c', 'b', 'a'], 7],
        [{ where: { card: 'c1' }, ...all }, ['a', 'e', 'f'], 3],
        // === : a string is not the number it spells, nor a boolean its name.
        [{ where: { card: 1 }, ...all }, ['c'], 1],
        [{ where: { card: '1' }, ...all }, ['d'], 1],
        [{ where: { ok: true }, ...all }, ['a'], 1],
        [{ where: { card: 'c1', kind: 'DEPOSIT', unset: undefined }, ...all }, ['a', 'f'], 2],
        [{ where: { card: { in: ['c2', 1] } }, ...all }, ['b', 'c'], 2],
        [{ where: { card: { in: [] } }, ...all }, [], 0],
        // Bounds included; a value that is not a number never meets a range.
        [{ where: { at: { from: 200, to: 300.5 } }, ...all }, ['b', 'd'], 2],
        [{ where: { at: { to: 200 } }, ...all }, ['a', 'b'], 2],
        [{ where: { at: {} }, ...all }, ['a', 'b', 'd', 'e', 'f', 'g'], 6],
        [{ where: { at: { from: -Infinity, to: Infinity } }, ...all }, ['a', 'b', 'd', 'e', 'f', 'g'], 6],
        [{ where: { at: { from: Number.NaN } }, ...all }, [], 0],
        [{ where: { email: { caseless: 'ann@example.COM' } }, ...all }, ['a', 'c'], 2],
        // Lowercased as JavaScript does, beyond ASCII: a final sigma, a dotted capital I.
        [{ where: { email: { caseless: 'i̇οδος@example.com' } }, ...all }, ['g'], 1],
        [{ where: { email: { caseless: 'iοδοσ@example.com' } }, ...all }, [], 0],
        [{ where: { note: 'it\'s "quoted" \\ and ü' }, ...all }, ['d'], 1],
        [{ where: { missing: 'x' }, ...all }, [], 0],
        // A nested field: the value must be an object (not null, an array or a string) whose fields meet theirs.
        [{ where: { chain: { fields: { hash: 'h1' } } }, ...all }, ['a', 'f'], 2],
        [{ where: { chain: { fields: { hash: { caseless: 'h1' } } } }, ...all }, ['a', 'd', 'f'], 3],
        [{ where: { chain: { fields: {} } }, ...all }, ['a', 'd', 'f'], 3],
        [{ where: { chain: { fields: { hash: 'h1', n: 2 } }, card: 'c1' }, ...all }, ['a'], 1],
        [{ where: { chain: { fields: { hash: { in: ['H1', 'zz'] }, unset: undefined } } }, ...all }, ['d'], 1],
        [{ where: { chain: { fields: { deep: { fields: { x: { from: 1 } } } } } }, ...all }, ['d'], 1],
        [{ where: { chain: { fields: { missing: 'h1' } } }, ...all }, [], 0],
        // The page of the matches: offset then limit; the total counts them all.
        [{ where: { kind: 'DEPOSIT' }, newestFirst: true, offset: 1, limit: 2 }, ['d', 'b'], 4],
        [{ where: { kind: 'DEPOSIT' }, offset: 10, limit: 2 }, [], 4],
        [{ where: { kind: 'DEPOSIT' }, offset: 0, limit: 0 }, [], 4],
        [{ where: { kind: 'DEPOSIT' }, offset: 1, limit: Infinity }, ['b', 'd', 'f'], 4],
        [{ where: { kind: 'DEPOSIT' }, offset: Number.NaN, limit: 2.7 }, ['a', 'b'], 4],
        [{ where: { kind: 'DEPOSIT' }, offset: 0, limit: Number.NaN }, [], 4],
      ];
      const answers = await s.run(t, (tx) => cases.map(([query]) => tx.page('things', t, query)), { readOnly: true });
      const stored = await s.read('things', t);
      cases.forEach(([query, ids, total], i) => {
        expect({ query, ids: answers[i]!.records.map((r) => r.id), total: answers[i]!.total }).toEqual({ query, ids, total });
        expect(answers[i]).toEqual(queryRecords(stored, query));
      });
      // The same from a run that writes (under the tenant's lock on PostgreSQL).
      expect(await s.run(t, (tx) => tx.page('things', t, { where: { card: 'c1' }, newestFirst: true, offset: 0, limit: 2 }))).toEqual({
        records: [things[5], things[4]].map((r) => ({ ...r, tenantId: t })),
        total: 3,
      });
    });

    it('orders a page by fields, numbers then strings then the rest, ties in insertion order', async () => {
      const s = await store();
      const t = freshTenant();
      const rows: Array<[string, unknown, unknown]> = [
        ['a', 200, 'x'],
        ['b', 100, 'y'],
        ['c', 200, 'z'],
        ['d', '150', 'w'],
        ['e', undefined, 'v'],
        ['f', 100, 'Z'],
        ['g', 200, 'x'],
        ['h', 'abc', 'é'],
      ];
      await s.run(t, (tx) => rows.forEach(([id, at, name]) => tx.put('things', { id, tenantId: t, at, name })));
      const all = { offset: 0, limit: 100 };
      const cases: Array<[RecordQuery, string[]]> = [
        [{ order: [{ field: 'at', descending: true }], ...all }, ['a', 'c', 'g', 'b', 'f', 'h', 'd', 'e']],
        [{ order: [{ field: 'at', descending: true }], newestFirst: true, ...all }, ['g', 'c', 'a', 'f', 'b', 'h', 'd', 'e']],
        [{ order: [{ field: 'at' }], ...all }, ['b', 'f', 'a', 'c', 'g', 'd', 'h', 'e']],
        [
          {
            order: [
              { field: 'at', descending: true },
              { field: 'name', descending: true },
            ],
            ...all,
          },
          ['c', 'a', 'g', 'b', 'f', 'h', 'd', 'e'],
        ],
        [{ order: [{ field: 'name' }], ...all }, ['f', 'e', 'd', 'a', 'g', 'b', 'c', 'h']],
        [{ where: { at: { from: 100 } }, order: [{ field: 'at', descending: true }], offset: 1, limit: 3 }, ['c', 'g', 'b']],
      ];
      const answers = await s.run(t, (tx) => cases.map(([query]) => tx.page('things', t, query)), { readOnly: true });
      const stored = await s.read('things', t);
      cases.forEach(([query, ids], i) => {
        expect({ query, ids: answers[i]!.records.map((r) => r.id) }).toEqual({ query, ids });
        expect(answers[i]).toEqual(queryRecords(stored, query));
      });
    });

    it('shows a page the run’s own writes and those of runs committed with it', async () => {
      const s = await store();
      const t = freshTenant();
      await s.run(t, (tx) => ['a', 'b'].forEach((id) => tx.put('things', { id, tenantId: t, kind: 'K' })));
      const query = { where: { kind: 'K' }, newestFirst: true, offset: 0, limit: 10 };
      const own = await s.run(t, (tx) => {
        tx.put('things', { id: 'c', tenantId: t, kind: 'K' });
        tx.put('things', { id: 'a', tenantId: t, kind: 'other' });
        return tx.page('things', t, query);
      });
      expect({ ids: own.records.map((r) => r.id), total: own.total }).toEqual({ ids: ['c', 'b'], total: 2 });
      // Not awaited: on PostgreSQL the three share a transaction, and the third pages over the first two's writes.
      const runs = [
        s.run(t, (tx) => tx.put('things', { id: 'd', tenantId: t, kind: 'K' })),
        s.run(t, (tx) => tx.delete('things', t, 'b')),
        s.run(t, (tx) => tx.page('things', t, query)),
      ];
      const [, , after] = (await Promise.all(runs)) as [unknown, unknown, { records: Array<{ id: string }>; total: number }];
      expect({ ids: after.records.map((r) => r.id), total: after.total }).toEqual({ ids: ['d', 'c'], total: 2 });
    });

    it('scans a tenant’s records for those a function keeps, in insertion order, across pages of the read', async () => {
      const s = await store();
      const t = freshTenant();
      const other = freshTenant();
      // More records than a page of PostgreSQL's scan (2,000), with updates that keep their place and a
      // delete and put that moves one to the end.
      await s.run(t, (tx) => {
        for (let n = 0; n < 4_500; n++) tx.put('scanned', { id: `r${n}`, tenantId: t, n, odd: n % 2 === 1 });
      });
      await s.run(other, (tx) => tx.put('scanned', { id: 'r7', tenantId: other, n: 7, odd: true }));
      await s.run(t, (tx) => {
        tx.put('scanned', { id: 'r1999', tenantId: t, n: 1999, odd: true, updated: true });
        tx.delete('scanned', t, 'r3');
      });
      await s.run(t, (tx) => tx.put('scanned', { id: 'r3', tenantId: t, n: 3, odd: true, moved: true }));
      const field = (r: StoredRecord, name: string) => (r as unknown as Record<string, unknown>)[name];
      const kept = await s.scan('scanned', t, { keep: (r) => (field(r, 'n') as number) % 1000 === 999 || r.id === 'r3' || r.id === 'r7' });
      expect(kept).toEqual([
        { id: 'r7', tenantId: t, n: 7, odd: true },
        { id: 'r999', tenantId: t, n: 999, odd: true },
        { id: 'r1999', tenantId: t, n: 1999, odd: true, updated: true },
        { id: 'r2999', tenantId: t, n: 2999, odd: true },
        { id: 'r3999', tenantId: t, n: 3999, odd: true },
        { id: 'r3', tenantId: t, n: 3, odd: true, moved: true },
      ]);
      expect(await s.scan('scanned', t, { keep: (r) => field(r, 'odd') === true })).toEqual(
        (await s.read('scanned', t)).filter((r) => field(r, 'odd') === true),
      );
      expect(await s.scan('scanned', freshTenant(), { keep: () => true })).toEqual([]);
      // `mentions` is a hint, as JSON text ("r3" with its quotes is not in "r3999"); `keep` still decides.
      const hinted = await s.scan('scanned', t, { keep: (r) => r.id === 'r3' || field(r, 'n') === 999, mentions: [valueText('r3'), valueText(999)] });
      expect(hinted.map((r) => r.id)).toEqual(['r999', 'r3']);
      const moved = await s.scan('scanned', t, { keep: (r) => field(r, 'moved') === true, mentions: [fieldText('moved', true)] });
      expect(moved.map((r) => r.id)).toEqual(['r3']);
    });

    it('refuses a read-only run that writes with the internal error, and keeps nothing of it', async () => {
      const s = await store();
      const t = freshTenant();
      await s.run(t, (tx) => tx.put('things', { id: 'a', tenantId: t }));
      const refused = s.run(
        t,
        (tx) => {
          tx.get('things', t, 'a');
          tx.put('others', { id: 'x', tenantId: t });
        },
        { readOnly: true },
      );
      await expect(refused).rejects.toMatchObject({ code: 'internal', diagnostic: expect.stringMatching(/^a read-only run wrote others: /) });
      expect(await s.lookup('others', t, 'x')).toBeUndefined();
      // A read-only run that throws rejects with what it threw; the store goes on.
      await expect(
        s.run(
          t,
          (tx) => {
            tx.get('things', t, 'a');
            throw new Error('not found');
          },
          { readOnly: true },
        ),
      ).rejects.toThrow('not found');
      expect(await s.run(t, (tx) => tx.get('things', t, 'a'), { readOnly: true })).toEqual({ id: 'a', tenantId: t });
    });
  });
});
