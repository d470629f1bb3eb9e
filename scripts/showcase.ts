/**
 * The `showcase` scenario pack: for every vendor, cards in every state of its machine, accounts and
 * payees in every review state, transactions of every kind (declines and reversals too), records left
 * pending, and webhooks that failed for good. It is built by driving an in-process sandbox through its
 * own HTTP API from the default scenario, on a frozen clock, so every record is one the sandbox itself
 * wrote; then the store is exported as a pack.
 *
 *   `npm run fixtures` regenerates fixtures/scenarios/showcase.json with the other packs.
 *
 * Deterministic: names come from a seeded faker, request ids and client keys are counters, the clock
 * only moves when told, webhook attempts are awaited one instant at a time, and the one measured value
 * the store keeps (an attempt's duration) is set to 0.
 *
 * Only the package's three vendors are in it: it drives each one's API step by step. A sandbox serving
 * other vendors builds its `default` and `empty` packs from their seeds (core/scenario.ts scenarioFor);
 * this pack loads only where its vendors are registered (another vendor's merchants simply have none).
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import request from 'supertest';
import { seededFaker } from '../src/core/faker.js';
import { SCENARIOS_DIR, SCENARIO_REF_DATE, readScenario, type Scenario } from '../src/core/scenario.js';
import type { Store, StoredRecord } from '../src/core/store.js';
import { DELIVERIES, type WebhookDelivery } from '../src/core/webhooks.js';
import { createSandbox, type Sandbox } from '../src/sandbox.js';
import { clientSign } from '../src/vendors/finext/index.js';

export const SHOWCASE_FILE = resolve(SCENARIOS_DIR, 'showcase.json');
/** The build starts 9 hours after the default scenario's reference date. */
export const SHOWCASE_START = SCENARIO_REF_DATE + 9 * 3_600_000;
export const SHOWCASE_SEED = 5010;
/** Pending records settle this long after they were made (3,650 days): still pending on a system clock for years. */
export const HOLD_MS = 3_650 * 86_400_000;
/** A closed port (unassigned, and not on fetch's list of blocked ports): every delivery to it is refused at once, with the same error text. */
export const DEAD_WEBHOOK_URL = 'http://127.0.0.1:4/hook';
const REFUSED = 'TypeError: connect ECONNREFUSED 127.0.0.1:4';

const ONERWAY = { default: 'onerway-test-apikey-0001', second: 'onerway-test-apikey-0002' };
const FINEXT = {
  default: { tenant: 'finext-default', api_key: 'fd01a53d7834b06c080cd1024ae9c60a', secret: '16388ce4331b35e8e0d32777ba57d7d9' },
  second: { tenant: 'finext-webhooks', api_key: 'ac97c403062e94a094131aa332df6458', secret: 'a446b6660552582e08b043b84634e1fe' },
};
const OPENAPI = {
  default: { tenant: 'openapi-cn-default', customer_id: 10001004, app_id: 100006, key: '0408ab79eb214e7d81d9fd447b5916a2' },
  second: { tenant: 'openapi-cn-second', customer_id: 10000011, app_id: 100001, key: 'ae9ae3f5ad284ef4836de18aa3d41c47' },
};
type FinextMerchant = typeof FINEXT.default;
type OpenApiMerchant = typeof OPENAPI.default;

/** A 1×1 PNG, for proof images. */
const IMAGE = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const DAY = 86_400_000;

type Json = Record<string, any>;

/** Calls the sandbox the way a client would, insisting on success, and lets due jobs finish after each call. */
class Driver {
  readonly faker = seededFaker(SHOWCASE_SEED, SHOWCASE_START);
  /**
   * How far the clock moves after each call, so that records carry distinct times. It must be 0 while
   * webhooks are delivered to a URL: a move past an instant would not wait for every delivery of it.
   */
  step = 60_000;
  #requests = 0;

  constructor(readonly sb: Sandbox) {}

  now(): number {
    return this.sb.clock.now();
  }

  async control(method: 'post' | 'patch' | 'get', path: string, body?: Json): Promise<Json> {
    const req = request(this.sb.app)[method](`/__sandbox${path}`);
    const res = method === 'get' ? await req : await req.send(body ?? {});
    if (res.status >= 300) throw new Error(`${method.toUpperCase()} ${path}: ${res.status} ${res.text}`);
    return res.body as Json;
  }

  /** Moves the clock on, running every job due on the way in time order; 0 runs what is due now (and awaits jobs the last call kicked off). */
  async advance(ms: number): Promise<void> {
    await this.control('post', '/clock', { advanceMs: ms });
  }

