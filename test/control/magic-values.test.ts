/**
 * GET /__sandbox/magic-values: every listed value, sent through the vendor's own API, really produces the
 * listed outcome. Each entry needs a driver below; an entry without one fails the table.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { LILI111, MERCHANT as FINEXT, deliveries, finext, newAccount, submitKyc, transactionId } from '../helpers/finext.js';
import { onerway } from '../helpers/onerway.js';
import { ACH_PAYEE, SEED_EXAMPLES as OPENAPI_EXAMPLES, openapi } from '../helpers/openapi-cn.js';
import { REGISTERED, profileOf } from '../helpers/registered.js';
import { control, makeSandbox as makeAnySandbox } from '../helpers/sandbox.js';

/** Sandboxes serving every registered vendor, the tests' fake one included. */
const makeSandbox = () => makeAnySandbox({ vendors: REGISTERED });

interface Entry {
  operation: string;
  field: string;
  value: string;
  outcome: string;
  description: string;
}

/** The value with each `*` filled in. */
const sample = (entry: Entry, fill: string) => entry.value.replaceAll('*', fill);

const OPENAPI_CARD = OPENAPI_EXAMPLES[1].card_id;

/** Onerway: the operate record written by the request, and the card, as the vendor reports them. */
async function onerwayRecord(
  sb: Sandbox,
  send: (api: ReturnType<typeof onerway>, cardId: number) => Promise<{ body: any }>,
  withCard: boolean,
): Promise<string> {
  const api = onerway(sb);
  const cardId = withCard ? await api.activeCard() : 0;
  const res = await send(api, cardId);
  expect(res.body.respCode).toBe('20000');
  const id = res.body.data.cardId ?? cardId;
  const [record] = await api.records({ cardId: id });
  return withCard ? `operate record ${record.status}` : `operate record ${record.status}; card ${await api.cardStatus(id)}`;
}

async function openapiOrder(sb: Sandbox, operation: 'orderOpenCard' | 'orderRecharge', fields: Record<string, unknown>): Promise<string> {
  const api = openapi(sb);
  const holder_id = (await api.ok('cardDetail', '/card/detail', { card_id: OPENAPI_CARD })).holder_id;
  const data =
    operation === 'orderOpenCard'
      ? await api.ok('orderOpenCard', '/order/openCard', { bin_id: 'bin_v_usd', holder_id, amount: '10.00', ...fields })
      : await api.ok('orderRecharge', '/order/recharge', { card_id: OPENAPI_CARD, amount: '20.00', ...fields });
  const order = await api.ok('orderDetail', '/order/detail', { order_id: data.order_id });
  const failedCard =
    operation === 'orderOpenCard' ? `; card_status ${(await api.ok('cardDetail', '/card/detail', { card_id: data.card_id })).card_status} (failed)` : '';
  return `order_status ${order.order_status} (${order.order_status === 3 ? 'failed' : order.order_status})${failedCard}`;
}

/** The package vendors' drivers, then those each registered vendor's test profile brings. */
const DRIVERS: Record<string, (sb: Sandbox, entry: Entry) => Promise<string>> = {
  'onerway createCard clientRequestId *_FAIL': (sb, e) =>
    onerwayRecord(sb, (api) => api.createCard({ clientRequestId: sample(e, 'CREATE_1'), cardholderId: 300001, productId: 1, amount: 10 }), false),
  'onerway operate clientRequestId *_FAIL': (sb, e) =>
    onerwayRecord(sb, (api, cardId) => api.operate({ clientRequestId: sample(e, 'FREEZE_1'), cardId, type: 'FREEZE' }), true),
  'onerway deposit clientRequestId *_FAIL': (sb, e) =>
    onerwayRecord(sb, (api, cardId) => api.deposit({ clientRequestId: sample(e, 'DEPOSIT_1'), cardId, amount: 10 }), true),

  'finext addIDProof id_number *REJECT': (sb, e) => finextReview(sb, sample(e, 'P1234')),
  'finext addIDProof id_number *RESUBMIT': (sb, e) => finextReview(sb, sample(e, 'P1234')),
  'finext topup amount *.91': (sb, e) => finextTopup(sb, sample(e, '20')),
  'finext topup amount *.92': (sb, e) => finextTopup(sb, sample(e, '20')),
  'finext topup amount *.93': (sb, e) => finextTopup(sb, sample(e, '20')),

  'openapi-cn orderOpenCard request_no *_FAIL': (sb, e) => openapiOrder(sb, 'orderOpenCard', { request_no: sample(e, 'OPEN_1') }),
  'openapi-cn orderOpenCard amount *.99': (sb, e) => openapiOrder(sb, 'orderOpenCard', { amount: sample(e, '10') }),
  'openapi-cn orderRecharge request_no *_FAIL': (sb, e) => openapiOrder(sb, 'orderRecharge', { request_no: sample(e, 'RECHARGE_1') }),
  'openapi-cn orderRecharge amount *.99': (sb, e) => openapiOrder(sb, 'orderRecharge', { amount: sample(e, '20') }),
  'openapi-cn payeeCreate account_name *REJECT*': async (sb, e) => {
    const api = openapi(sb);
    const { payee_id } = await api.ok('payeeCreate', '/payee/create', { ...ACH_PAYEE, account_name: sample(e, 'ACME') });
    await api.ok('payeeApply', '/payee/apply', { payee_id });
    const { status } = await api.ok('payeeDetail', '/payee/detail', { payee_id });
    return `status ${status} (${status === 3 ? 'rejected' : status}) after payee/apply`;
  },
  'openapi-cn paymentCreate amount *.13': (sb, e) => openapiPayment(sb, sample(e, '50')),
  'openapi-cn paymentCreate amount *.14': (sb, e) => openapiPayment(sb, sample(e, '50')),
};
for (const vendor of REGISTERED) {
  for (const [key, driver] of Object.entries(profileOf(vendor).magicDrivers ?? {})) DRIVERS[`${vendor.slug} ${key}`] = driver;
}

