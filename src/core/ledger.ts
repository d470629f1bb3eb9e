/**
 * Card and merchant money. Accounts hold a ledger balance and the sum of open holds (available =
 * balance − held); every posting is kept, so balances can always be re-added from the ledger. The
 * postings of one movement (same kind, ref and time, in one transaction: a deposit's six) are stored as
 * one record with a leg per posting, which costs a fifth of a record per posting.
 * The card-network simulation (authorize, clear, reverse, refund) lives here too, vendor-agnostic:
 * a vendor only says whether its card may authorize, and renders the resulting transactions.
 */
import { SandboxError } from './errors.js';
import { nextSeq } from './ids.js';
import type { Minor } from './money.js';
import { formatAmount } from './money.js';
import type { History } from './retention.js';
import type { StoredRecord, Transaction } from './store.js';

export const ACCOUNTS = '_accounts';
export const ENTRIES = '_entries';
export const CARD_TXNS = '_card_txns';

export interface Account {
  id: string;
  tenantId: string;
  currency: string;
  balance: Minor;
  held: Minor;
}

/** One posting, as ledgerEntries() reads them out of the stored movements. */
export interface Entry {
  id: string;
  tenantId: string;
  accountId: string;
  amount: Minor;
  kind: string;
  ref: string;
  at: number;
}

/** What `_entries` stores: the postings of one movement, as [accountId, amount] legs in the order posted. */
export interface Movement {
  id: string;
  tenantId: string;
  kind: string;
  ref: string;
  at: number;
  legs: Array<[string, Minor]>;
}

/** A record of `_entries` in either form: a movement, or one posting as packs written before movements hold them. */
type StoredEntry = Movement | Entry;

/** Each transaction's open movements: (tenant, kind, ref, at) → the id of its record. */
const openMovements = new WeakMap<Transaction, Map<string, string>>();

/** The postings in `records` (a tenant's `_entries`, in order), one per leg; a movement's legs are `<id>.<n>`. */
export function ledgerEntries(records: readonly StoredRecord[]): Entry[] {
  const out: Entry[] = [];
  for (const record of records as StoredEntry[]) {
    if (!('legs' in record)) {
      out.push(record);
      continue;
    }
    const { id, tenantId, kind, ref, at } = record;
    record.legs.forEach(([accountId, amount], i) => out.push({ id: `${id}.${i + 1}`, tenantId, accountId, amount, kind, ref, at }));
  }
  return out;
}

/** The one movement per tenant that holds, per account, the sum of the movements history retention forgot. */
export const CARRIED_FORWARD = 'carried_forward';

/** Each transaction's carried-forward movement per tenant, with its legs by account (this transaction's own copy). */
const carried = new WeakMap<Transaction, Map<string, { movement: Movement; legs: Map<string, [string, Minor]> }>>();

/**
 * Forgetting a ledger movement (--retention-history) adds its legs into the tenant's carried-forward
 * movement, so that every account's postings still add up to its balance.
 */
function carryForward(tx: Transaction, record: StoredRecord): void {
  const { tenantId, at } = record as StoredEntry;
  const legs: Array<[string, Minor]> = 'legs' in record ? (record as Movement).legs : [[(record as Entry).accountId, (record as Entry).amount]];
  let open = carried.get(tx);
  if (!open) carried.set(tx, (open = new Map()));
  let own = open.get(tenantId);
  if (!own) {
    const stored = tx.get<Movement>(ENTRIES, tenantId, CARRIED_FORWARD);
    const movement: Movement = stored
      ? { ...stored, legs: stored.legs.map(([a, n]) => [a, n]) }
      : { id: CARRIED_FORWARD, tenantId, kind: CARRIED_FORWARD, ref: CARRIED_FORWARD, at, legs: [] };
    own = { movement, legs: new Map(movement.legs.map((leg) => [leg[0], leg])) };
    open.set(tenantId, own);
    tx.put(ENTRIES, movement);
  }
  for (const [accountId, amount] of legs) {
    const leg = own.legs.get(accountId);
    if (leg) leg[1] += amount;
    else {
      const added: [string, Minor] = [accountId, amount];
      own.legs.set(accountId, added);
      own.movement.legs.push(added);
    }
  }
  own.movement.at = Math.max(own.movement.at, at);
  tx.delete(ENTRIES, tenantId, record.id);
}

