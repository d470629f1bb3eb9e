/**
 * Compact records: what a deposit leaves in the store, and that records written in the older, longer
 * forms (one `_entries` record per posting, whole hex fingerprints with a status) still load and work.
 */
import { describe, expect, it } from 'vitest';
import { canonicalDigest } from '../../src/core/fingerprint.js';
import { ledgerEntries } from '../../src/core/ledger.js';
import { readScenario } from '../../src/core/scenario.js';
import type { Sandbox } from '../../src/sandbox.js';
import { DEFAULT_TENANT, onerway } from '../helpers/onerway.js';
import { control, makeSandbox } from '../helpers/sandbox.js';

/** Every account of the tenant equals the sum of its postings. */
function expectReconciled(sb: Sandbox, tenant = DEFAULT_TENANT): void {
  const entries = ledgerEntries(sb.store.list('_entries', tenant));
  for (const account of sb.store.list('_accounts', tenant) as unknown as Array<{ id: string; balance: number }>) {
    expect(
      entries.filter((e) => e.accountId === account.id).reduce((sum, e) => sum + e.amount, 0),
      account.id,
    ).toBe(account.balance);
  }
}

describe('what a deposit stores', () => {
  it('one ledger record with a leg per posting, one compact idempotency answer, and no webhook record without a URL', async () => {
    const sb = await makeSandbox();
    const api = onerway(sb);
    const cardId = await api.activeCard();
    const count = (c: string) => sb.store.count(c);
    const before = { entries: count('_entries'), answers: count('_idempotency'), deliveries: count('_webhook_deliveries') };
    const res = await api.deposit({ clientRequestId: 'DEP_COMPACT', cardId, amount: 10 });
    expect({ entries: count('_entries'), answers: count('_idempotency'), deliveries: count('_webhook_deliveries') }).toEqual({
      ...before,
      entries: before.entries + 1,
      answers: before.answers + 1,
    });
    const movement = sb.store.list('_entries', DEFAULT_TENANT).at(-1) as unknown as { kind: string; legs: Array<[string, number]> };
    expect(movement).toMatchObject({ kind: 'DEPOSIT', ref: `operateRecord:${res.body.data.operateRecordId}` });
    expect(movement.legs).toEqual([
      ['merchant:USD', -1010],
      ['transit:USD', 1010],
      ['transit:USD', -1000],
      [`card:${cardId}`, 1000],
      ['transit:USD', -10],
      ['fees:USD', 10],
    ]);
    const answer = sb.store.get('_idempotency', DEFAULT_TENANT, 'DEP_COMPACT')!;
    expect(Object.keys(answer).sort()).toEqual(['at', 'body', 'fingerprint', 'id', 'tenantId']);
    expect((answer as unknown as { fingerprint: string }).fingerprint).toMatch(/^[\w-]{22}$/);
    expectReconciled(sb);
  });
});

describe('records in the older forms', () => {
  it('a pack with one _entries record per posting loads, and its ledger still adds up after new movements', async () => {
    const sb = await makeSandbox();
    const pack = readScenario('default');
    const legacy = ledgerEntries(pack.collections._entries!).map((e, i) => ({ ...e, id: `ent_${i + 1}` }));
    await control(sb)
      .post('/scenarios', { ...pack, collections: { ...pack.collections, _entries: legacy } })
      .expect(200);
    const api = onerway(sb);
    const cardId = await api.activeCard();
    await api.deposit({ clientRequestId: 'DEP_AFTER_LEGACY', cardId, amount: 10 });
    expect(sb.store.list('_entries', DEFAULT_TENANT).some((r) => 'accountId' in r)).toBe(true);
    expectReconciled(sb);
  });

  it('an answer stored with the whole hex digest and its status still replays, and still conflicts on another body', async () => {
    const sb = await makeSandbox();
    const api = onerway(sb);
    const cardId = await api.activeCard();
    const body = { clientRequestId: 'DEP_LEGACY', cardId, amount: 10 };
    const text = '{"respCode":"20000","respMsg":"success","data":{"operateRecordId":299999}}';
    const tx = sb.store.begin();
    tx.put('_idempotency', {
      id: 'DEP_LEGACY',
      tenantId: DEFAULT_TENANT,
      fingerprint: canonicalDigest({ operation: 'deposit', body }).toString('hex'),
      status: 200,
      body: text,
      at: sb.clock.now(),
    });
    await sb.store.commit(tx);
    expect((await api.deposit(body)).text).toBe(text);
    expect((await api.deposit({ ...body, amount: 11 })).body.respCode).toBe('80010');
  });
});
