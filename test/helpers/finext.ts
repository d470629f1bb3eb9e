/**
 * Finext test client. It fills api_key, a fresh 32-hex request_id and timestamp (the sandbox clock's now),
 * signs with its own MD5 of the documented concatenations (never src/vendors/finext/sign.ts, so the
 * tests check the server against an independent implementation), sends the `authorization` header,
 * and checks every answer against its contract.
 */
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { expect } from 'vitest';
import type { Sandbox } from '../../src/sandbox.js';
import { control, expectContract } from './sandbox.js';

export interface Merchant {
  tenant: string;
  api_key: string;
  secret: string;
}

export const MERCHANT: Merchant = { tenant: 'finext-default', api_key: 'fd01a53d7834b06c080cd1024ae9c60a', secret: '16388ce4331b35e8e0d32777ba57d7d9' };
export const SECOND: Merchant = { tenant: 'finext-webhooks', api_key: 'ac97c403062e94a094131aa332df6458', secret: 'a446b6660552582e08b043b84634e1fe' };

export const LILI12 = { username: 'lili12', card_id: '4b7e1f659b2f413e8863ec88004ba1f8', kit_number: '2000000001' } as const;
export const LILI111 = { username: 'lili111', card_id: '9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f', kit_number: '111111' } as const;
/** lili12's second card, mailed (the activate example's kit, which lili111's first card shares). */
export const LILI12_MAILED = { username: 'lili12', card_id: '6a0c7e21d8f94b53a2e4c1b9f07d3e15', kit_number: '111111' } as const;
/** lili111's second card, active and empty (the transaction examples' kit). */
export const LILI111_SECOND = { username: 'lili111', card_id: 'd3f5a7c9e1b24680a2c4e6f8b0d2f4a6', kit_number: '2000001791317913' } as const;

export const AUTHORIZATION = 'Bearer finext-sandbox-token';
export const DAY = 86_400_000;

export const OPERATIONS = {
  createAccount: '/account/create',
  getAccountDetails: '/account/getAccountDetails',
  addIDProof: '/account/addIDProof',
  updateIDProof: '/account/updateIDProof',
  addAddressProof: '/account/addAddressProof',
  updateAddressProof: '/account/updateAddressProof',
  activeCard: '/card/active',
  balance: '/card/balance',
  topup: '/card/topup',
  createTransaction: '/card/createTransaction',
  getTopupTransaction: '/card/getTopupTransaction',
  modifyOpStatus: '/card/modifyOpStatus',
  replaceCard: '/card/replace',
  cancelCard: '/card/cancel',
  getAllTransactionsOfCards: '/card/getAllTransactionsOfCards',
  getAllTransactions: '/card/getAllTransactions',
} as const;

export type OperationName = keyof typeof OPERATIONS;

/** The operations signed in the no-user form (no username): the rest take the user form, top-up its own. */
export const NO_USER_OPERATIONS: readonly OperationName[] = ['getAllTransactionsOfCards', 'createTransaction'];

export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** The three documented forms (VENDORS.md §B.3), written out. */
export const SIGN = {
  user: (f: { api_key: string; username: string; timestamp: string; secret: string; request_id: string }) =>
    md5(f.api_key + f.username + f.timestamp + f.secret + f.request_id),
  topup: (f: { api_key: string; username: string; timestamp: string; secret: string; request_id: string; amount: string }) =>
    md5(f.api_key + f.username + f.timestamp + f.secret + f.request_id + f.amount),
  none: (f: { api_key: string; timestamp: string; secret: string; request_id: string }) => md5(f.api_key + f.timestamp + f.secret + f.request_id),
};

export function requestId(): string {
  return randomBytes(16).toString('hex');
}

/** The signed body the client sends: defaults, then `fields` (an undefined value drops a field); `sign` is computed unless given. */
export function signedBody(sb: Sandbox, merchant: Merchant, operation: OperationName, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const merged: Record<string, unknown> = { api_key: merchant.api_key, request_id: requestId(), timestamp: String(sb.clock.now()), ...fields };
  const body = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
  if ('sign' in fields) return body;
  const parts = {
    api_key: String(body.api_key),
    username: String(body.username ?? ''),
    timestamp: String(body.timestamp),
    secret: merchant.secret,
    request_id: String(body.request_id),
  };
  if (operation === 'topup') body.sign = SIGN.topup({ ...parts, amount: String(body.amount ?? '') });
  else if (NO_USER_OPERATIONS.includes(operation)) body.sign = SIGN.none(parts);
  else body.sign = SIGN.user(parts);
  return body;
}

