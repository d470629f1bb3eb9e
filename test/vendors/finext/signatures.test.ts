/**
 * Finext's `sign` (VENDORS.md §B.3, §B.8): lowercase hex MD5 of a plain concatenation, in three forms. The
 * eleven documented vectors are recomputed here, and each endpoint vector's request is shown to pass the
 * server's authentication with the clock frozen at its timestamp. The webhook vectors are checked
 * against real deliveries in webhooks.test.ts.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import {
  AUTHORIZATION,
  LILI111,
  LILI12,
  LILI12_MAILED,
  MERCHANT,
  SECOND,
  SIGN,
  expectFinextContract,
  finext,
  md5,
  type OperationName,
  OPERATIONS,
} from '../../helpers/finext.js';
import { control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const A = MERCHANT.api_key;
const S = MERCHANT.secret;

/** [case, api_key, secret, username ('' for the no-user form), timestamp, request_id, amount, expected sign], as documented. */
const VECTORS = [
  ['modifyOpStatus / cancel / replace', A, S, 'lili12', '1683293970762', '1b608ec128f34834a176f70d7ca6e3f7', '', '6d97e5373268d92bf9e799121899b7f4'],
  ['activate', A, S, 'lili12', '1683293861132', '6bd5c3c256824bd6b3f8d47adfe60f9a', '', 'ad990a3c8062c193720cda3ca09c3af9'],
  ['balance', A, S, 'lili111', '1682074640097', '4aa5cc9f47cc4286afa363d108bd4036', '', 'd0281c80bed657ff93fb997c218c44c2'],
  ['topup', A, S, 'lili111', '1682074874405', '114da8ed89ee4940b2dedfbc808d58ae', '10.22', '7936e4bf581a6336271798a4d396322e'],
  ['getAccountDetails', A, S, 'lili12', '1682500377467', '00e997a61134495593da781375c6077a', '', '1c1f0192613e5562f30dbb964c2e0bf0'],
  ['update ID proof', A, S, 'lili111', '1682073566941', 'fc8d4d1d60204e8489e2b1cf40142e6f', '', 'f0f3c461cecb59217049c1df1c56db90'],
  ['address proof', A, S, 'lili111', '1682073075988', '45242f41f20b456092d1b48caa76ce13', '', 'aeb294ad0e59e34dfae4885b26b848ee'],
  // On the transactions-of-cards page and the Card Status Notification page alike.
  [
    'getAllTransactionsOfCards / webhook card status / KYC',
    A,
    S,
    '',
    '1682075328711',
    '0f817ab66154454fadeea20ae2bfecc2',
    '',
    '786b0623ead8c40049265e03497af503',
  ],
  ['getAllTransactions', A, S, 'lili111', '1682075328711', '0f817ab66154454fadeea20ae2bfecc2', '', '90f158bc350412a421891aead6abe553'],
  ['webhook new txn', SECOND.api_key, SECOND.secret, '', '1701686571977', '926a1b796b574d3898b57188d100b16d', '', '3a48beadb69702da46dbd4169197f7f6'],
  ['webhook voided', SECOND.api_key, SECOND.secret, '', '1701689169309', '19eac333cc3b4f8782508532e2dcca23', '', 'a8afd47810df5bae1fcc3a9d9e9c12dd'],
] as const;

const PROOF_ID = {
  id_type: 'Passport',
  id_number: 'P7654321',
  issued_by: 'US',
  issued_date: '2020-01-15',
  expiration_date: '2030-01-15',
  language: 'English',
  id_front: 'aGVsbG8=',
  id_front_extension: 'jpeg',
  id_back_extension: 'jpeg',
};
const PROOF_ADDRESS = {
  address_type: 'Utility Bill',
  address_issued_by: 'PG and E',
  address_issued_date: '2023-04-01',
  address_language: 'English',
  address_proof_front: 'aGVsbG8=',
  address_proof_front_extension: 'jpeg',
};

