/**
 * The PostgreSQL store's literals (src/store-pg/sql.ts `literal`): the same text as the driver's own
 * `escapeLiteral`, and the server reads each back as the string it was made from. And a page's caseless
 * match on a server without ICU (`pageStatements` with `icu` false), which this server can only show by
 * the statements' text and their answers over ASCII.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrate } from '../../src/store-pg/migrations.js';
import { literal, pageStatements } from '../../src/store-pg/sql.js';
import { describePostgres } from '../helpers/postgres.js';

const SAMPLES = [
  '',
  'plain',
  "it's",
  "''",
  'back\\slash',
  "both ' and \\ and \\' together",
  '{"note":"a \\"quoted\\" word, a newline \\n and \\\\u0041"}',
  JSON.stringify({ name: "O'Brien", path: 'C:\\cards\\new', emoji: '💳', cjk: '开卡' }),
  '\\',
  "'",
  " E'x'",
];

it('writes the text the driver’s escapeLiteral writes, for quotes, backslashes and any other character', () => {
  const client = new pg.Client();
  for (const value of SAMPLES) expect(literal(value), JSON.stringify(value)).toBe(client.escapeLiteral(value));
});

describePostgres('literals read back by the server', (url) => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: url() });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  it('reads each literal back as the string it was made from', async () => {
    const { rows } = await client.query<{ v: string }>(SAMPLES.map((value) => `SELECT ${literal(value)} AS v`).join(' UNION ALL '));
    expect(rows.map((r) => r.v)).toEqual(SAMPLES);
  });
});

describePostgres('a caseless page on a server without ICU', (url) => {
  it('folds with the database’s own lower(): the same answers over ASCII, no ICU collation named', async () => {
    const pool = new pg.Pool({ connectionString: url() });
    try {
      await migrate(pool);
      const t = `icu-${process.pid}`;
      for (const [id, email] of [
        ['a', 'Ann@Example.com'],
        ['b', 'bob@example.com'],
        ['c', 'ANN@EXAMPLE.COM'],
      ])
        await pool.query('INSERT INTO records (collection, tenant_id, id, data) VALUES ($1, $2, $3, $4)', [
          'things',
          t,
          id,
          JSON.stringify({ id, tenantId: t, email }),
        ]);
      const query = { where: { email: { caseless: 'ann@example.com' } }, offset: 0, limit: 10 };
      for (const icu of [true, false]) {
        const text = pageStatements('things', t, query, icu);
        expect(text.includes('und-x-icu')).toBe(icu);
        const [page, count] = (await pool.query(text)) as unknown as Array<pg.QueryResult<{ data?: { id: string }; total?: string }>>;
        expect({ icu, ids: page!.rows.map((r) => r.data!.id), total: count!.rows[0]!.total }).toEqual({ icu, ids: ['a', 'c'], total: '2' });
      }
    } finally {
      await pool.end();
    }
  });
});
