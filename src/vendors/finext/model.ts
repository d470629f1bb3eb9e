/** Finext's records as stored, the merchant knobs, and the lookups every operation shares. */
import { SandboxError } from '../../core/errors.js';
import type { Minor } from '../../core/money.js';
import { CARD_TXNS, type CardTxn } from '../../core/ledger.js';
import { findFirst, findOwned } from '../../core/records.js';
import type { History } from '../../core/retention.js';
import { defineSettings } from '../../core/settings.js';
import type { HistoryEntry } from '../../core/state-machine.js';
import type { Transaction } from '../../core/store.js';
import type { Tenant } from '../../core/tenants.js';
import type { CardEvent, CardState } from './machines/card.js';
import type { KycEvent, KycState } from './machines/kyc.js';
import type * as Wire from './contract-types.js';

export const SLUG = 'finext';
export const ACCOUNTS = 'finext.accounts';
export const CARDS = 'finext.cards';
export const TRANSACTIONS = 'finext.transactions';
export const TOPUPS = 'finext.topups';
export const SEQ = {
  kit: 'finext.kitNumber',
  transaction: 'finext.transactionId',
  cardId: 'finext.cardId',
  webhookRequestId: 'finext.webhookRequestId',
} as const;
export const CURRENCY = 'USD';

/** Sandbox knobs per merchant. */
export const SETTINGS = defineSettings({
  timestampWindowMs: { type: 'integer', nullable: true, default: 30_000, doc: 'accepted |timestamp − now| in ms [DOC: 30 s]; null switches the check off' },
  kycReviewDelayMs: { type: 'integer', default: 0, doc: 'how long a submitted KYC stays at 1 before its review settles' },
  mailDelayMs: { type: 'integer', default: 0, doc: 'how long a card stays 22 Preparing before it is 10 Mailed' },
  topupFeeBps: { type: 'integer', max: 10_000, default: 100, doc: 'INFERRED: top-up fee in basis points, charged to the card as a "DR FEE" transaction' },
  minTopup: { type: 'integer', default: 100, doc: 'INFERRED: the smallest top-up, in minor units' },
  maxTopup: { type: 'integer', default: 1_000_000, doc: 'INFERRED: the largest top-up, in minor units' },
  topupSettleDelayMs: {
    type: 'integer',
    default: 0,
    doc: 'how long a top-up stays pending before it settles [DOC: "there may be a delay"]; 0 settles it in the request',
  },
});
export type FinextSettings = ReturnType<typeof SETTINGS.of>;
export const settingsOf = SETTINGS.of;

export interface IdProof {
  id_type: string;
  id_number: string;
  issued_by: string;
  issued_date: string | null;
  expiration_date: string | null;
  language: string;
  id_front_extension: string;
  id_back_extension: string | null;
}

export interface AddressProof {
  address_type: string;
  address_issued_by: string;
  address_issued_date: string;
  address_language: string;
  address_proof_front_extension: string;
  address_proof_back_extension: string | null;
}

export interface Account {
  id: string;
  tenantId: string;
  username: string;
  profile: Record<string, string | number | null>;
  kycState: KycState;
  kycRejectReason: string;
  idProof: IdProof | null;
  addressProof: AddressProof | null;
  /** What the next review decides: from a magic id_number or the control plane. */
  reviewOutcome: 'APPROVE' | 'ASK_RESUBMIT' | 'REJECT' | null;
  reviewReason: string;
  createdAt: number;
  history: HistoryEntry<KycState, KycEvent>[];
}

export interface Card {
  id: string;
  tenantId: string;
  card_id: string;
  kit_number: string;
  username: string;
  card_type: 1 | 2 | 3;
  card_level: 1 | 2;
  state: CardState;
  /** The card this one replaced, if any. */
  replaces: string | null;
  /** Set by activation (sandbox only: never shown). */
  pin: string | null;
  /** The last op_cause_type reported through modifyOpStatus. */
  opCause: number | null;
  createdAt: number;
  history: HistoryEntry<CardState, CardEvent>[];
}

/** A top-up, by its transaction_id: pending (the merchant's funds held) until it settles. */
export interface Topup {
  id: string;
  tenantId: string;
  card_id: string;
  kit_number: string;
  amount: Minor;
  fund_source: string | null;
  status: 'PENDING' | 'SUCCESS' | 'FAILED';
  /** The documented fail_reason (1 below minimum, 2 above the per-transaction maximum, 3 over the card's balance limit), if any. */
  failReason: 1 | 2 | 3 | null;
  /** A top-up received on chain (top_up_method 3), as in the get-topup-status example; null for one made through the API (5). */
  chain: { token_type: 'USDT' | 'USDC'; token_amount: string; transaction_hash: string } | null;
  createdAt: number;
  settledAt: number | null;
}

/** A stored transaction is its wire form with the amount in signed minor units (CR positive, DR negative) and txn_date derived. */
export interface FinextTransaction extends Omit<Wire.Transaction, 'amount' | 'txn_date'> {
  id: string;
  tenantId: string;
  amount: Minor;
  /** The network transaction behind it, if any. */
  networkId: string | null;
}

export const LEDGER = {
  merchant: `merchant:${CURRENCY}`,
  fees: `fees:${CURRENCY}`,
  card: (cardId: string) => `card:${cardId}`,
};

export function findAccount(tx: Transaction, tenant: Tenant, username: string): Account {
  return findOwned<Account>(tx, tenant, ACCOUNTS, username, { code: 'account_not_found', field: 'username', what: 'account' });
}

export function findCardById(tx: Transaction, tenant: Tenant, account: Account, cardId: string): Card {
  const card = tx.get<Card>(CARDS, tenant.id, cardId);
  if (!card || card.username !== account.username) {
    throw new SandboxError('card_not_found', { field: 'card_id', diagnostic: `account ${account.username} has no card ${cardId}` });
  }
  return card;
}

export function findCardByKit(tx: Transaction, tenant: Tenant, account: Account, kitNumber: string): Card {
  const card = findFirst<Card>(tx, tenant, CARDS, { kit_number: kitNumber, username: account.username });
  if (!card)
    throw new SandboxError('card_not_found', { field: 'kit_number', diagnostic: `account ${account.username} has no card with kit_number ${kitNumber}` });
  return card;
}

/**
 * Finext's history (--retention-history): settled top-ups, and card transactions except one whose
 * network authorization still holds money (its clearing or reversal will void it).
 */
export const HISTORY: readonly History[] = [
  { collection: TOPUPS, ageOf: (r) => (r as Topup).createdAt, settled: (r) => (r as Topup).status !== 'PENDING' },
  {
    collection: TRANSACTIONS,
    ageOf: (r) => (r as FinextTransaction).timestamp,
    settled: (r, store) => {
      const { networkId, tenantId, transaction_status } = r as FinextTransaction;
      if (networkId === null || transaction_status === 2) return true;
      return ((store.get(CARD_TXNS, tenantId, networkId) as CardTxn | undefined)?.holdRemaining ?? 0) === 0;
    },
  },
];
