/**
 * --retention-history: off by default (history is kept for good, as the vendors keep it); when set,
 * settled history older than it is forgotten on the sandbox clock, pending records stay whatever their
 * age, and every balance stays what it was and equal to the sum of its ledger postings. On both stores:
 * records are read through the port (`read`, `lookup`, `owners`), which both answer.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { CARRIED_FORWARD, ledgerEntries } from '../../src/core/ledger.js';
import type { StoredRecord } from '../../src/core/store.js';
import type { Sandbox } from '../../src/sandbox.js';
import { DEFAULT_TENANT, holdSettlements, onerway, requestId, simulate } from '../helpers/onerway.js';
import { control } from '../helpers/sandbox.js';
import { describeStores } from '../helpers/stores.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Account = StoredRecord & { balance: number; held: number };

/** Every account of every tenant: its balance, and whether its postings add up to it. */
async function books(sb: Sandbox): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const tenantId of await sb.store.owners('_accounts')) {
    const sums = new Map<string, number>();
    for (const e of ledgerEntries(await sb.store.read('_entries', tenantId))) sums.set(e.accountId, (sums.get(e.accountId) ?? 0) + e.amount);
    for (const acc of (await sb.store.read('_accounts', tenantId)) as Account[]) {
      expect(sums.get(acc.id) ?? 0, `${tenantId} ${acc.id}`).toBe(acc.balance);
      out.set(`${tenantId} ${acc.id}`, acc.balance);
    }
  }
  return out;
}

const count = async (sb: Sandbox, collection: string) => (await sb.store.read(collection)).length;
const get = (sb: Sandbox, collection: string, id: string | number) => sb.store.lookup(collection, DEFAULT_TENANT, String(id));

/** Deposits, a pending deposit, a cleared authorization and an open one on one Onerway card. */
async function history(sb: Sandbox) {
  const api = onerway(sb);
  const cardId = await api.activeCard();
  const settled = [];
  for (let i = 0; i < 3; i++) settled.push((await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 10 })).body.data.operateRecordId as number);
  await simulate(sb, 'authorize', { cardId, amount: 5 }).expect(200);
  await simulate(sb, 'clear', { cardId, amount: 5 }).expect(200);
  await simulate(sb, 'authorize', { cardId, amount: 7 }).expect(200);
  const open = ((await sb.store.read('_card_txns', DEFAULT_TENANT)) as Array<StoredRecord & { holdRemaining: number }>).find((t) => t.holdRemaining > 0)!.id;
  await holdSettlements(sb, 10 * DAY);
  const pending = (await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 1 })).body.data.operateRecordId as number;
  return { api, cardId, settled, pending, open };
}

