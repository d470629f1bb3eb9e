/**
 * The KYC machine (src/vendors/finext/machines/kyc.ts), driven through HTTP and the control plane. The
 * expected table is restated here, so a change on either side shows. kyc_status: 0 none (INFERRED),
 * 1 submitted, 2 approved, 3 resubmission asked, 4 rejected.
 */
import { describe, expect, it } from 'vitest';
import { KYC_MACHINE } from '../../../src/vendors/finext/machines/kyc.js';
import type { Sandbox } from '../../../src/sandbox.js';
import {
  MERCHANT,
  SECOND,
  accountBody,
  addressProofBody,
  deliveries,
  finext,
  idProofBody,
  newAccount,
  setSettings,
  settle,
  submitKyc,
  type OperationName,
} from '../../helpers/finext.js';
import { control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const KYC_TABLE = {
  NONE: { SUBMIT: 'SUBMITTED' },
  SUBMITTED: { APPROVE: 'APPROVED', ASK_RESUBMIT: 'RESUBMIT', REJECT: 'REJECTED' },
  RESUBMIT: { RESUBMIT: 'SUBMITTED' },
  APPROVED: {},
  REJECTED: {},
};

type State = keyof typeof KYC_TABLE;
const STATUS: Record<State, number> = { NONE: 0, SUBMITTED: 1, RESUBMIT: 3, APPROVED: 2, REJECTED: 4 };
const HOUR = 3_600_000;

/** A fresh account of the default merchant in `state`; reviews then wait an hour, so a new submission stays at 1. */
async function accountIn(state: State) {
  const sb = await makeSandbox();
  const { username, card_id } = await newAccount(sb);
  const suffix = { RESUBMIT: 'RESUBMIT', REJECTED: 'REJECT' }[state as string] ?? '';
  if (state === 'SUBMITTED') await setSettings(sb, { kycReviewDelayMs: HOUR });
  if (state !== 'NONE') await submitKyc(sb, username, MERCHANT, { id_number: `P123${suffix}` });
  await settle(sb);
  await setSettings(sb, { kycReviewDelayMs: HOUR });
  expect(await finext(sb).kycStatus(username)).toBe(STATUS[state]);
  return { sb, api: finext(sb), username, card_id };
}

const kycEvents = async (sb: Sandbox) =>
  (await deliveries(sb, 'kyc_status')).map((d) => JSON.parse(d.body) as { username: string; kyc_status: number; kyc_reject_reason: string });

const PROOF_CALLS: OperationName[] = ['addIDProof', 'addAddressProof', 'updateIDProof', 'updateAddressProof'];

/** [state, call, answer code, kyc_status after]: every proof call from every state. */
const PAIRS: Array<[State, OperationName, number, number]> = [
  ['NONE', 'addIDProof', 10200, 0],
  ['NONE', 'addAddressProof', 10200, 0],
  ['NONE', 'updateIDProof', 10409, 0],
  ['NONE', 'updateAddressProof', 10409, 0],
  ...PROOF_CALLS.map((call) => ['SUBMITTED', call, 10409, 1] as [State, OperationName, number, number]),
  ['RESUBMIT', 'addIDProof', 10409, 3],
  ['RESUBMIT', 'addAddressProof', 10409, 3],
  ['RESUBMIT', 'updateIDProof', 10200, 1],
  ['RESUBMIT', 'updateAddressProof', 10200, 1],
  ...PROOF_CALLS.map((call) => ['APPROVED', call, 10409, 2] as [State, OperationName, number, number]),
  ...PROOF_CALLS.map((call) => ['REJECTED', call, 10409, 4] as [State, OperationName, number, number]),
];

describeStores('finext kyc-machine', () => {
  describe('finext KYC machine', () => {
    it('has the table these tests drive', () => {
      expect(KYC_MACHINE.table).toEqual(KYC_TABLE);
    });

    it.each(PAIRS)('%s + %s → %i, kyc_status %i', async (state, call, code, after) => {
      const { sb, api, username } = await accountIn(state);
      const sent = (await kycEvents(sb)).length;
      const body = call.endsWith('IDProof') ? idProofBody(username) : addressProofBody(sb, username);
      const res = await api.call(call, body);
      expect(res.body.code, res.headers['x-sandbox-diagnostic']).toBe(code);
      expect(await api.kycStatus(username)).toBe(after);
      const events = await kycEvents(sb);
      expect(events.slice(sent)).toEqual(
        after === STATUS[state] ? [] : [{ request_id: expect.any(String), username, kyc_status: after, kyc_reject_reason: '' }],
      );
    });

    it('answers 10409 to the same proof added twice before submission, keeping the first', async () => {
      const { sb, api, username } = await accountIn('NONE');
      await api.ok('addIDProof', idProofBody(username, { id_number: 'FIRST1' }));
      const res = await api.call('addIDProof', idProofBody(username, { id_number: 'SECOND2' }));
      expect(res.body).toEqual({ code: 10409, msg: 'status conflict: ID proof already added' });
      expect(await sb.store.lookup('finext.accounts', MERCHANT.tenant, username)).toMatchObject({ kycState: 'NONE', idProof: { id_number: 'FIRST1' } });
    });

    it.each([
      ['ID proof, then address proof', ['addIDProof', 'addAddressProof']],
      ['address proof, then ID proof', ['addAddressProof', 'addIDProof']],
    ] as const)('NONE + SUBMIT: the second proof on file submits the account (%s) → kyc_status 1', async (_case, calls) => {
      const { sb, api, username } = await accountIn('NONE');
      await api.ok(calls[0], calls[0] === 'addIDProof' ? idProofBody(username) : addressProofBody(sb, username));
      expect(await api.kycStatus(username)).toBe(0);
      await api.ok(calls[1], calls[1] === 'addIDProof' ? idProofBody(username) : addressProofBody(sb, username));
      expect(await api.kycStatus(username)).toBe(1);
    });

    it('SUBMITTED + APPROVE: the review settles after kycReviewDelayMs on the sandbox clock → 2', async () => {
      const { sb, api, username } = await accountIn('NONE');
      await submitKyc(sb, username);
      await control(sb).advance(HOUR - 1);
      expect(await api.kycStatus(username)).toBe(1);
      await control(sb).advance(1);
      expect(await api.details(username)).toMatchObject({ kyc_status: 2, kyc_reject_reason: '' });
      expect((await kycEvents(sb)).map((e) => e.kyc_status)).toEqual([1, 2]);
    });

    it('SUBMITTED + ASK_RESUBMIT: an id_number ending in RESUBMIT is sent back → 3 with a reason', async () => {
      const { sb, api, username } = await accountIn('NONE');
      await submitKyc(sb, username, MERCHANT, { id_number: 'X1RESUBMIT' });
      await control(sb).advance(HOUR);
      expect(await api.details(username)).toMatchObject({ kyc_status: 3, kyc_reject_reason: 'ID document unreadable, please resubmit' });
      expect((await kycEvents(sb)).at(-1)).toMatchObject({ kyc_status: 3, kyc_reject_reason: 'ID document unreadable, please resubmit' });
    });

    it('SUBMITTED + REJECT: an id_number ending in REJECT is rejected → 4, and its card is never applied for', async () => {
      const { sb, api, username, card_id } = await accountIn('NONE');
      await submitKyc(sb, username, MERCHANT, { id_number: 'x1reject' });
      await control(sb).advance(HOUR);
      expect(await api.details(username)).toMatchObject({ kyc_status: 4, kyc_reject_reason: 'ID document rejected', cards: [{ card_id, op_status: 0 }] });
      expect(await deliveries(sb, 'card_status')).toEqual([]);
    });

    it('RESUBMIT + RESUBMIT: an updated ID proof resubmits (→ 1) and the new review approves it (→ 2)', async () => {
      const { sb, api, username } = await accountIn('RESUBMIT');
      await api.ok('updateIDProof', idProofBody(username, { id_number: 'P7777777' }));
      expect(await api.details(username)).toMatchObject({ kyc_status: 1, kyc_reject_reason: '' });
      await control(sb).advance(HOUR);
      expect(await api.kycStatus(username)).toBe(2);
      expect((await kycEvents(sb)).map((e) => e.kyc_status)).toEqual([1, 3, 1, 2]);
    });
  });

  describe('finext KYC approval applies for the card', () => {
    it("moves the account's card 0 → 22 Preparing → 10 Mailed (after mailDelayMs), each with a Card Status webhook", async () => {
      const sb = await makeSandbox();
      await setSettings(sb, { mailDelayMs: HOUR });
      const { username, card_id } = await newAccount(sb);
      await submitKyc(sb, username);
      await settle(sb);
      expect(await finext(sb).opStatus(username, card_id)).toBe(22);
      await control(sb).advance(HOUR);
      expect(await finext(sb).opStatus(username, card_id)).toBe(10);
      const events = (await deliveries(sb, 'card_status')).map((d) => JSON.parse(d.body));
      expect(events).toEqual([22, 10].map((op_status) => ({ request_id: expect.stringMatching(/^[0-9a-f]{32}$/), card_ids: [card_id], op_status })));
    });

    it('activates the mailed card with its kit_number and a 4-digit pin → 6, keeping the history', async () => {
      const sb = await makeSandbox();
      const { username, card_id, kit_number } = await newAccount(sb);
      await submitKyc(sb, username);
      await settle(sb);
      expect((await finext(sb).call('activeCard', { username, kit_number, pin: '0042' })).body).toEqual({ code: 10200, msg: 'ok' });
      expect(await finext(sb).opStatus(username, card_id)).toBe(6);
      const card = (await sb.store.lookup('finext.cards', MERCHANT.tenant, card_id)) as unknown as {
        pin: string;
        history: Array<{ event: string; to: string }>;
      };
      expect(card.pin).toBe('0042');
      expect(card.history.map((h) => `${h.event}→${h.to}`)).toEqual(['KYC_APPROVED→PREPARING', 'MAIL→MAILED', 'ACTIVATE→ACTIVE']);
    });
  });

  describe('finext control plane POST /__sandbox/finext/kyc/<username>', () => {
    it.each([
      ['approved', 2, ''],
      ['resubmit', 3, 'Selfie does not match'],
      ['rejected', 4, 'Selfie does not match'],
    ])('decides a submitted review now: %s → %i with the reason', async (outcome, status, reason) => {
      const { sb, api, username } = await accountIn('SUBMITTED');
      const res = await control(sb).post(`/finext/kyc/${username}`, { outcome, reason: 'Selfie does not match' }).expect(200);
      expect(res.body).toEqual({ username, kyc_status: status, kyc_reject_reason: reason, next_review: null });
      expect(await api.details(username)).toMatchObject({ kyc_status: status, kyc_reject_reason: reason });
      expect((await kycEvents(sb)).at(-1)).toMatchObject({ kyc_status: status, kyc_reject_reason: reason });
    });

    it("decides the next review of an account not yet submitted, over the id_number's own outcome", async () => {
      const { sb, api, username } = await accountIn('NONE');
      const res = await control(sb).post(`/finext/kyc/${username}`, { outcome: 'rejected' }).expect(200);
      expect(res.body).toEqual({ username, kyc_status: 0, kyc_reject_reason: '', next_review: 'REJECT' });
      await submitKyc(sb, username, MERCHANT, { id_number: 'P1RESUBMIT' });
      await control(sb).advance(HOUR);
      expect(await api.details(username)).toMatchObject({ kyc_status: 4, kyc_reject_reason: 'Review failed' });
    });

    it('gives a resubmission its own full review delay, even after an earlier review was decided early', async () => {
      const { sb, api, username } = await accountIn('SUBMITTED');
      await control(sb).post(`/finext/kyc/${username}`, { outcome: 'resubmit' }).expect(200);
      await control(sb).advance(HOUR / 2);
      await api.ok('updateIDProof', idProofBody(username, { id_number: 'P7777777' }));
      await control(sb).advance(HOUR / 2);
      expect(await api.kycStatus(username)).toBe(1);
      await control(sb).advance(HOUR / 2);
      expect(await api.kycStatus(username)).toBe(2);
    });

    it.each(['APPROVED', 'REJECTED'] as const)('answers 409 for an account already decided (%s)', async (state) => {
      const { sb, api, username } = await accountIn(state);
      const res = await control(sb).post(`/finext/kyc/${username}`, { outcome: 'approved' }).expect(409);
      expect(res.body.error.code).toBe('invalid_state');
      expect(await api.kycStatus(username)).toBe(STATUS[state]);
    });

    it('answers 400 for an unknown outcome and 404 for an unknown account', async () => {
      const sb = await makeSandbox();
      expect((await control(sb).post('/finext/kyc/lili12', { outcome: 'maybe' }).expect(400)).body.error.field).toBe('outcome');
      await control(sb).post('/finext/kyc/nobody', { outcome: 'approved' }).expect(404);
    });

    it('asks for the tenant when two merchants have the account, and decides the named one', async () => {
      const sb = await makeSandbox();
      await setSettings(sb, { kycReviewDelayMs: HOUR }, SECOND);
      await finext(sb, SECOND).ok('createAccount', accountBody({ username: 'lili12' }));
      await submitKyc(sb, 'lili12', SECOND);
      expect((await control(sb).post('/finext/kyc/lili12', { outcome: 'rejected' }).expect(409)).body.error).toMatchObject({
        code: 'duplicate_resource',
        field: 'tenant',
      });
      await control(sb).post('/finext/kyc/lili12', { outcome: 'rejected', tenant: SECOND.tenant }).expect(200);
      expect(await finext(sb, SECOND).kycStatus('lili12')).toBe(4);
      expect(await finext(sb).kycStatus('lili12')).toBe(2);
    });
  });
});