  async settings(tenant: string, settings: Json): Promise<void> {
    await this.control('patch', `/tenants/${tenant}`, { settings });
  }

  async simulate(action: 'authorize' | 'clear' | 'reverse' | 'refund', vendor: string, cardId: string | number, fields: Json = {}): Promise<Json> {
    const { transaction } = await this.control('post', `/simulate/${action}`, { vendor, cardId: String(cardId), ...fields });
    await this.advance(this.step);
    return transaction as Json;
  }

  async #vendor(path: string, body: Json, headers: Record<string, string>, ok: (b: Json) => boolean): Promise<Json> {
    const res = await request(this.sb.app).post(path).set(headers).send(body);
    if (!ok(res.body as Json)) throw new Error(`${path}: ${res.text} (${res.headers['x-sandbox-diagnostic'] ?? ''})`);
    await this.advance(this.step);
    return (res.body as Json).data as Json;
  }

  onerway(path: string, body: Json, apiKey = ONERWAY.default): Promise<Json> {
    return this.#vendor(`/api/v1/merchant${path}`, body, { ApiKey: apiKey }, (b) => b.respCode === '20000');
  }

  finext(path: string, fields: Json, m: FinextMerchant = FINEXT.default): Promise<Json> {
    const requestId = createHash('md5').update(`showcase-request-${++this.#requests}`).digest('hex');
    const body: Json = { api_key: m.api_key, request_id: requestId, timestamp: String(this.now()), ...fields };
    body.sign = clientSign(path, body, m.secret);
    return this.#vendor(`/api/v1${path}`, body, { authorization: m.api_key }, (b) => b.code === 10200);
  }

  openapi(path: string, fields: Json, m: OpenApiMerchant = OPENAPI.default): Promise<Json> {
    const { customer_id, app_id, key } = m;
    return this.#vendor(`/v1/openApi${path}`, { customer_id, app_id, key, ...fields }, {}, (b) => b.code === 0);
  }

  person() {
    const first = this.faker.person
      .firstName()
      .replace(/[^A-Za-z ]/g, '')
      .slice(0, 12);
    const last = this.faker.person
      .lastName()
      .replace(/[^A-Za-z ]/g, '')
      .slice(0, 12);
    return {
      first,
      last,
      email: `${first}.${last}.${this.faker.string.numeric(4)}@example.com`.replace(/ /g, '').toLowerCase(),
      mobile: this.faker.string.numeric({ length: 10, allowLeadingZeros: false }),
      birthday: this.faker.date.birthdate({ mode: 'age', min: 21, max: 60, refDate: SHOWCASE_START }).toISOString().slice(0, 10),
      address: this.faker.location.streetAddress().replace(/[^A-Za-z0-9#.\-()/, ]/g, ''),
    };
  }
}

/** Builds the pack: a fresh sandbox at SHOWCASE_START with the default scenario, driven vendor by vendor. */
export async function buildShowcase(): Promise<Scenario> {
  const base = readScenario('default');
  const sb = await createSandbox({ db: ':memory:', frozenAt: SHOWCASE_START, strictContracts: true, logLevel: 'silent', scenario: base });
  try {
    const d = new Driver(sb);
    await onerway(d);
    await d.advance(3_600_000);
    await finext(d);
    await d.advance(3_600_000);
    await openapiCn(d);
    await d.advance(3_600_000);
    await failedWebhooks(d);
    await sb.runtime.scheduler.idle();
    return {
      name: 'showcase',
      description:
        'Every vendor with cards in every state, accounts and payees in every review state, every kind of transaction, pending records and failed webhooks.',
      refDate: SHOWCASE_START,
      seed: SHOWCASE_SEED,
      collections: normalise(exportStore(sb.store)),
    };
  } finally {
    await sb.close();
  }
}

/** Onerway: cards 100001 ACTIVE, 100002 FROZEN, 100003 TERMINATED, 100004 FAILED, 100005 PROCESSING. */
async function onerway(d: Driver): Promise<void> {
  const holders: number[] = [];
  for (let i = 1; i <= 2; i++) {
    const p = d.person();
    const body = {
      clientRequestId: `SHOW_HOLDER_${i}`,
      firstName: p.first,
      lastName: p.last,
      email: p.email,
      mobileAreaCode: '+1',
      mobile: p.mobile,
      regionCode: 'US',
      cityCode: 'US-CA-SFO',
      address: p.address,
      postCode: d.faker.location.zipCode('#####'),
      birthday: p.birthday,
    };
    holders.push((await d.onerway('/cardholder/createCardholder', body)).cardholderId as number);
  }
  const create = async (key: string, cardholderId: number, productId: number, amount: number) =>
    (await d.onerway('/card/createCard', { clientRequestId: key, cardholderId, productId, amount })).cardId as number;
  const active = await create('SHOW_CREATE_ACTIVE', holders[0], 1, 500);
  const frozen = await create('SHOW_CREATE_FROZEN', holders[0], 2, 200);
  await d.onerway('/card/operate', { clientRequestId: 'SHOW_FREEZE', cardId: frozen, type: 'FREEZE' });
  const terminated = await create('SHOW_CREATE_TERMINATED', holders[1], 1, 50);
  await d.onerway('/card/operate', { clientRequestId: 'SHOW_TERMINATE', cardId: terminated, type: 'TERMINATE' });
  await create('SHOW_CREATE_FAIL', holders[1], 1, 25);
  await d.onerway('/card/deposit', { clientRequestId: 'SHOW_DEPOSIT', cardId: active, amount: 100 });
  await d.onerway('/card/deposit', { clientRequestId: 'SHOW_DEPOSIT_FAIL', cardId: active, amount: 10 });

  await network(d, 'onerway', active, { coffee: 'BLUE BOTTLE COFFEE', hotel: 'HARBOR VIEW HOTEL', shop: 'CITY OUTFITTERS', open: 'METRO TRANSIT' });
  await d.simulate('authorize', 'onerway', frozen, { amount: '10.00', merchantName: 'CORNER DELI', mcc: '5411' });
  await d.simulate('authorize', 'onerway', terminated, { amount: '5.00', merchantName: 'CORNER DELI', mcc: '5411' });

  await d.settings('onerway-default', { settleDelayMs: HOLD_MS });
  await create('SHOW_CREATE_PENDING', holders[0], 1, 30);
  await d.onerway('/card/deposit', { clientRequestId: 'SHOW_DEPOSIT_PENDING', cardId: active, amount: 75 });
  await d.onerway('/card/operate', { clientRequestId: 'SHOW_UNFREEZE_PENDING', cardId: frozen, type: 'UNFREEZE' });
  await d.settings('onerway-default', { settleDelayMs: 0 });
}

/**
 * The network's story on one active card: two clearings (one for less than authorized), a full and a
 * partial reversal, a refund, a verification, a decline for want of balance, and an open authorization.
 */
async function network(
  d: Driver,
  vendor: string,
  cardId: string | number,
  names: { coffee: string; hotel: string; shop: string; open: string },
): Promise<void> {
  const authorize = (amount: string, merchantName: string, mcc: string) => d.simulate('authorize', vendor, cardId, { amount, merchantName, mcc });
  const coffee = await authorize('42.50', names.coffee, '5814');
  const cleared = await d.simulate('clear', vendor, cardId, { transactionId: coffee.id, amount: '42.50' });
  const hotel = await authorize('120.00', names.hotel, '7011');
  await d.simulate('clear', vendor, cardId, { transactionId: hotel.id, amount: '112.40' });
  const shop = await authorize('60.00', names.shop, '5651');
  await d.simulate('reverse', vendor, cardId, { transactionId: shop.id });
  const partial = await authorize('80.00', names.shop, '5651');
  await d.simulate('reverse', vendor, cardId, { transactionId: partial.id, amount: '30.00' });
  await d.simulate('clear', vendor, cardId, { transactionId: partial.id, amount: '50.00' });
  await d.simulate('refund', vendor, cardId, { transactionId: cleared.id, amount: '12.00' });
  await authorize('0', names.shop, '5651');
  await authorize('9999.00', names.hotel, '7011');
  await authorize('15.00', names.open, '4111');
}

/**
 * Finext: accounts by KYC state (kycnone 0, kycsubmit 1, card* 2, kycresub 3, kycreject 4) and cards by
 * op_status (AWAITING_KYC on the kyc* accounts, cardprep 22, cardmailed 10, cardactive 6, cardblock 8,
 * cardissue 11, cardcancel 9, cardrepl 12 with its replacement 6).
 */
async function finext(d: Driver): Promise<void> {
  const account = async (username: string) => {
    const p = d.person();
    await d.finext('/account/create', {
      card_type: 1,
      card_level: 1,
      first_name: p.first,
      last_name: p.last,
      username,
      title: 'Ms',
      email: `${username}@example.com`,
      mobile_number: p.mobile,
      gender: 'Female',
      card_holder_name: `${p.first} ${p.last}`.slice(0, 23),
      country_code: 'US',
      country: 'United States',
      date_of_birth: p.birthday,
      calling_code: '1',
      calling_country_code: 'US',
      state: 'California',
      city: 'San Francisco',
      postal_code: d.faker.location.zipCode('#####'),
      address: p.address,
    });
  };
  const proofs = async (username: string) => {
    const id_number = d.faker.string.alphanumeric({ length: 9, casing: 'upper' });
    await d.finext('/account/addIDProof', {
      username,
      id_type: 'Passport',
      id_number,
      issued_by: 'US',
      issued_date: '2021-03-15',
      expiration_date: '2031-03-14',
      language: 'English',
      id_front: IMAGE,
      id_front_extension: 'png',
      id_back_extension: 'png',
    });
    const issued = new Date(d.now() - 10 * DAY).toISOString().slice(0, 10);
    await d.finext('/account/addAddressProof', {
      username,
      address_type: 'Utility Bill',
      address_issued_by: 'PG and E',
      address_issued_date: issued,
      address_language: 'English',
      address_proof_front: IMAGE,
      address_proof_front_extension: 'jpeg',
    });
  };
  const card = async (username: string, index = 0) => {
    const { cards } = await d.finext('/account/getAccountDetails', { username });
    return cards[index] as { card_id: string; kit_number: string };
  };
  const activate = async (username: string) => {
    const c = await card(username);
    await d.finext('/card/active', { username, kit_number: c.kit_number, pin: '2468' });
    return c;
  };
  let topups = 0;
  const topup = (username: string, kit_number: string, amount: string) =>
    d.finext('/card/topup', { username, kit_number, amount, transaction_id: `SHOWCASE-TOPUP-${String(++topups).padStart(6, '0')}`, fund_source: 'Savings' });

  await account('kycnone');
  for (const [username, outcome, reason] of [
    ['kycresub', 'resubmit', 'Address proof is not legible'],
    ['kycreject', 'rejected', 'Document appears altered'],
  ]) {
    await account(username);
    await d.control('post', `/finext/kyc/${username}`, { outcome, reason });
    await proofs(username);
  }
  for (const username of ['cardmailed', 'cardactive', 'cardblock', 'cardissue', 'cardcancel', 'cardrepl']) {
    await account(username);
    await proofs(username);
  }

  const active = await activate('cardactive');
  await topup('cardactive', active.kit_number, '500.00');
  await network(d, 'finext', active.card_id, { coffee: 'JOES DINER', hotel: 'GRAND PLAZA HOTEL', shop: 'BOOK NOOK', open: 'CITY PARKING' });

  const blocked = await activate('cardblock');
  await d.finext('/card/modifyOpStatus', { username: 'cardblock', card_id: blocked.card_id, op_status: 11, op_cause_type: 1 });
  await d.simulate('authorize', 'finext', blocked.card_id, { amount: '10.00', merchantName: 'CORNER DELI', mcc: '5411' });
  const issue = await activate('cardissue');
  await d.finext('/card/modifyOpStatus', { username: 'cardissue', card_id: issue.card_id, op_status: 11, op_cause_type: 2 });
  const cancelled = await activate('cardcancel');
  await topup('cardcancel', cancelled.kit_number, '20.00');
  await d.finext('/card/cancel', { username: 'cardcancel', kit_number: cancelled.kit_number });
  const replaced = await activate('cardrepl');
  await topup('cardrepl', replaced.kit_number, '50.00');
  await d.finext('/card/modifyOpStatus', {
    username: 'cardrepl',
    card_id: replaced.card_id,
    op_status: 11,
    op_cause_type: 8,
    issue_transaction_id: 'FX000000000001',
    issue_date: new Date(d.now()).toISOString().slice(0, 10),
    issue_amount: '49.50',
    issue_merchant: 'UNKNOWN ONLINE STORE',
    issue_text: 'Cardholder does not recognise this purchase',
  });
  await d.finext('/card/replace', { username: 'cardrepl', kit_number: replaced.kit_number, replace: 1 });
  await d.finext('/card/active', { username: 'cardrepl', kit_number: (await card('cardrepl', 1)).kit_number, pin: '1357' });

  await d.settings(FINEXT.default.tenant, { mailDelayMs: HOLD_MS });
  await account('cardprep');
  await proofs('cardprep');
  await d.settings(FINEXT.default.tenant, { kycReviewDelayMs: HOLD_MS });
  await account('kycsubmit');
  await proofs('kycsubmit');
  await d.settings(FINEXT.default.tenant, { kycReviewDelayMs: 0, mailDelayMs: 0 });
}

/**
 * OPEN-API: new cards ACTIVE, INACTIVE, FROZEN, CANCELLED, FAILED, OPENING and CANCELLING; orders
 * that succeeded, failed and are processing; payees DRAFT, REVIEWING, APPROVED, REJECTED; payments
 * SUCCESS, FAILED, RETURNED and PROCESSING.
 */
async function openapiCn(d: Driver): Promise<void> {
  const holders: string[] = [];
  for (let i = 0; i < 3; i++) {
    const p = d.person();
    const body = {
      first_name: p.first,
      last_name: p.last,
      email: p.email,
      mobile_area_code: '+1',
      mobile: p.mobile,
      birthday: p.birthday,
      id_type: 'passport',
      id_number: d.faker.string.alphanumeric({ length: 9, casing: 'upper' }),
      country: 'US',
      state: 'CA',
      city: 'San Francisco',
      address: p.address,
      postcode: d.faker.location.zipCode('#####'),
    };
    holders.push((await d.openapi('/holder/create', body)).holder_id as string);
  }
  let orders = 0;
  const open = async (bin_id: string, holder_id: string, amount: string, suffix = '') =>
    (await d.openapi('/order/openCard', { bin_id, holder_id, amount, request_no: `SHOW-OPEN-${++orders}${suffix}` })).card_id as string;
  let recharges = 0;
  const recharge = (card_id: string, amount: string) => d.openapi('/order/recharge', { card_id, amount, request_no: `SHOW-RECHARGE-${++recharges}` });

  const active = await open('bin_v_usd', holders[0], '300.00');
  await recharge(active, '100.00');
  await recharge(active, '10.99');
  await open('bin_p_usd', holders[0], '50.00');
  const frozen = await open('bin_p_usd', holders[1], '80.00');
  await d.openapi('/card/active', { card_id: frozen });
  await d.openapi('/card/freeze', { card_id: frozen });
  const cancelled = await open('bin_v_usd', holders[1], '40.00');
  await d.openapi('/card/cancel', { card_id: cancelled, request_no: 'SHOW-CANCEL-1' });
  await open('bin_v_usd', holders[2], '20.00', '_FAIL');
  const cancelling = await open('bin_v_usd', holders[2], '25.00');

  await network(d, 'openapi-cn', active, { coffee: 'GREEN LEAF CAFE', hotel: 'SKYLINE SUITES', shop: 'GADGET HUB', open: 'RIDE SHARE' });
  await d.simulate('authorize', 'openapi-cn', frozen, { amount: '10.00', merchantName: 'CORNER DELI', mcc: '5411' });

  const company = () => d.faker.company.name().slice(0, 60);
  const ach = (name: string, account_name = name.toUpperCase()) => ({
    payee_type: 'company',
    name,
    country: 'US',
    currency: 'USD',
    pay_method: 'LOCAL_ACH',
    account_name,
    account_number: d.faker.string.numeric(12),
    bank_name: 'First Sandbox Bank',
    routing_code: '021000021',
    fund_source: 'BUSINESS_INCOME',
    payment_purpose: 'GOODS_TRADE',
  });
  await d.openapi('/payee/create', ach(company()));
  const { payee_id: approved } = await d.openapi('/payee/create', ach(company()));
  await d.openapi('/payee/apply', { payee_id: approved });
  const rejectedName = company();
  const { payee_id: rejected } = await d.openapi('/payee/create', ach(rejectedName, `${rejectedName.toUpperCase()} REJECT`));
  await d.openapi('/payee/apply', { payee_id: rejected });
  let payments = 0;
  const pay = (amount: string) =>
    d.openapi('/payment/create', {
      payee_id: approved,
      amount,
      currency: 'USD',
      fee_mode: 'OUR',
      reason: 'GOODS_PURCHASE',
      request_no: `SHOW-PAY-${++payments}`,
    });
  await pay('100.00');
  await pay('45.13');
  await pay('60.14');

  await d.settings(OPENAPI.default.tenant, { settleDelayMs: HOLD_MS, reviewDelayMs: HOLD_MS });
  await open('bin_v_hkd', holders[0], '200.00');
  await d.openapi('/card/cancel', { card_id: cancelling, request_no: 'SHOW-CANCEL-2' });
  await recharge(active, '50.00');
  await pay('75.00');
  const { payee_id: reviewing } = await d.openapi('/payee/create', ach(company()));
  await d.openapi('/payee/apply', { payee_id: reviewing });
  await d.settings(OPENAPI.default.tenant, { settleDelayMs: 0, reviewDelayMs: 0 });
}

/**
 * Each vendor's second merchant sends its webhooks to a closed port; the clock then walks through every
 * retry, one due instant at a time, until each delivery has failed for good.
 */
async function failedWebhooks(d: Driver): Promise<void> {
  d.step = 0;
  for (const tenant of ['onerway-second', FINEXT.second.tenant, OPENAPI.second.tenant]) {
    await d.control('patch', `/tenants/${tenant}`, { webhookUrl: DEAD_WEBHOOK_URL });
  }
  const cardId = (
    await d.onerway('/card/createCard', { clientRequestId: 'SHOW_SECOND_CREATE', cardholderId: 300002, productId: 1, amount: 20 }, ONERWAY.second)
  ).cardId as number;
  await d.simulate('authorize', 'onerway', cardId, { amount: '5.00', merchantName: 'CORNER DELI', mcc: '5411' });
  const p = d.person();
  await d.finext(
    '/account/create',
    {
      card_type: 2,
      card_level: 1,
      first_name: p.first,
      last_name: p.last,
      username: 'hookfail',
      title: 'Mr',
      email: 'hookfail@example.com',
      mobile_number: p.mobile,
      gender: 'Male',
      card_holder_name: `${p.first} ${p.last}`.slice(0, 23),
      country_code: 'US',
      country: 'United States',
      date_of_birth: p.birthday,
      calling_code: '1',
      calling_country_code: 'US',
      state: 'California',
      city: 'San Francisco',
      postal_code: '94105',
      address: p.address,
    },
    FINEXT.second,
  );
  await d.finext(
    '/account/addIDProof',
    {
      username: 'hookfail',
      id_type: 'Passport',
      id_number: 'P7700REJECT',
      issued_by: 'US',
      issued_date: '2021-03-15',
      expiration_date: '2031-03-14',
      language: 'English',
      id_front: IMAGE,
      id_front_extension: 'png',
      id_back_extension: 'png',
    },
    FINEXT.second,
  );
  await d.finext(
    '/account/addAddressProof',
    {
      username: 'hookfail',
      address_type: 'Bank Statement',
      address_issued_by: 'First Sandbox Bank',
      address_issued_date: new Date(d.now() - 5 * DAY).toISOString().slice(0, 10),
      address_language: 'English',
      address_proof_front: IMAGE,
      address_proof_front_extension: 'jpeg',
    },
    FINEXT.second,
  );
  await d.openapi('/card/freeze', { card_id: '9790d83fbb935e1d134e03bb505c2de5' }, OPENAPI.second);
  await d.simulate('authorize', 'openapi-cn', '9790d83fbb935e1d134e03bb505c2de5', { amount: '8.00', merchantName: 'CORNER DELI', mcc: '5411' });

  for (;;) {
    const { deliveries } = await d.control('get', '/webhooks');
    const due = (deliveries as WebhookDelivery[]).filter((w) => w.nextAttemptAt !== null).map((w) => w.nextAttemptAt!);
    if (due.length === 0) break;
    await d.advance(Math.min(...due) - d.now());
  }
}

/** The store's records as a pack's collections: each collection's records in the store's order (by tenant, then insertion); empty ones left out. */
export function exportStore(store: Store): Record<string, StoredRecord[]> {
  const out: Record<string, StoredRecord[]> = {};
  for (const name of store.collectionNames()) {
    const records = store.listAll(name);
    if (records.length > 0) out[name] = structuredClone(records);
  }
  return out;
}

/** An attempt's duration is the one measured value in the store; it is set to 0, and every attempt must be the refusal expected. */
function normalise(collections: Record<string, StoredRecord[]>): Record<string, StoredRecord[]> {
  for (const delivery of (collections[DELIVERIES] ?? []) as WebhookDelivery[]) {
    for (const attempt of delivery.attempts) {
      if (attempt.error !== REFUSED || attempt.status !== undefined)
        throw new Error(`delivery ${delivery.id} to ${attempt.url} was not refused as expected: ${JSON.stringify(attempt)}`);
      attempt.ms = 0;
    }
    if (delivery.state !== 'failed' && delivery.state !== 'no_url') throw new Error(`delivery ${delivery.id} is still ${delivery.state}`);
  }
  return collections;
}