describeStores('--retention-history', (makeSandbox) => {
  const counts = async (sb: Sandbox) => ({
    ops: await count(sb, 'onerway.operateRecords'),
    entries: await count(sb, '_entries'),
    txns: await count(sb, '_card_txns'),
  });

  it('is off by default: a month later every record is still there', async () => {
    const sb = await makeSandbox();
    await history(sb);
    await control(sb).advance(11 * DAY);
    const before = await counts(sb);
    await control(sb).advance(30 * DAY);
    expect(await counts(sb)).toEqual(before);
  });

  it('forgets settled history past its time, keeps what is pending, and every balance stays as it was', async () => {
    const sb = await makeSandbox({ retention: { historyMs: HOUR } });
    const { api, cardId, settled, pending, open } = await history(sb);
    await control(sb).advance(HOUR - 60_000);
    const balances = await books(sb);
    const entriesBefore = await count(sb, '_entries');
    expect(await get(sb, 'onerway.operateRecords', settled[0]!)).toBeDefined();

    await control(sb).advance(2 * HOUR);
    expect(await books(sb)).toEqual(balances);
    for (const id of settled) expect(await get(sb, 'onerway.operateRecords', id)).toBeUndefined();
    expect(await get(sb, 'onerway.operateRecords', pending)).toMatchObject({ status: 'P' });
    // The open authorization still holds its money; the cleared one and its clearing are gone.
    const txns = (await sb.store.read('_card_txns', DEFAULT_TENANT)) as Array<StoredRecord & { kind: string; holdRemaining: number }>;
    expect(txns.map((t) => [t.id, t.holdRemaining])).toEqual([[open, 700]]);
    // Every tenant's movements fold into one carried-forward movement each.
    const entries = await sb.store.read('_entries', DEFAULT_TENANT);
    expect(entries.map((e) => e.id)).toEqual([CARRIED_FORWARD]);
    expect(await count(sb, '_entries')).toBeLessThan(entriesBefore);

    // The forgotten records are not found; the sandbox goes on: the pending deposit settles, a new one adds up.
    const listed = (await api.records({ cardId })).map((r: { operateRecordId: number }) => r.operateRecordId);
    expect(listed).toContain(pending);
    expect(listed).not.toContain(settled[0]);
    await control(sb).advance(10 * DAY);
    expect(await get(sb, 'onerway.operateRecords', pending)).toBeUndefined();
    await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 2 });
    await control(sb).advance(0);
    await books(sb);
    await simulate(sb, 'clear', { cardId, amount: 7 }).expect(200);
    await books(sb);
  });

  it("forgets every vendor's settled records in the showcase, with the same balances as a sandbox that keeps them", async () => {
    const run = async (historyMs: number) => {
      const sb = await makeSandbox({ retention: { historyMs } });
      await control(sb).post('/scenarios/showcase').expect(200);
      let funded: (StoredRecord & { kit_number: string; card_id: string; state: string }) | undefined;
      for (const c of (await sb.store.read('finext.cards')) as Array<StoredRecord & { kit_number: string; card_id: string; state: string }>) {
        const account = (await sb.store.lookup('_accounts', c.tenantId, `card:${c.card_id}`)) as Account | undefined;
        if (c.state === 'ACTIVE' && (account?.balance ?? 0) >= 50) {
          funded = c;
          break;
        }
      }
      const open = { vendor: 'finext', cardId: funded!.kit_number };
      await control(sb)
        .post('/simulate/authorize', { ...open, amount: '0.50' })
        .expect(200);
      await control(sb).advance(365 * DAY);
      return sb;
    };
    const kept = await run(Infinity);
    const forgot = await run(DAY);
    expect(await books(forgot)).toEqual(await books(kept));
    for (const collection of [
      'onerway.operateRecords',
      '_card_txns',
      'finext.transactions',
      'openapi-cn.orders',
      'openapi-cn.walletTransactions',
      'openapi-cn.cardTrades',
      'openapi-cn.payments',
    ]) {
      expect(await count(kept, collection), collection).toBeGreaterThan(0);
      expect(await count(forgot, collection), collection).toBeLessThan(await count(kept, collection));
    }
    // What still holds money stays: the open authorizations, and the Finext transaction of the one made here.
    const holding = async (sb: Sandbox) =>
      ((await sb.store.read('_card_txns')) as Array<StoredRecord & { holdRemaining: number }>).filter((t) => t.holdRemaining > 0).map((t) => t.id);
    expect(await holding(forgot)).toEqual(await holding(kept));
    expect(((await forgot.store.read('finext.transactions')) as Array<StoredRecord & { amount: number }>).map((t) => t.amount)).toContain(-50);
  });
});

describe('--retention-history', () => {
  it('is read from --retention-history and SANDBOX_RETENTION_HISTORY, and off keeps history for good', () => {
    expect(loadConfig([], {}).retention.historyMs).toBe(Infinity);
    expect(loadConfig(['--retention-history', '30d'], {}).retention.historyMs).toBe(30 * DAY);
    expect(loadConfig([], { SANDBOX_RETENTION_HISTORY: '12h' }).retention.historyMs).toBe(12 * HOUR);
    expect(loadConfig(['--retention-history', 'off'], { SANDBOX_RETENTION_HISTORY: '1h' }).retention.historyMs).toBe(Infinity);
    expect(() => loadConfig(['--retention-history', 'forever'], {})).toThrow(/must be/);
  });
});
