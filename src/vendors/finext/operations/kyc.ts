/**
 * KYC proofs [DOC: add/update KYC ID proof, add/update KYC address proof] and their review. Once both
 * proofs are on file the account is submitted (kyc_status 1) and a review settles on the scheduler:
 * approved (2), resubmission requested (3, then an update resubmits) or rejected (4). An approved
 * account's card is applied for (op_status 22).
 * Sandbox test values (INFERRED): an id_number ending in REJECT is rejected, one ending in RESUBMIT is
 * sent back for resubmission; POST /__sandbox/finext/kyc/<username> decides a review too.
 */
import { SandboxError, invalidParam } from '../../../core/errors.js';
import { isMagic, type MagicValue } from '../../../core/magic.js';
import { applyTransition, transition } from '../../../core/state-machine.js';
import { defineOperation, type VendorContext } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { moveCard } from '../cards.js';
import { KYC_MACHINE, KYC_STATUS, type KycEvent } from '../machines/kyc.js';
import { findAll } from '../../../core/records.js';
import { ACCOUNTS, CARDS, findAccount, settingsOf, type Account, type AddressProof, type Card, type IdProof } from '../model.js';
import { EVENTS, emit } from '../webhooks.js';

/** INFERRED sandbox test values: the review's verdict by the ID proof's id_number (any case). */
export const MAGIC_VALUES = [
  {
    operation: 'addIDProof',
    field: 'id_number',
    value: '*REJECT',
    anyCase: true,
    outcome: `kyc_status ${KYC_STATUS.REJECTED} (rejected)`,
    description: 'an id_number ending in REJECT (any case; updateIDProof too) makes the review reject the account, reason "ID document rejected"',
    decision: { outcome: 'REJECT', reason: 'ID document rejected' },
  },
  {
    operation: 'addIDProof',
    field: 'id_number',
    value: '*RESUBMIT',
    anyCase: true,
    outcome: `kyc_status ${KYC_STATUS.RESUBMIT} (resubmit)`,
    description:
      'an id_number ending in RESUBMIT (any case; updateIDProof too) makes the review ask for new proofs, reason "ID document unreadable, please resubmit"',
    decision: { outcome: 'ASK_RESUBMIT', reason: 'ID document unreadable, please resubmit' },
  },
] as const satisfies ReadonlyArray<MagicValue & { decision: { outcome: ReviewOutcome; reason: string } }>;

export type ReviewOutcome = 'APPROVE' | 'ASK_RESUBMIT' | 'REJECT';

const DAY = 86_400_000;
type Proof = 'idProof' | 'addressProof';

function idProofOf(body: Wire.AddIDProofRequest, now: number): IdProof {
  const nationalId = body.id_type === 'National Id';
  const today = new Date(now).toISOString().slice(0, 10);
  if (!nationalId && !body.issued_date) throw invalidParam('issued_date', `is required for ${body.id_type}`);
  if (!nationalId && !body.expiration_date) throw invalidParam('expiration_date', `is required for ${body.id_type}`);
  if (body.issued_date && body.issued_date >= today)
    throw invalidParam('issued_date', 'must be before today', `issued_date ${body.issued_date} is not before ${today} (sandbox clock)`);
  if (body.expiration_date && body.expiration_date <= today)
    throw invalidParam('expiration_date', 'must be after today', `expiration_date ${body.expiration_date} is not after ${today} (sandbox clock)`);
  if (body.id_type !== 'Passport' && !body.id_back) throw invalidParam('id_back', `is required for ${body.id_type}`);
  return {
    id_type: body.id_type,
    id_number: body.id_number,
    issued_by: body.issued_by,
    issued_date: body.issued_date ?? null,
    expiration_date: body.expiration_date ?? null,
    language: body.language,
    id_front_extension: body.id_front_extension,
    id_back_extension: body.id_back ? body.id_back_extension : null,
  };
}

