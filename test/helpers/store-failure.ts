/**
 * The store-failure suites' vendors, each as a driver: a keyed write whose commit a failing store
 * refuses, a read that must keep answering and show nothing refused, a job due later, and its
 * internal-error envelope. Also: a sandbox on a failing-able disk, and a check that no promise was left
 * rejected and unhandled (which would kill a real process).
 */
import request from 'supertest';
import { afterEach, expect } from 'vitest';
import type { Sandbox } from '../../src/sandbox.js';
import { durabilityFor, storeDb, type Failure } from './failing-disk.js';
import { LILI111, finext, newAccount, setSettings, submitKyc } from './finext.js';
import { onerway, setMerchant } from './onerway.js';
import { openapi, SEED_EXAMPLES as OPENAPI_EXAMPLES } from './openapi-cn.js';
import { control, makeSandbox } from './sandbox.js';

export const KINDS: Failure[] = ['write', 'sync'];
export const HOUR = 3_600_000;

const stray: unknown[] = [];
process.on('unhandledRejection', (reason) => stray.push(reason));

/** Fails the test when a promise was rejected and left unhandled during it. */
export function failOnStrayRejections(): void {
  afterEach(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    expect(stray.splice(0), 'unhandled rejections (a real process would exit)').toEqual([]);
  });
}

export function failingSandbox(kind: Failure, options: Parameters<typeof makeSandbox>[0] = {}): Promise<Sandbox> {
  return makeSandbox({ db: storeDb(), durability: durabilityFor(kind), ...options });
}

type Answer = { status: number; body: any; headers: Record<string, string> };

export interface Driver {
  vendor: string;
  tenant: string;
  /** The vendor's internal error, as much of it as identifies it. */
  internal: Record<string, unknown>;
  /** Whatever the keyed write needs first (a card). */
  setup(sb: Sandbox): Promise<void>;
  /** Reads, insists on success, and answers what it saw. */
  read(sb: Sandbox): Promise<unknown>;
  /** A write keyed by `key` (the vendor's idempotency field). */
  write(sb: Sandbox, key: string): Promise<Answer>;
  /** Leaves a job of this vendor due in an hour; answers a read of what the job will change. */
  pendingJob(sb: Sandbox): Promise<() => Promise<unknown>>;
}

const cards = new WeakMap<Sandbox, number>();
let keys = 0;
export const newKey = (prefix: string) => `${prefix}${String(++keys).padStart(20, '0')}`;

const ONERWAY: Driver = {
  vendor: 'onerway',
  tenant: 'onerway-default',
  internal: { respCode: '80000', respMsg: 'Internal service error', data: null },
  async setup(sb) {
    cards.set(sb, await onerway(sb).activeCard());
  },
  async read(sb) {
    const api = onerway(sb);
    const cardId = cards.get(sb)!;
    const balance = await api.getCardBalance({ cardId });
    expect(balance.body.respCode).toBe('20000');
    return { balance: balance.body.data, records: await api.records({ cardId }) };
  },
  write: (sb, key) => onerway(sb).deposit({ clientRequestId: key, cardId: cards.get(sb)!, amount: 5 }),
  async pendingJob(sb) {
    await setMerchant(sb, { settleDelayMs: HOUR });
    const { body } = await onerway(sb).deposit({ clientRequestId: newKey('HELD'), cardId: cards.get(sb)!, amount: 7 });
    expect(body.respCode).toBe('20000');
    return async () => (await onerway(sb).records({ cardId: cards.get(sb)! })).map((r) => r.status);
  },
};

const FINEXT: Driver = {
  vendor: 'finext',
  tenant: 'finext-default',
  internal: { code: 10500, msg: 'internal error' },
  async setup() {},
  async read(sb) {
    const api = finext(sb);
    return {
      details: await api.details(LILI111.username),
      balance: await api.balance(LILI111.username, LILI111.kit_number),
      transactions: await api.transactions(),
    };
  },
  write: (sb, key) => finext(sb).topup(LILI111.username, LILI111.kit_number, '10.00', { transaction_id: key }),
  async pendingJob(sb) {
    await setSettings(sb, { kycReviewDelayMs: HOUR });
    const { username } = await newAccount(sb);
    await submitKyc(sb, username);
    return () => finext(sb).kycStatus(username);
  },
};

const OPENAPI_CARD = OPENAPI_EXAMPLES[1].card_id;
const OPENAPI: Driver = {
  vendor: 'openapi-cn',
  tenant: 'openapi-cn-default',
  internal: { code: 5000, message: 'system error' },
  async setup() {},
  async read(sb) {
    const api = openapi(sb);
    return { card: await api.ok('cardDetail', '/card/detail', { card_id: OPENAPI_CARD }), orders: await api.ok('orderList', '/order/list', {}) };
  },
  write: (sb, key) => openapi(sb).call('orderRecharge', '/order/recharge', { card_id: OPENAPI_CARD, amount: '20.00', request_no: key }),
  async pendingJob(sb) {
    await control(sb)
      .patch('/tenants/openapi-cn-default', { settings: { settleDelayMs: HOUR } })
      .expect(200);
    const { order_id } = await openapi(sb).ok('orderRecharge', '/order/recharge', { card_id: OPENAPI_CARD, amount: '25.00', request_no: newKey('HELD') });
    return async () => (await openapi(sb).ok('orderDetail', '/order/detail', { order_id })).order_status;
  },
};

export const DRIVERS: Driver[] = [OPENAPI, FINEXT, ONERWAY];

/** The diagnostic every refusal of a failing store carries. */
export const REFUSED = /^internal: .*the log could not be written or synced \((ENOSPC|EIO).*refuses every change until the sandbox restarts/;

/** Health says the store is failing. */
export async function expectFailingHealth(sb: Sandbox): Promise<void> {
  const health = await request(sb.app).get('/__sandbox/health');
  expect(health.status).toBe(503);
  expect(health.body).toMatchObject({ status: 'failing', storeFailure: expect.stringMatching(/ENOSPC|EIO/) });
}

/** A control-plane refusal by a failing store: 503, its JSON error, the diagnostic. */
export function expectControlRefusal(res: Answer): void {
  expect(res.status).toBe(503);
  expect(res.body).toEqual({
    error: { code: 'internal', field: null, message: expect.stringMatching(/refuses every change|could not be recorded|cannot run/) },
  });
  expect(res.headers['x-sandbox-diagnostic']).toMatch(/^internal: .*(ENOSPC|EIO)/);
}
