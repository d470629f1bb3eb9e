import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT, account, holdSettlements, onerway, requestId, settle, simulate } from '../../helpers/onerway.js';
import { control, makeSandbox, describeStores } from '../../helpers/sandbox.js';
import type { Sandbox } from '../../../src/sandbox.js';
import { ledgerEntries } from '../../../src/core/ledger.js';

const OPENING = 100_000_000;

interface Row {
  id: string;
  balance: number;
  held: number;
  accountId?: string;
  amount?: number;
}

const accounts = async (sb: Sandbox) => (await sb.store.read('_accounts', DEFAULT_TENANT)) as unknown as Row[];
const total = async (sb: Sandbox) => (await accounts(sb)).reduce((sum, a) => sum + a.balance, 0);

/** Two live cards, a failed create, two deposits and a terminate, all settled. */
async function mix() {
  const sb = await makeSandbox();
  const api = onerway(sb);
  const create = (productId: number, amount: number, clientRequestId = requestId('CREATE')) =>
    api.createCard({ clientRequestId, cardholderId: 300001, productId, amount });
  const a = (await create(1, 100)).body.data.cardId;
  const b = (await create(2, 50)).body.data.cardId;
  const c = (await create(1, 30, 'MIX_FAIL')).body.data.cardId;
  await api.deposit({ clientRequestId: requestId('DEP'), cardId: a, amount: 200 });
  await api.deposit({ clientRequestId: requestId('DEP'), cardId: b, amount: 100 });
  await api.operate({ clientRequestId: requestId('TERM'), cardId: a, type: 'TERMINATE' });
  await settle(sb);
  return { sb, api, a, b, c };
}

describeStores('onerway money', () => {
  describe('onerway money', () => {
    it("returns a failed createCard's amount and CREATE fee to the merchant, leaving the card empty", async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const { body } = await api.createCard({ clientRequestId: 'MONEY_FAIL', cardholderId: 300001, productId: 2, amount: 75.5 });
      await settle(sb);
      expect((await api.records({ cardId: body.data.cardId }))[0]).toMatchObject({ type: 'CREATE', status: 'F', amount: 75.5, feeList: [] });
      expect((await account(sb, 'merchant:USD')).balance).toBe(OPENING);
      expect((await account(sb, 'transit:USD')).balance).toBe(0);
      expect((await account(sb, 'fees:USD')).balance).toBe(0);
      expect((await api.getCardBalance({ cardId: body.data.cardId })).body.data).toMatchObject({ balance: 0, availableBalance: 0 });
    });

    it('holds amount + fee in transit while a record is P, and moves it on when it settles', async () => {
      const sb = await makeSandbox();
      await holdSettlements(sb);
      await onerway(sb).createCard({ clientRequestId: 'TRANSIT', cardholderId: 300001, productId: 1, amount: 100 });
      expect([(await account(sb, 'merchant:USD')).balance, (await account(sb, 'transit:USD')).balance, (await account(sb, 'card:100001')).balance]).toEqual([
        OPENING - 10_100,
        10_100,
        0,
      ]);
      await control(sb).advance(60_000);
      expect([(await account(sb, 'transit:USD')).balance, (await account(sb, 'card:100001')).balance, (await account(sb, 'fees:USD')).balance]).toEqual([
        0, 10_000, 100,
      ]);
    });

    it('adds up after creates, deposits, a failed create and a terminate: merchant + transit + fees + cards = opening', async () => {
      const { sb, a, b, c } = await mix();
      expect((await account(sb, 'merchant:USD')).balance).toBe(OPENING - 10_100 - 5_200 - 20_200 - 10_150 + 30_000);
      expect((await account(sb, 'fees:USD')).balance).toBe(100 + 200 + 200 + 150);
      expect((await account(sb, 'transit:USD')).balance).toBe(0);
      expect(await Promise.all([a, b, c].map(async (id) => (await account(sb, `card:${id}`)).balance))).toEqual([0, 15_000, 0]);
      expect(await accounts(sb)).toHaveLength(6);
      expect(await total(sb)).toBe(OPENING);
    });

    it('keeps every account equal to the sum of its ledger entries', async () => {
      const { sb } = await mix();
      const entries = ledgerEntries(await sb.store.read('_entries', DEFAULT_TENANT)) as unknown as Row[];
      for (const acc of await accounts(sb)) {
        const sum = entries.filter((e) => e.accountId === acc.id).reduce((s, e) => s + e.amount!, 0);
        expect(sum, acc.id).toBe(acc.balance);
      }
    });

    it('adds up with network spending too: accounts + cleared − refunded = opening', async () => {
      const { sb, b } = await mix();
      await simulate(sb, 'authorize', { cardId: b, amount: 60 }).expect(200);
      await simulate(sb, 'clear', { cardId: b, amount: 70 }).expect(200);
      await simulate(sb, 'refund', { cardId: b, amount: 12.5 }).expect(200);
      expect(await account(sb, `card:${b}`)).toEqual(expect.objectContaining({ balance: 15_000 - 7_000 + 1_250, held: 0 }));
      expect((await total(sb)) + 7_000 - 1_250).toBe(OPENING);
    });
  });
});
