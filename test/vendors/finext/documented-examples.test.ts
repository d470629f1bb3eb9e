/**
 * Every example request on Finext's public pages (the seed's and the reference's, VENDORS.md §B.3 and
 * §B.8), sent as written against the default scenario just after a reset, with the clock frozen at the
 * example's timestamp. Each answers as its page documents; where a page shows no answer body, the
 * answer is the operation's contract with what the default scenario holds. docs/vendors/finext.md
 * lists the same examples. (The create-transaction example is tested with its endpoint.)
 */
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { AUTHORIZATION, LILI111, LILI12, LILI12_MAILED, MERCHANT, expectFinextContract, finext, type OperationName, OPERATIONS } from '../../helpers/finext.js';
import { control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

interface Example {
  page: string;
  operation: OperationName;
  body: Record<string, unknown>;
  /** The answer the page documents, where it shows one. */
  answer?: Record<string, unknown>;
}

const KEY = 'fd01a53d7834b06c080cd1024ae9c60a';
const OK = { code: 10200, msg: 'ok' };

const EXAMPLES: Record<string, Example> = {
  modifyOpStatus: {
    page: 'card/modify-card-operating-status (seed 001)',
    operation: 'modifyOpStatus',
    body: {
      api_key: KEY,
      request_id: '1b608ec128f34834a176f70d7ca6e3f7',
      timestamp: '1683293970762',
      username: 'lili12',
      card_id: '4b7e1f659b2f413e8863ec88004ba1f8',
      op_status: 11,
      op_cause_type: 1,
      sign: '6d97e5373268d92bf9e799121899b7f4',
    },
    answer: OK,
  },
  activate: {
    page: 'card/activate-the-card',
    operation: 'activeCard',
    body: {
      api_key: KEY,
      request_id: '6bd5c3c256824bd6b3f8d47adfe60f9a',
      timestamp: '1683293861132',
      username: 'lili12',
      kit_number: '111111',
      pin: '1213',
      sign: 'ad990a3c8062c193720cda3ca09c3af9',
    },
    answer: OK,
  },
  balance: {
    page: 'card/balance-of-card',
    operation: 'balance',
    body: {
      api_key: KEY,
      request_id: '4aa5cc9f47cc4286afa363d108bd4036',
      timestamp: '1682074640097',
      username: 'lili111',
      kit_number: '111111',
      sign: 'd0281c80bed657ff93fb997c218c44c2',
    },
    // The page's answer lacks the comma before "data"; this is it as valid JSON.
    answer: { code: 10200, msg: 'ok', data: { balance: '10.22' } },
  },
  topup: {
    page: 'card/topup-card',
    operation: 'topup',
    body: {
      api_key: KEY,
      request_id: '114da8ed89ee4940b2dedfbc808d58ae',
      timestamp: '1682074874405',
      username: 'lili111',
      kit_number: '111111',
      amount: '10.22',
      transaction_id: '16820748744051682074874405',
      sign: '7936e4bf581a6336271798a4d396322e',
    },
    answer: OK,
  },
  getAccountDetails: {
    page: 'account/get-account-details',
    operation: 'getAccountDetails',
    body: {
      api_key: KEY,
      request_id: '00e997a61134495593da781375c6077a',
      timestamp: '1682500377467',
      username: 'lili12',
      sign: '1c1f0192613e5562f30dbb964c2e0bf0',
    },
  },
  updateIDProof: {
    page: 'account/update-kyc-id-proof',
    operation: 'updateIDProof',
    body: {
      api_key: KEY,
      request_id: 'fc8d4d1d60204e8489e2b1cf40142e6f',
      timestamp: '1682073566941',
      username: 'lili111',
      id_type: 'Passport',
      id_number: '12234',
      issued_by: 'aaa',
      issued_date: '2021-07-10',
      expiration_date: '2029-07-10',
      language: 'English',
      id_front: '',
      id_back: '',
      id_front_extension: 'jpeg',
      id_back_extension: 'jpeg',
      sign: 'f0f3c461cecb59217049c1df1c56db90',
    },
    answer: OK,
  },
  addAddressProof: {
    page: 'account/add-kyc-address-proof',
    operation: 'addAddressProof',
    body: {
      api_key: KEY,
      request_id: '45242f41f20b456092d1b48caa76ce13',
      timestamp: '1682073075988',
      username: 'lili111',
      address_type: 'Utility Bill',
      address_issued_by: 'aaa',
      address_issued_date: '2023-04-04',
      address_language: 'English',
      address_proof_front: 'xxx',
      address_proof_front_extension: 'jpeg',
      address_proof_back: 'xxx',
      address_proof_back_extension: 'jpeg',
      sign: 'aeb294ad0e59e34dfae4885b26b848ee',
    },
    answer: OK,
  },
  getAllTransactionsOfCards: {
    page: 'card/get-card-transaction-of-cards',
    operation: 'getAllTransactionsOfCards',
    body: {
      api_key: KEY,
      request_id: '0f817ab66154454fadeea20ae2bfecc2',
      timestamp: '1682075328711',
      kit_numbers: ['2000001791317913'],
      page: 1,
      start_time: '1691076512020',
      end_time: '1691076568626',
      sign: '786b0623ead8c40049265e03497af503',
    },
  },
  getAllTransactions: {
    page: 'card/get-card-transactions',
    operation: 'getAllTransactions',
    body: {
      api_key: KEY,
      request_id: '0f817ab66154454fadeea20ae2bfecc2',
      timestamp: '1682075328711',
      username: 'lili111',
      kit_number: '2000001791317913',
      start_date: '2023-01-02',
      end_date: '2023-05-02',
      sign: '90f158bc350412a421891aead6abe553',
    },
  },
};

/** The address-proof example, as the update page shows it too (the same request). */
const UPDATE_ADDRESS_PROOF: Example = { ...EXAMPLES.addAddressProof!, page: 'account/update-kyc-address-proof', operation: 'updateAddressProof' };

/** A fresh sandbox reset to the default scenario, its clock frozen at the example's timestamp, and the example's answer. */
async function replay(example: Example) {
  const sb = await makeSandbox();
  await control(sb).post('/reset').expect(200);
  await control(sb)
    .post('/clock', { now: Number(example.body.timestamp) })
    .expect(200);
  const res = await request(sb.app)
    .post(`/api/v1${OPERATIONS[example.operation]}`)
    .set('authorization', AUTHORIZATION)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(example.body));
  expect(res.status).toBe(200);
  expectFinextContract(example.operation, res.body);
  if (example.answer) expect(res.text, res.headers['x-sandbox-diagnostic']).toBe(JSON.stringify(example.answer));
  else expect(res.body.code, res.headers['x-sandbox-diagnostic']).toBe(10200);
  return { sb, api: finext(sb), body: res.body };
}