/**
 * The endpoint vectors as requests: the documented api_key, username, timestamp, request_id (and amount)
 * with the documented sign, plus the unsigned fields each endpoint needs, and the answer expected once
 * authentication passes: the default scenario holds what each needs (the examples as the pages show
 * them are replayed in documented-examples.test.ts).
 */
const ENDPOINT_VECTORS: Array<[string, OperationName, Record<string, unknown>, number]> = [
  ['modifyOpStatus / cancel / replace', 'modifyOpStatus', { card_id: LILI12.card_id, op_status: 11, op_cause_type: 1 }, 10200],
  ['activate', 'activeCard', { kit_number: LILI12_MAILED.kit_number, pin: '1213' }, 10200],
  ['balance', 'balance', { kit_number: LILI111.kit_number }, 10200],
  ['topup', 'topup', { kit_number: LILI111.kit_number, amount: '10.22', transaction_id: 'TOPUP-VECTOR-0000000000001' }, 10200],
  ['getAccountDetails', 'getAccountDetails', {}, 10200],
  ['update ID proof', 'updateIDProof', PROOF_ID, 10200],
  ['address proof', 'addAddressProof', PROOF_ADDRESS, 10200],
  [
    'getAllTransactionsOfCards / webhook card status / KYC',
    'getAllTransactionsOfCards',
    { page: 1, start_time: '1691076512020', end_time: '1691076568626' },
    10200,
  ],
  ['getAllTransactions', 'getAllTransactions', { kit_number: '2000001791317913', start_date: '2023-01-02', end_date: '2023-05-02' }, 10200],
];

function vector(name: string) {
  const [, api_key, secret, username, timestamp, request_id, amount, sign] = VECTORS.find((v) => v[0] === name)!;
  return { api_key, secret, username, timestamp, request_id, amount, sign };
}

/** POSTs `body` as is, with an authorization header, and checks the contract. */
async function post(sb: Awaited<ReturnType<typeof makeSandbox>>, operation: OperationName, body: Record<string, unknown>) {
  const res = await request(sb.app).post(`/api/v1${OPERATIONS[operation]}`).set('authorization', AUTHORIZATION).send(body);
  expectFinextContract(operation, res.body);
  return res;
}

