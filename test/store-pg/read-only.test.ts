/**
 * Operations that only read (Operation.readOnly: queries and listings) run on PostgreSQL without the
 * merchant's locks, in a snapshot of their own: a long listing does not hold up the merchant's writes,
 * and the writes do not hold up the listing. Shown here with the merchant's lock held by another
 * session, as a writer of that merchant (another replica's transaction) would hold it.
 */
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { tenantLock } from '../../src/store-pg/sql.js';
import { DEFAULT_TENANT, onerway, SECOND_API_KEY } from '../helpers/onerway.js';
import { describePostgres } from '../helpers/postgres.js';
import { T0 } from '../helpers/sandbox.js';

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close();
});

describePostgres('read-only operations on PostgreSQL', (url) => {
  it('answers a listing and a balance while the merchant is locked by another writer; a deposit waits for the lock', { timeout: 30_000 }, async () => {
    // On the old path a listing waited for the lock, up to the statement timeout, and then answered the internal error.
    const sb: Sandbox = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent', dbStatementTimeoutMs: 10_000 });
    opened.push(sb);
    const api = onerway(sb);
    const cardId = await api.activeCard();
    expect((await api.deposit({ clientRequestId: 'RO-BEFORE', cardId, amount: 10 })).body.respCode).toBe('20000');

    const holder = new pg.Client({ connectionString: url() });
    await holder.connect();
    opened.unshift({ close: () => holder.end() });
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [tenantLock(DEFAULT_TENANT)]);

    const listing = await api.getOperateRecordList({ cardId, pageNum: 1, pageSize: 10 });
    expect(listing.body.respCode, listing.headers['x-sandbox-diagnostic']).toBe('20000');
    expect(listing.body.data.records.map((r: { clientRequestId: string }) => r.clientRequestId)).toContain('RO-BEFORE');
    const balance = await api.getCardBalance({ cardId });
    expect(balance.body.respCode, balance.headers['x-sandbox-diagnostic']).toBe('20000');

    // A write of that merchant takes its lock, so it waits; the other merchant's requests go on meanwhile.
    let depositAnswered = false;
    const deposit = api.deposit({ clientRequestId: 'RO-DURING', cardId, amount: 10 }).then((res) => {
      depositAnswered = true;
      return res;
    });
    expect((await onerway(sb, SECOND_API_KEY).getOperateRecordList({ pageNum: 1, pageSize: 10 })).body.respCode).toBe('20000');
    expect(depositAnswered).toBe(false);

    await holder.query('COMMIT');
    expect((await deposit).body.respCode).toBe('20000');
    expect((await api.records({ cardId })).map((r) => r.clientRequestId)).toContain('RO-DURING');
  });
});