export interface ClientOptions {
  /** Base path; `/api/v1` unless given. */
  base?: string;
  /** The authorization header's value; null sends none. */
  authorization?: string | null;
}

/** Checks a Finext answer against its contract: the operation's response for 10200, else the error envelope. */
export function expectFinextContract(operation: OperationName, body: { code?: unknown }): void {
  expectContract(body?.code === 10200 ? `finext/${operation}.response` : 'finext/envelope.error', body);
}

export function finext(sb: Sandbox, merchant: Merchant = MERCHANT, options: ClientOptions = {}) {
  const base = options.base ?? '/api/v1';
  /** POSTs a signed request and checks the answer's contract. */
  const call = async (operation: OperationName, fields: Record<string, unknown> = {}) => {
    const body = signedBody(sb, merchant, operation, fields);
    let req = request(sb.app).post(`${base}${OPERATIONS[operation]}`);
    if (options.authorization !== null) req = req.set('authorization', options.authorization ?? AUTHORIZATION);
    const res = await req.send(body);
    expect(res.status).toBe(200);
    expectFinextContract(operation, res.body);
    if (res.body.code !== 10200) expect(res.headers['x-sandbox-diagnostic'], 'every refusal explains itself').toBeTruthy();
    return res;
  };
  /** Calls and insists on 10200; answers `data`. */
  const ok = async (operation: OperationName, fields: Record<string, unknown> = {}) => {
    const res = await call(operation, fields);
    expect(res.body, `${operation} ${res.headers['x-sandbox-diagnostic'] ?? ''}`).toMatchObject({ code: 10200, msg: 'ok' });
    return res.body.data;
  };
  return {
    call,
    ok,
    details: (username: string) => ok('getAccountDetails', { username }),
    /** The account's cards as getAccountDetails shows them. */
    cards: async (username: string) => (await ok('getAccountDetails', { username })).cards as WireCard[],
    /** One card's op_status as getAccountDetails shows it. */
    opStatus: async (username: string, cardId: string) =>
      ((await ok('getAccountDetails', { username })).cards as WireCard[]).find((c) => c.card_id === cardId)?.op_status,
    kycStatus: async (username: string) => (await ok('getAccountDetails', { username })).kyc_status as number,
    balance: async (username: string, kit_number: string) => (await ok('balance', { username, kit_number })).balance as string,
    topup: (username: string, kit_number: string, amount: string, extra: Record<string, unknown> = {}) =>
      call('topup', { username, kit_number, amount, transaction_id: transactionId(), ...extra }),
    transactions: async (fields: Record<string, unknown> = {}) =>
      (await ok('getAllTransactionsOfCards', { page: 1, start_time: '0000000000000', end_time: '9999999999999', ...fields })) as {
        list: WireTxn[];
        page: number;
        page_size: number;
        total: number;
        hasMore: boolean;
      },
  };
}

export type Finext = ReturnType<typeof finext>;

export interface WireCard {
  card_id: string;
  kit_number: string;
  op_status: number;
  card_type: number;
  card_level: number;
  balance: string;
}

export interface WireTxn {
  kit_number: string;
  timestamp: number;
  amount: string;
  category: string;
  detail: string;
  transaction_id: string;
  transaction_status: number;
  origin_type: number;
  origin_id: string;
  txn_date: string;
}

let counter = 0;

/** A fresh top-up transaction_id (the documented 20–64 characters). */
export function transactionId(): string {
  return `TOPUP${Date.now()}${String(++counter).padStart(8, '0')}`;
}

/** YYYY-MM-DD of an instant. */
export function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A valid account/create body with a fresh username, email and mobile number. */
export function accountBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = ++counter;
  return {
    card_type: 1,
    card_level: 1,
    first_name: 'Ada',
    last_name: 'Lovelace',
    username: `ada${n}`,
    title: 'Ms',
    email: `ada${n}@example.com`,
    mobile_number: `415555${String(n).padStart(4, '0')}`,
    gender: 'Female',
    card_holder_name: 'Ada Lovelace',
    country_code: 'US',
    country: 'United States',
    date_of_birth: '1990-12-10',
    calling_code: '1',
    calling_country_code: 'US',
    state: 'California',
    city: 'San Francisco',
    postal_code: '94105',
    address: '12 Market St #4',
    ...overrides,
  };
}

/** A tiny valid base64 "image". */
export const IMAGE = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** A valid Passport ID proof for `username` (dates valid from 2021 to 2034). */
export function idProofBody(username: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    username,
    id_type: 'Passport',
    id_number: 'P12345678',
    issued_by: 'US',
    issued_date: '2020-01-15',
    expiration_date: '2035-01-15',
    language: 'English',
    id_front: IMAGE,
    id_front_extension: 'png',
    id_back_extension: 'png',
    ...overrides,
  };
}