function addressProofOf(body: Wire.AddAddressProofRequest, now: number): AddressProof {
  // A date's age is counted in calendar days, so a proof stays acceptable for the whole of its 90th day.
  const age = (Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`) - Date.parse(`${body.address_issued_date}T00:00:00Z`)) / DAY;
  if (age < 0) throw invalidParam('address_issued_date', 'must not be in the future');
  if (age > 90)
    throw invalidParam(
      'address_issued_date',
      'must be within the last 90 days',
      `address_issued_date ${body.address_issued_date} is ${age} days old; at most 90`,
    );
  if (body.address_proof_back && !body.address_proof_back_extension) throw invalidParam('address_proof_back_extension', 'is required with address_proof_back');
  return {
    address_type: body.address_type,
    address_issued_by: body.address_issued_by,
    address_issued_date: body.address_issued_date,
    address_language: body.address_language,
    address_proof_front_extension: body.address_proof_front_extension,
    address_proof_back_extension: body.address_proof_back ? (body.address_proof_back_extension ?? null) : null,
  };
}

/**
 * Adds (first time) or updates (while not under review and not decided) one proof; submits when both are
 * on file. INFERRED: when a resubmission was asked for and the proof is not on file (the review sent it
 * back), the update call takes a new one as the add call does: the docs' address-proof example is the
 * same request on both pages, and the default scenario's lili111 answers both.
 */
function putProof(ctx: VendorContext, account: Account, kind: Proof, proof: IdProof | AddressProof, update: boolean): void {
  const name = kind === 'idProof' ? 'ID proof' : 'address proof';
  if (!update && account[kind])
    throw new SandboxError('invalid_state', {
      detail: `${name} already added`,
      diagnostic: `account ${account.username} already has an ${name}; use the update call`,
    });
  if (update && !account[kind] && account.kycState !== 'RESUBMIT')
    throw new SandboxError('invalid_state', { detail: `no ${name} to update`, diagnostic: `account ${account.username} has no ${name} yet; use the add call` });
  if (account.kycState !== 'NONE' && account.kycState !== 'RESUBMIT') {
    throw new SandboxError('invalid_state', {
      detail: `kyc_status ${KYC_STATUS[account.kycState]} does not accept proofs`,
      diagnostic: `account ${account.username} is ${account.kycState}; proofs are taken before submission or when a resubmission was asked for`,
    });
  }
  let next: Account = { ...account, [kind]: proof };
  if (next.idProof && next.addressProof) next = submit(ctx, next, account.kycState === 'RESUBMIT' ? 'RESUBMIT' : 'SUBMIT');
  ctx.tx.put(ACCOUNTS, next);
}

function submit(ctx: VendorContext, account: Account, event: KycEvent): Account {
  const magic = MAGIC_VALUES.find((m) => isMagic(m, account.idProof!.id_number))?.decision;
  const next = {
    ...changeKyc(ctx, account, event, ''),
    reviewOutcome: account.reviewOutcome ?? magic?.outcome ?? 'APPROVE',
    reviewReason: account.reviewOutcome ? account.reviewReason : (magic?.reason ?? ''),
  };
  ctx.schedule('reviewKyc', { username: account.username, submission: next.history.length }, settingsOf(ctx.tenant).kycReviewDelayMs);
  return next;
}

function changeKyc(ctx: VendorContext, account: Account, event: KycEvent, reason: string): Account {
  const next = { ...applyTransition(KYC_MACHINE, account, 'kycState', event, ctx.now), kycRejectReason: reason };
  emit(ctx, EVENTS.kycStatus, { username: next.username, kyc_status: KYC_STATUS[next.kycState], kyc_reject_reason: reason });
  return next;
}

/**
 * Job: the review of a submitted account settles with its decided outcome. A review decided early (the
 * control plane) leaves its job behind; `submission` keeps that job from deciding a later submission.
 */
export function reviewKyc(ctx: VendorContext, { username, submission }: { username: string; submission?: number }): void {
  const account = ctx.tx.get<Account>(ACCOUNTS, ctx.tenant.id, username);
  if (account?.kycState !== 'SUBMITTED') return;
  if (submission !== undefined && account.history.length !== submission) return;
  decideKyc(ctx, account, account.reviewOutcome ?? 'APPROVE', account.reviewReason);
}

export function decideKyc(ctx: VendorContext, account: Account, outcome: ReviewOutcome, reason: string): Account {
  transition(KYC_MACHINE, account.kycState, outcome);
  const next = { ...changeKyc(ctx, account, outcome, outcome === 'APPROVE' ? '' : reason || 'Review failed'), reviewOutcome: null, reviewReason: '' };
  ctx.tx.put(ACCOUNTS, next);
  if (outcome === 'APPROVE') {
    for (const card of findAll<Card>(ctx.tx, ctx.tenant, CARDS, { username: next.username, state: 'AWAITING_KYC' })) moveCard(ctx, card, 'KYC_APPROVED');
  }
  return next;
}

/** The control plane's names for a review's verdicts. */
export const REVIEW_OUTCOMES = { approved: 'APPROVE', resubmit: 'ASK_RESUBMIT', rejected: 'REJECT' } as const satisfies Record<string, ReviewOutcome>;

/**
 * Control plane: decides a submitted review now, or the next review of an account whose proofs are not
 * (re)submitted yet; refused once the account is decided.
 */
export function forceKyc(ctx: VendorContext, account: Account, outcome: string, reason = ''): Account {
  const decision = REVIEW_OUTCOMES[outcome as keyof typeof REVIEW_OUTCOMES];
  if (account.kycState === 'SUBMITTED') return decideKyc(ctx, account, decision, reason);
  if (account.kycState !== 'NONE' && account.kycState !== 'RESUBMIT') {
    throw new SandboxError('invalid_state', {
      field: 'id',
      diagnostic: `account ${account.username} is already decided (kyc_status ${KYC_STATUS[account.kycState]})`,
    });
  }
  const next = { ...account, reviewOutcome: decision, reviewReason: reason };
  ctx.tx.put(ACCOUNTS, next);
  return next;
}

/** An account's review as the control plane shows it. */
export function renderReview(account: Account) {
  return {
    username: account.username,
    kyc_status: KYC_STATUS[account.kycState],
    kyc_reject_reason: account.kycRejectReason,
    next_review: account.reviewOutcome,
  };
}

function proofOperation<Req extends { username: string }>(
  name: string,
  path: string,
  kind: Proof,
  update: boolean,
  parse: (body: Req, now: number) => IdProof | AddressProof,
) {
  return defineOperation<Req, { code: 10200; msg: string; data?: undefined }>({
    name,
    path,
    handler(ctx) {
      putProof(ctx, findAccount(ctx.tx, ctx.tenant, ctx.body.username), kind, parse(ctx.body, ctx.now), update);
      return undefined;
    },
  });
}

export const addIDProof = proofOperation<Wire.AddIDProofRequest>('addIDProof', '/account/addIDProof', 'idProof', false, idProofOf);
export const updateIDProof = proofOperation<Wire.UpdateIDProofRequest>('updateIDProof', '/account/updateIDProof', 'idProof', true, idProofOf);
export const addAddressProof = proofOperation<Wire.AddAddressProofRequest>(
  'addAddressProof',
  '/account/addAddressProof',
  'addressProof',
  false,
  addressProofOf,
);
export const updateAddressProof = proofOperation<Wire.UpdateAddressProofRequest>(
  'updateAddressProof',
  '/account/updateAddressProof',
  'addressProof',
  true,
  addressProofOf,
);