describeStores('finext documented-examples', () => {
  describe('finext documented examples, each alone after a reset, at its own timestamp', () => {
    it("modifyOpStatus (seed 001) blocks lili12's card: op_status 8", async () => {
      const { api } = await replay(EXAMPLES.modifyOpStatus!);
      expect(await api.opStatus(LILI12.username, LILI12.card_id)).toBe(8);
    });

    it("activate activates lili12's mailed kit 111111 (10 → 6) with pin 1213", async () => {
      const { sb, api } = await replay(EXAMPLES.activate!);
      expect(await api.opStatus(LILI12.username, LILI12_MAILED.card_id)).toBe(6);
      expect(await sb.store.lookup('finext.cards', MERCHANT.tenant, LILI12_MAILED.card_id)).toMatchObject({ state: 'ACTIVE', pin: '1213' });
    });

    it('balance answers lili111\'s kit 111111 holds "10.22"', async () => {
      await replay(EXAMPLES.balance!);
    });

    it("topup without fund_source credits 10.22 to lili111's kit 111111 (less the 1 % fee)", async () => {
      const { api } = await replay(EXAMPLES.topup!);
      expect(await api.balance(LILI111.username, LILI111.kit_number)).toBe('20.34');
      expect((await api.transactions({ kit_numbers: ['111111'] })).list.map((t) => [t.category, t.amount, t.transaction_id])).toEqual([
        ['CR TOP-UP', '+10.22', '16820748744051682074874405'],
        ['DR FEE', '-0.10', expect.any(String)],
      ]);
    });

    it('getAccountDetails answers lili12: kyc_status 2, the active card and the mailed kit 111111', async () => {
      const { body } = await replay(EXAMPLES.getAccountDetails!);
      expect(body.data).toMatchObject({ username: 'lili12', kyc_status: 2 });
      expect(body.data.cards.map((c: { kit_number: string; op_status: number }) => [c.kit_number, c.op_status])).toEqual([
        [LILI12.kit_number, 6],
        ['111111', 10],
      ]);
    });

    it('updateIDProof (issued_by "aaa", empty images) replaces lili111\'s ID proof; KYC waits for the address proof (3)', async () => {
      const { sb, api } = await replay(EXAMPLES.updateIDProof!);
      expect(await api.kycStatus(LILI111.username)).toBe(3);
      expect(await sb.store.lookup('finext.accounts', MERCHANT.tenant, 'lili111')).toMatchObject({
        idProof: { id_number: '12234', issued_by: 'aaa', id_back_extension: null },
      });
    });

    it.each([
      ['addAddressProof', EXAMPLES.addAddressProof!],
      ['updateAddressProof', UPDATE_ADDRESS_PROOF],
    ])(
      '%s (the same request on the add and the update page) resubmits lili111 (3 → 1), and the review due at once approves it (→ 2)',
      async (_name, example) => {
        const { sb, api } = await replay(example);
        expect(await api.kycStatus(LILI111.username)).toBe(2);
        const stored = (await sb.store.lookup('finext.accounts', MERCHANT.tenant, 'lili111')) as unknown as { history: Array<{ from: string; to: string }> };
        expect(stored).toMatchObject({ addressProof: { address_issued_by: 'aaa', address_issued_date: '2023-04-04' } });
        expect(stored.history.map((h) => `${h.from}→${h.to}`)).toEqual(['RESUBMIT→SUBMITTED', 'SUBMITTED→APPROVED']);
      },
    );

    it("getAllTransactionsOfCards answers kit 2000001791317913's range with total and hasMore", async () => {
      const { body } = await replay(EXAMPLES.getAllTransactionsOfCards!);
      expect(body.data).toEqual({ list: [], page: 1, page_size: 1000, total: 0, hasMore: false });
    });

    it("getAllTransactions answers lili111's kit 2000001791317913 over 2023-01-02..2023-05-02", async () => {
      const { body } = await replay(EXAMPLES.getAllTransactions!);
      expect(body.data).toEqual({ list: [] });
    });
  });

  describe('finext documented examples in its docs page', () => {
    it('docs/vendors/finext.md lists every example by its request_id', () => {
      const page = readFileSync(new URL('../../../docs/vendors/finext.md', import.meta.url), 'utf8');
      const section = page.slice(page.indexOf('## Documented examples'), page.indexOf('\n## ', page.indexOf('## Documented examples') + 1));
      for (const [name, example] of Object.entries(EXAMPLES)) expect(section, name).toContain(String(example.body.request_id));
      expect(section).toContain('updateAddressProof');
    });
  });
});