async function finextReview(sb: Sandbox, idNumber: string): Promise<string> {
  const { username } = await newAccount(sb);
  await submitKyc(sb, username, FINEXT, { id_number: idNumber });
  await control(sb).advance(0);
  const status = await finext(sb).kycStatus(username);
  return `kyc_status ${status} (${{ 2: 'approved', 3: 'resubmit', 4: 'rejected' }[status] ?? status})`;
}

/** Tops up lili111's card; answers the outcome its Card Topup Status Notification reports. */
async function finextTopup(sb: Sandbox, amount: string): Promise<string> {
  await finext(sb).ok('topup', { username: LILI111.username, kit_number: LILI111.kit_number, amount, transaction_id: transactionId() });
  const [hook] = await deliveries(sb, 'card_topup_status');
  const { status, fail_reason } = JSON.parse(hook.body) as { status: number; fail_reason?: number };
  return `status ${status} (${status === 2 ? 'fail' : 'success'}), fail_reason ${fail_reason}`;
}

/** Pays an approved payee; answers the statuses the payment went through after pending (from its notifies). */
async function openapiPayment(sb: Sandbox, amount: string): Promise<string> {
  const api = openapi(sb);
  const { payee_id } = await api.ok('payeeCreate', '/payee/create', ACH_PAYEE);
  await api.ok('payeeApply', '/payee/apply', { payee_id });
  const { payment_id } = await api.ok('paymentCreate', '/payment/create', { payee_id, amount, currency: 'USD', fee_mode: 'OUR', reason: 'GOODS_PURCHASE' });
  await control(sb).advance(0);
  const { deliveries } = (await control(sb).get('/webhooks?tenant=openapi-cn-default&event=payment').expect(200)).body;
  const statuses = deliveries
    .map((d: { body: string }) => JSON.parse(d.body).data)
    .filter((p: { payment_id: string }) => p.payment_id === payment_id)
    .map((p: { status: number }) => p.status);
  const names: Record<number, string> = { 2: 'success', 3: 'failed', 4: 'returned' };
  const settled = statuses.filter((s: number) => s >= 2).map((s: number) => `${s} (${names[s]})`);
  return `status ${settled.join(', then ')}`;
}

describe('GET /__sandbox/magic-values', () => {
  it('lists every vendor, each entry with operation, field, value, outcome and description', async () => {
    const sb = await makeSandbox();
    const { body } = await control(sb).get('/magic-values').expect(200);
    expect(Object.keys(body.vendors)).toEqual(REGISTERED.map((v) => v.slug));
    for (const entries of Object.values(body.vendors) as Entry[][]) {
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) expect(Object.keys(e)).toEqual(['operation', 'field', 'value', 'outcome', 'description']);
    }
  });

  it('has a driver for every listed value, and every driver is listed', async () => {
    const sb = await makeSandbox();
    const { body } = await control(sb).get('/magic-values').expect(200);
    const listed = Object.entries(body.vendors as Record<string, Entry[]>).flatMap(([vendor, entries]) =>
      entries.map((e) => `${vendor} ${e.operation} ${e.field} ${e.value}`),
    );
    expect(listed.sort()).toEqual(Object.keys(DRIVERS).sort());
  });
});

describe('each magic value, sent through its vendor API, forces the listed outcome', async () => {
  const sb = await createSandbox({ db: ':memory:', logLevel: 'silent', vendors: REGISTERED });
  const { body } = await request(sb.app).get('/__sandbox/magic-values');
  await sb.close();
  const table = Object.entries(body.vendors as Record<string, Entry[]>).flatMap(([vendor, entries]) =>
    entries.map((e) => [`${vendor} ${e.operation} ${e.field} ${e.value}`, e] as const),
  );

  it.each(table)('%s', async (key, entry) => {
    const driver = DRIVERS[key];
    expect(driver, `a driver for ${key}`).toBeDefined();
    expect(await driver(await makeSandbox(), entry)).toBe(entry.outcome);
  });
});