/** The ledger's history: movements fold into the carried-forward one; card transactions go unless an authorization still holds money. */
export const LEDGER_HISTORY: readonly History[] = [
  { collection: ENTRIES, ageOf: (r) => (r as StoredEntry).at, settled: (r) => r.id !== CARRIED_FORWARD, expire: carryForward },
  { collection: CARD_TXNS, ageOf: (r) => (r as CardTxn).createdAt, settled: (r) => (r as CardTxn).holdRemaining === 0 },
];

export function openAccount(tx: Transaction, tenantId: string, id: string, currency: string, balance: Minor = 0): Account {
  const account: Account = { id, tenantId, currency, balance: 0, held: 0 };
  tx.put(ACCOUNTS, account);
  if (balance !== 0) post(tx, { tenantId, accountId: id, amount: balance, kind: 'opening', ref: id, at: 0 });
  return tx.get<Account>(ACCOUNTS, tenantId, id)!;
}

export function getAccount(tx: Transaction, tenantId: string, id: string): Account {
  const account = tx.get<Account>(ACCOUNTS, tenantId, id);
  if (!account) throw new SandboxError('internal', { diagnostic: `no ledger account ${id} for tenant ${tenantId}` });
  return account;
}

export function available(account: Account): Minor {
  return account.balance - account.held;
}

export interface Posting {
  tenantId: string;
  accountId: string;
  amount: Minor;
  kind: string;
  ref: string;
  at: number;
  /** Clearing may overdraw (networks settle what they settle); nothing else may. */
  allowOverdraft?: boolean;
}

/** Moves `amount` (signed) into an account, refusing to overdraw its available balance. */
export function post(tx: Transaction, p: Posting): Account {
  const account = getAccount(tx, p.tenantId, p.accountId);
  if (p.amount < 0 && !p.allowOverdraft && available(account) + p.amount < 0) {
    throw new SandboxError('insufficient_balance', {
      diagnostic: `${p.accountId} has ${formatAmount(available(account))} ${account.currency} available; ${p.kind} needs ${formatAmount(-p.amount)}`,
    });
  }
  record(tx, p);
  return tx.put(ACCOUNTS, { ...account, balance: account.balance + p.amount });
}

/** Adds the posting to its movement's record in this transaction, or starts one. */
function record(tx: Transaction, p: Posting): void {
  let open = openMovements.get(tx);
  if (!open) openMovements.set(tx, (open = new Map()));
  const key = `${p.tenantId}\u0000${p.kind}\u0000${p.ref}\u0000${p.at}`;
  const leg: [string, Minor] = [p.accountId, p.amount];
  const id = open.get(key);
  // Gone when the transaction was rolled back to before the movement began.
  const current = id === undefined ? undefined : tx.get<Movement>(ENTRIES, p.tenantId, id);
  if (current) {
    tx.put<Movement>(ENTRIES, { ...current, legs: [...current.legs, leg] });
    return;
  }
  const movement: Movement = { id: `ent_${nextSeq(tx, ENTRIES)}`, tenantId: p.tenantId, kind: p.kind, ref: p.ref, at: p.at, legs: [leg] };
  open.set(key, movement.id);
  tx.put(ENTRIES, movement);
}

/** Moves `amount` (≥ 0) from one of a tenant's accounts to another as one movement; the source may not overdraw. Nothing for 0. */
export function transfer(tx: Transaction, t: { tenantId: string; from: string; to: string; amount: Minor; kind: string; ref: string; at: number }): void {
  if (t.amount === 0) return;
  const base = { tenantId: t.tenantId, kind: t.kind, ref: t.ref, at: t.at };
  post(tx, { ...base, accountId: t.from, amount: -t.amount });
  post(tx, { ...base, accountId: t.to, amount: t.amount });
}