/** A valid Utility Bill address proof for `username`, issued 10 days before the sandbox clock. */
export function addressProofBody(sb: Sandbox, username: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    username,
    address_type: 'Utility Bill',
    address_issued_by: 'PG and E',
    address_issued_date: day(sb.clock.now() - 10 * DAY),
    address_language: 'English',
    address_proof_front: IMAGE,
    address_proof_front_extension: 'jpeg',
    ...overrides,
  };
}

/** Creates an account (KYC not started); answers its username, card_id and kit_number. */
export async function newAccount(sb: Sandbox, merchant: Merchant = MERCHANT, overrides: Record<string, unknown> = {}) {
  const api = finext(sb, merchant);
  const { username, card_id } = (await api.ok('createAccount', accountBody(overrides))) as { username: string; card_id: string };
  const card = (await api.cards(username)).find((c) => c.card_id === card_id)!;
  return { username, card_id, kit_number: card.kit_number };
}

/** Adds both proofs (which submits the account, kyc_status 1). */
export async function submitKyc(sb: Sandbox, username: string, merchant: Merchant = MERCHANT, idOverrides: Record<string, unknown> = {}): Promise<void> {
  const api = finext(sb, merchant);
  await api.ok('addIDProof', idProofBody(username, idOverrides));
  await api.ok('addAddressProof', addressProofBody(sb, username));
}

/** Runs whatever the scheduler has due now (reviews, mailing, webhook deliveries). */
export async function settle(sb: Sandbox): Promise<void> {
  await control(sb).advance(0);
}

/** A new account whose KYC is approved and whose card is mailed (op_status 10), not yet activated. */
export async function mailedCard(sb: Sandbox, merchant: Merchant = MERCHANT) {
  const account = await newAccount(sb, merchant);
  await submitKyc(sb, account.username, merchant);
  await settle(sb);
  return account;
}

/** A new account with an activated card (op_status 6), holding nothing. */
export async function activeCard(sb: Sandbox, merchant: Merchant = MERCHANT) {
  const account = await mailedCard(sb, merchant);
  await finext(sb, merchant).ok('activeCard', { username: account.username, kit_number: account.kit_number, pin: '4321' });
  return account;
}

/** Sets a Finext merchant's sandbox knobs through the control plane. */
export async function setSettings(sb: Sandbox, settings: Record<string, unknown>, merchant: Merchant = MERCHANT): Promise<void> {
  await control(sb).patch(`/tenants/${merchant.tenant}`, { settings }).expect(200);
}

/** The card as stored. */
export async function storedCard(
  sb: Sandbox,
  cardId: string,
  merchant: Merchant = MERCHANT,
): Promise<{ state: string; history: Array<{ from: string; to: string; event: string }>; kit_number: string; replaces: string | null }> {
  return (await sb.store.lookup('finext.cards', merchant.tenant, cardId)) as never;
}

/** Ledger balances (minor units) of the merchant's accounts, by account id. */
export async function ledger(sb: Sandbox, merchant: Merchant = MERCHANT): Promise<Record<string, number>> {
  return Object.fromEntries(
    ((await sb.store.read('_accounts', merchant.tenant)) as unknown as Array<{ id: string; balance: number }>).map((a) => [a.id, a.balance]),
  );
}

/** The sum of every ledger account of the merchant: merchant funds, fees and each card. */
export async function ledgerTotal(sb: Sandbox, merchant: Merchant = MERCHANT): Promise<number> {
  return Object.values(await ledger(sb, merchant)).reduce((a, b) => a + b, 0);
}

export interface Delivery {
  id: string;
  event: string;
  state: string;
  tenantId: string;
  body: string;
  attempts: Array<{ at: number; status?: number }>;
}

/** Webhook deliveries of the merchant (GET /__sandbox/webhooks), oldest first, optionally of one event. */
export async function deliveries(sb: Sandbox, event?: string, merchant: Merchant = MERCHANT): Promise<Delivery[]> {
  const query = `?tenant=${merchant.tenant}${event ? `&event=${event}` : ''}`;
  return (await control(sb).get(`/webhooks${query}`).expect(200)).body.deliveries as Delivery[];
}

/** A card-network event through POST /__sandbox/simulate/<action>. */
export function simulate(sb: Sandbox, action: 'authorize' | 'clear' | 'reverse' | 'refund', body: Record<string, unknown>) {
  return control(sb).post(`/simulate/${action}`, { vendor: 'finext', ...body });
}
