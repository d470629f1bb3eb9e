/**
 * The PostgreSQL store's literals (src/store-pg/sql.ts `literal`): the same text as the driver's own
 * `escapeLiteral`, and the server reads each back as the string it was made from.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { literal } from '../../src/store-pg/sql.js';
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