export function hold(tx: Transaction, tenantId: string, accountId: string, amount: Minor): Account {
  const account = getAccount(tx, tenantId, accountId);
  return tx.put(ACCOUNTS, { ...account, held: account.held + amount });
}

// ---- card-network simulation ----

export type CardTxnKind = 'authorization' | 'verification' | 'clearing' | 'reversal' | 'refund';

export interface CardTxn {
  id: string;
  tenantId: string;
  vendor: string;
  cardId: string;
  accountId: string;
  kind: CardTxnKind;
  status: 'approved' | 'declined';
  declineReason: string | null;
  amount: Minor;
  currency: string;
  cardAmount: Minor;
  cardCurrency: string;
  merchantName: string;
  mcc: string;
  authCode: string | null;
  /** The authorization a clearing or reversal settles, or the clearing a refund returns. */
  originId: string | null;
  /** For authorizations: what is still held. */
  holdRemaining: Minor;
  /** When the authorization behind this transaction was made (its own time for authorizations and refunds). */
  authorizedAt: number;
  createdAt: number;
}

/** A vendor's view of one of its cards, for the network. */
export interface NetworkCard {
  tenantId: string;
  vendor: string;
  cardId: string;
  accountId: string;
  currency: string;
  /** Why the card cannot authorize now, or null if it can. */
  declineReason: string | null;
}

export interface NetworkEvent {
  amount: Minor;
  currency?: string;
  merchantName?: string;
  mcc?: string;
  transactionId?: string;
}

function newTxn(tx: Transaction, card: NetworkCard, kind: CardTxnKind, e: NetworkEvent, at: number, extra: Partial<CardTxn>): CardTxn {
  const seq = nextSeq(tx, CARD_TXNS, 1);
  const txn: CardTxn = {
    id: e.transactionId ?? `TXN${String(at).slice(0, 10)}${String(seq).padStart(6, '0')}`,
    tenantId: card.tenantId,
    vendor: card.vendor,
    cardId: card.cardId,
    accountId: card.accountId,
    kind,
    status: 'approved',
    declineReason: null,
    amount: e.amount,
    currency: e.currency ?? card.currency,
    // INFERRED: no FX in the sandbox; the card is charged the transaction amount in its own currency.
    cardAmount: e.amount,
    cardCurrency: card.currency,
    merchantName: e.merchantName ?? 'SANDBOX MERCHANT',
    mcc: e.mcc ?? '5999',
    authCode: null,
    originId: null,
    holdRemaining: 0,
    authorizedAt: at,
    createdAt: at,
    ...extra,
  };
  if (tx.get(CARD_TXNS, card.tenantId, txn.id)) {
    throw new SandboxError('duplicate_resource', { field: 'transactionId', diagnostic: `transaction ${txn.id} already exists` });
  }
  return tx.put(CARD_TXNS, txn);
}

/** Authorizes and places a hold, or records a declined authorization with its reason. */
export function authorize(tx: Transaction, card: NetworkCard, e: NetworkEvent, at: number): CardTxn {
  const kind: CardTxnKind = e.amount === 0 ? 'verification' : 'authorization';
  const account = getAccount(tx, card.tenantId, card.accountId);
  const reason = card.declineReason ?? (available(account) < e.amount ? 'Insufficient balance' : null);
  if (reason) return newTxn(tx, card, kind, e, at, { status: 'declined', declineReason: reason });
  const authCode = String(100000 + (nextSeq(tx, 'authCode') % 900000));
  hold(tx, card.tenantId, card.accountId, e.amount);
  return newTxn(tx, card, kind, e, at, { authCode, holdRemaining: e.amount });
}