describeStores('finext signatures', () => {
  describe('finext sign: the documented vectors (VENDORS.md §B.3)', () => {
    it.each(VECTORS)('%s: MD5 of the concatenation is the documented sign', (_case, api_key, secret, username, timestamp, request_id, amount, expected) => {
      const text = username ? api_key + username + timestamp + secret + request_id + amount : api_key + timestamp + secret + request_id;
      expect(md5(text)).toBe(expected);
      expect(expected).toMatch(/^[0-9a-f]{32}$/);
    });

    it('the seed spells out the modifyOpStatus string to sign', () => {
      const text = 'fd01a53d7834b06c080cd1024ae9c60alili12168329397076216388ce4331b35e8e0d32777ba57d7d91b608ec128f34834a176f70d7ca6e3f7';
      expect(md5(text)).toBe('6d97e5373268d92bf9e799121899b7f4');
      expect(SIGN.user({ api_key: A, username: 'lili12', timestamp: '1683293970762', secret: S, request_id: '1b608ec128f34834a176f70d7ca6e3f7' })).toBe(
        md5(text),
      );
    });

    it.each(ENDPOINT_VECTORS)('%s: the documented request passes authentication at its timestamp (%s answers %i)', async (name, operation, fields, code) => {
      const v = vector(name);
      const sb = await makeSandbox();
      await control(sb)
        .post('/clock', { now: Number(v.timestamp) })
        .expect(200);
      const body = {
        api_key: v.api_key,
        request_id: v.request_id,
        timestamp: v.timestamp,
        ...(v.username ? { username: v.username } : {}),
        ...fields,
        sign: v.sign,
      };
      const res = await post(sb, operation, body);
      expect(res.body.code, res.headers['x-sandbox-diagnostic']).toBe(code);
    });

    it.each(ENDPOINT_VECTORS)('%s: the same request with a sign off by one digit is refused 10401', async (name, operation, fields) => {
      const v = vector(name);
      const sb = await makeSandbox();
      await control(sb)
        .post('/clock', { now: Number(v.timestamp) })
        .expect(200);
      const wrong = (v.sign.startsWith('0') ? '1' : '0') + v.sign.slice(1);
      const res = await post(sb, operation, {
        api_key: v.api_key,
        request_id: v.request_id,
        timestamp: v.timestamp,
        ...(v.username ? { username: v.username } : {}),
        ...fields,
        sign: wrong,
      });
      expect(res.body).toEqual({ code: 10401, msg: 'sign error' });
    });
  });

  describe('finext sign: which fields each form covers', () => {
    it('signs the top-up amount exactly as sent: "10.2" signed as "10.20" is refused', async () => {
      const sb = await makeSandbox();
      const api = finext(sb);
      const fields = { api_key: A, request_id: 'a'.repeat(32), timestamp: String(sb.clock.now()), username: LILI111.username };
      const res = await api.call('topup', {
        ...fields,
        kit_number: LILI111.kit_number,
        amount: '10.2',
        transaction_id: 'TOPUP-FORM-000000000001',
        sign: SIGN.topup({ ...fields, secret: S, amount: '10.20' }),
      });
      expect(res.body).toEqual({ code: 10401, msg: 'sign error' });
      expect(res.headers['x-sandbox-diagnostic']).toContain('MD5(api_key + username + timestamp + secret + request_id + amount)');
    });

    it('refuses a top-up signed in the user form, without the amount', async () => {
      const sb = await makeSandbox();
      const fields = { api_key: A, request_id: 'b'.repeat(32), timestamp: String(sb.clock.now()), username: LILI111.username };
      const res = await finext(sb).call('topup', {
        ...fields,
        kit_number: LILI111.kit_number,
        amount: '5.00',
        transaction_id: 'TOPUP-FORM-000000000002',
        sign: SIGN.user({ ...fields, secret: S }),
      });
      expect(res.body.code).toBe(10401);
    });

    it('signs getAllTransactionsOfCards in the no-user form, and refuses the user form there', async () => {
      const sb = await makeSandbox();
      const api = finext(sb);
      const base = { api_key: A, timestamp: String(sb.clock.now()), page: 1, start_time: '1772323200000', end_time: '1772323200000' };
      const good = await api.call('getAllTransactionsOfCards', {
        ...base,
        request_id: 'c'.repeat(32),
        sign: SIGN.none({ ...base, request_id: 'c'.repeat(32), secret: S }),
      });
      expect(good.body.code).toBe(10200);
      const userForm = SIGN.user({ ...base, username: 'lili12', request_id: 'd'.repeat(32), secret: S });
      const bad = await api.call('getAllTransactionsOfCards', { ...base, username: 'lili12', request_id: 'd'.repeat(32), sign: userForm });
      expect(bad.body).toEqual({ code: 10401, msg: 'sign error' });
    });

    it('does not sign card_id, kit_number, pin or op_cause_type: the same sign covers any values of them', async () => {
      const sb = await makeSandbox();
      const fields = { api_key: A, request_id: 'e'.repeat(32), timestamp: String(sb.clock.now()), username: LILI12.username };
      const sign = SIGN.user({ ...fields, secret: S });
      const res = await finext(sb).call('modifyOpStatus', { ...fields, card_id: LILI12.card_id, op_status: 11, op_cause_type: 2, sign });
      expect(res.body).toEqual({ code: 10200, msg: 'ok' });
      expect(await finext(sb).opStatus(LILI12.username, LILI12.card_id)).toBe(11);
    });

    it('refuses a sign made with the username of another account', async () => {
      const sb = await makeSandbox();
      const fields = { api_key: A, request_id: 'f'.repeat(32), timestamp: String(sb.clock.now()) };
      const sign = SIGN.user({ ...fields, username: LILI111.username, secret: S });
      const res = await finext(sb).call('getAccountDetails', { ...fields, username: LILI12.username, sign });
      expect(res.body.code).toBe(10401);
    });
  });
});
