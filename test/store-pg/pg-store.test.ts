/**
 * What only the PostgreSQL store has: its versioned schema, its locks across connections (two stores on
 * one database stand for two replicas), and driver errors as the sandbox's internal error.
 */
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { SandboxError } from '../../src/core/errors.js';
import { GLOBAL } from '../../src/core/ids.js';
import { migrate, MIGRATIONS } from '../../src/store-pg/migrations.js';
import { PgStore } from '../../src/store-pg/pg-store.js';
import { createPool } from '../../src/store-pg/pool.js';
import * as sql from '../../src/store-pg/sql.js';
import { describePostgres } from '../helpers/postgres.js';

interface Counter {
  id: string;
  tenantId: string;
  value: number;
}

describePostgres('the PostgreSQL store', (url) => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  const open = async () => {
    const store = await PgStore.open(url());
    opened.push(store);
    return store;
  };
  const client = async () => {
    const c = new pg.Client({ connectionString: url() });
    await c.connect();
    opened.push({ close: () => c.end() });
    return c;
  };

  it('creates its schema at the first start, once however many start together, and migrates nothing after', async () => {
    await Promise.all([open(), open(), open()]);
    const db = await client();
    const { rows } = await db.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    const tables = await db.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    expect(tables.rows.map((r) => r.tablename)).toEqual(['job_leases', 'journal', 'records', 'sandbox_state', 'schema_migrations']);
    const pool = createPool(url());
    try {
      expect(await migrate(pool)).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('refuses a database migrated by a newer sandbox, naming both versions', async () => {
    await open();
    const db = await client();
    await db.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from-the-future')");
    try {
      await expect(PgStore.open(url())).rejects.toThrow(/schema is at version 999, newer than this sandbox knows \(2\)/);
    } finally {
      await db.query('DELETE FROM schema_migrations WHERE version = 999');
    }
  });

  it('keeps read-modify-write exact across two stores on one database (the tenant lock), and the global tenant’s counters too', async () => {
    const [a, b] = [await open(), await open()];
    await a.run('lock-t1', (tx) => void tx.put('counters', { id: 'n', tenantId: 'lock-t1', value: 0 }));
    await a.run(GLOBAL, (tx) => void tx.put('counters', { id: 'shared', tenantId: GLOBAL, value: 0 }));
    const bump = (tx: Parameters<Parameters<PgStore['run']>[1]>[0], tenantId: string, id: string) => {
      const n = tx.get<Counter>('counters', tenantId, id)!;
      tx.put('counters', { ...n, value: n.value + 1 });
    };
    const runs = Array.from({ length: 30 }, (_, i) => {
      const store = i % 2 === 0 ? a : b;
      // Runs of different tenants meet on one record of the global tenant, as every deposit's counters do.
      const tenant = i % 3 === 0 ? 'lock-t1' : `lock-other-${i % 3}`;
      return store.run(tenant, (tx) => {
        if (tenant === 'lock-t1') bump(tx, 'lock-t1', 'n');
        bump(tx, GLOBAL, 'shared');
      });
    });
    await Promise.all(runs);
    expect(await a.lookup('counters', 'lock-t1', 'n')).toMatchObject({ value: 10 });
    expect(await b.lookup('counters', GLOBAL, 'shared')).toMatchObject({ value: 30 });
  });

  it('keeps a record’s JSON text as written: key order and number forms', async () => {
    const store = await open();
    await store.run('json-t', (tx) => void tx.put('things', { zeta: 1, id: 'a', tenantId: 'json-t', amount: '10.00', n: 1.5 }));
    const db = await client();
    const { rows } = await db.query("SELECT data::text AS text FROM records WHERE collection = 'things' AND tenant_id = 'json-t'");
    expect(rows[0].text).toBe('{"zeta":1,"id":"a","tenantId":"json-t","amount":"10.00","n":1.5}');
    expect(JSON.stringify(await store.lookup('things', 'json-t', 'a'))).toBe(rows[0].text);
  });

  it('answers a driver error with the internal error and a diagnostic, commits nothing, and goes on working', async () => {
    const store = await open();
    const failed = store.run('nul-t', (tx) => {
      tx.put('things', { id: 'fine', tenantId: 'nul-t' });
      // PostgreSQL's text cannot hold a NUL character: the write is refused by the server.
      tx.put('things', { id: 'a\u0000b', tenantId: 'nul-t' });
    });
    await expect(failed).rejects.toBeInstanceOf(SandboxError);
    await expect(failed).rejects.toMatchObject({ code: 'internal', diagnostic: expect.stringMatching(/^database unavailable: /) });
    expect(await store.read('things', 'nul-t')).toEqual([]);
    await store.run('nul-t', (tx) => void tx.put('things', { id: 'after', tenantId: 'nul-t' }));
    expect((await store.read('things', 'nul-t')).map((r) => r.id)).toEqual(['after']);
  });

  it('commits the runs of one tenant that queue up meanwhile in one transaction (group commit), each resolving after it', async () => {
    const batches: number[] = [];
    const store = await PgStore.open(url(), { onCommit: (runs) => void batches.push(runs.length) });
    opened.push(store);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => store.run('batch-t', (tx) => tx.put('things', { id: `r${i}`, tenantId: 'batch-t' }).id)),
    );
    expect(results).toEqual(Array.from({ length: 30 }, (_, i) => `r${i}`));
    expect(batches.reduce((a, b) => a + b, 0)).toBe(30);
    // The first run goes alone (nothing queued yet); the 29 behind it wait for its transaction and share the next ones.
    expect(batches.length).toBeLessThan(30);
    expect((await store.read('things', 'batch-t')).map((r) => r.id)).toEqual(results);
  });

  it('reads up front the keys a tenant’s last transaction had to load, so the same work runs once, and still reads the newest values', async () => {
    const [store, other] = [await open(), await open()];
    await store.run('hints-t', (tx) => {
      for (const id of ['a', 'b', 'c']) tx.put('things', { id, tenantId: 'hints-t', n: 1 });
    });
    const read = () => {
      let runs = 0;
      const work = (tx: Parameters<Parameters<PgStore['run']>[1]>[0]) => {
        runs++;
        return ['a', 'b', 'c', 'missing'].map((id) => tx.get<{ id: string; tenantId: string; n: number }>('things', 'hints-t', id)?.n ?? 0);
      };
      return store.run('hints-t', work).then((values) => ({ values, runs }));
    };
    expect(await read()).toEqual({ values: [1, 1, 1, 0], runs: 5 });
    // Changed through another store (another replica) meanwhile: the prefetch reads the database, not a copy.
    await other.run('hints-t', (tx) => {
      tx.put('things', { id: 'b', tenantId: 'hints-t', n: 2 });
      tx.put('things', { id: 'missing', tenantId: 'hints-t', n: 3 });
    });
    expect(await read()).toEqual({ values: [1, 2, 1, 3], runs: 1 });
  });
  it('keeps the planner’s figures current while the table fills, so a key of a large collection is read by the primary key', async () => {
    const store = await open();
    const db = await client();
    const keys = (
      [
        ['_idempotency', 'plan-t', 'k-42'],
        ['_idempotency', 'plan-t', 'k-missing'],
      ] as const
    ).map((k) => k.map((v) => db.escapeLiteral(v)) as unknown as readonly [string, string, string]);
    // As a transaction runs it: prepared, with a generic plan.
    await db.query(sql.GET_MANY.prepare);
    await db.query('SET plan_cache_mode = force_generic_plan');
    const indexes = async () => {
      const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql.getMany(keys)}`);
      return [...JSON.stringify(rows[0]!['QUERY PLAN']).matchAll(/"Index Name":"(\w+)"/g)].map((m) => m[1]);
    };
    // A fresh table fills faster than autovacuum wakes (a minute): 1,000 rows a transaction, as a busy tenant writes them.
    let written = 0;
    const fill = (rows: number) =>
      store.run('plan-t', (tx) => {
        for (let i = 0; i < rows; i++, written++) tx.put('_idempotency', { id: `k-${written}`, tenantId: 'plan-t', answer: 'x'.repeat(40) });
      });
    for (let i = 0; i < 5; i++) await fill(1000);
    // The server reports a table's changes within about a second; each further commit lets the store look again.
    const deadline = Date.now() + 30_000;
    let used = await indexes();
    while (!(used.length > 0 && used.every((name) => name === 'records_pkey')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      await fill(1000);
      used = await indexes();
    }
    expect(used.length, 'index scans of the expected-records read').toBeGreaterThan(0);
    expect(used, 'indexes of the expected-records read').toEqual(used.map(() => 'records_pkey'));
    const { rows } = await db.query<{ analyzed: boolean }>("SELECT last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables WHERE relname = 'records'");
    expect(rows[0]!.analyzed, 'analyzed by the sandbox, not by autovacuum').toBe(true);
  }, 60_000);
});