function openAuthorization(tx: Transaction, card: NetworkCard, authId: string | undefined, field: string): CardTxn {
  // Not the merchant's network transactions: the one named, read by its key, or the newest with a hold
  // left, read as a page of one (`from` the smallest positive number: > 0).
  const approved = { cardId: card.cardId, kind: 'authorization', status: 'approved' } as const;
  const named = authId ? tx.get<CardTxn>(CARD_TXNS, card.tenantId, authId) : undefined;
  const auth = authId
    ? named && named.cardId === approved.cardId && named.kind === approved.kind && named.status === approved.status
      ? named
      : undefined
    : tx.page<CardTxn>(CARD_TXNS, card.tenantId, { where: { ...approved, holdRemaining: { from: Number.MIN_VALUE } }, newestFirst: true, offset: 0, limit: 1 })
        .records[0];
  if (!auth)
    throw new SandboxError('resource_not_found', {
      field,
      diagnostic: authId ? `no approved authorization ${authId} on card ${card.cardId}` : `card ${card.cardId} has no open authorization`,
    });
  const settled = () =>
    tx.page<CardTxn>(CARD_TXNS, card.tenantId, { where: { originId: auth.id }, offset: 0, limit: Infinity }).records.some((t) => t.kind !== 'refund');
  if (auth.holdRemaining === 0 && settled()) {
    throw new SandboxError('invalid_state', { field, diagnostic: `authorization ${auth.id} is already cleared or reversed` });
  }
  return auth;
}

/** Settles an authorization for `amount` (less or more than authorized), releasing its whole hold. */
export function clear(tx: Transaction, card: NetworkCard, authId: string | undefined, e: NetworkEvent, at: number): CardTxn {
  const auth = openAuthorization(tx, card, authId, 'transactionId');
  hold(tx, card.tenantId, card.accountId, -auth.holdRemaining);
  tx.put(CARD_TXNS, { ...auth, holdRemaining: 0 });
  const txn = newTxn(
    tx,
    card,
    'clearing',
    { ...e, transactionId: undefined, merchantName: e.merchantName ?? auth.merchantName, mcc: e.mcc ?? auth.mcc, currency: e.currency ?? auth.currency },
    at,
    { originId: auth.id, authCode: auth.authCode, authorizedAt: auth.createdAt },
  );
  post(tx, { tenantId: card.tenantId, accountId: card.accountId, amount: -e.amount, kind: 'clearing', ref: txn.id, at, allowOverdraft: true });
  return txn;
}

/** Releases all (or `amount` of) an authorization's hold. */
export function reverse(tx: Transaction, card: NetworkCard, authId: string | undefined, amount: Minor | undefined, at: number): CardTxn {
  const auth = openAuthorization(tx, card, authId, 'transactionId');
  const release = amount ?? auth.holdRemaining;
  if (release > auth.holdRemaining) {
    throw new SandboxError('invalid_param', {
      field: 'amount',
      detail: 'amount exceeds the open hold',
      diagnostic: `reversal of ${formatAmount(release)} exceeds the ${formatAmount(auth.holdRemaining)} still held by ${auth.id}`,
    });
  }
  hold(tx, card.tenantId, card.accountId, -release);
  tx.put(CARD_TXNS, { ...auth, holdRemaining: auth.holdRemaining - release });
  return newTxn(tx, card, 'reversal', { amount: release, currency: auth.currency, merchantName: auth.merchantName, mcc: auth.mcc }, at, {
    originId: auth.id,
    authCode: auth.authCode,
    authorizedAt: auth.createdAt,
  });
}

/** Credits the card, linked to the clearing it returns when one is named. */
export function refund(tx: Transaction, card: NetworkCard, clearingId: string | undefined, e: NetworkEvent, at: number): CardTxn {
  let origin: CardTxn | undefined;
  if (clearingId) {
    origin = tx.get<CardTxn>(CARD_TXNS, card.tenantId, clearingId);
    if (!origin || origin.cardId !== card.cardId || origin.kind !== 'clearing') {
      throw new SandboxError('resource_not_found', { field: 'transactionId', diagnostic: `no clearing ${clearingId} on card ${card.cardId}` });
    }
  }
  const txn = newTxn(
    tx,
    card,
    'refund',
    { ...e, transactionId: undefined, merchantName: e.merchantName ?? origin?.merchantName, mcc: e.mcc ?? origin?.mcc },
    at,
    { originId: origin?.id ?? null },
  );
  post(tx, { tenantId: card.tenantId, accountId: card.accountId, amount: e.amount, kind: 'refund', ref: txn.id, at });
  return txn;
}
