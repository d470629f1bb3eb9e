/**
 * Every vendor operation, fed bodies of odd values (wrong types, empty, huge, unicode, NUL, nested,
 * plausible ids) with valid credentials, so that the bodies get past authentication: each answer must be
 * the vendor's own envelope (a success that passes its contract, checked by --strict-contracts, or an
 * error that passes the error envelope's contract with a diagnostic). Never a 5xx, a non-JSON body or
 * an internal error. The control plane's routes get the same treatment: plain JSON, a 4xx with a
 * diagnostic, never a 5xx. Deterministic (a fixed seed).
 */
import { existsSync, readFileSync } from 'node:fs';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { LILI12, MERCHANT as FINEXT, signedBody, type OperationName } from '../helpers/finext.js';
import { MERCHANT as OPENAPI } from '../helpers/openapi-cn.js';
import { API_KEY } from '../helpers/onerway.js';
import { Contracts } from '../../src/core/contracts.js';
import { makeSandbox } from '../helpers/sandbox.js';
import type { Sandbox } from '../../src/sandbox.js';

const BODIES_PER_OPERATION = 60;

/** A small seeded generator (LCG), so that a failure names a body that comes back on the next run. */
function generator(seed: number, extra: Array<() => unknown> = []) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const ODD: Array<() => unknown> = [
    ...extra,
    () => null, () => true, () => -1, () => 0, () => 1.234567, () => 1e308, () => -1e-9, () => Number.MAX_SAFE_INTEGER + 2,
    () => '', () => ' ', () => 'x'.repeat(300), () => '１２３', () => '12.345', () => '-5', () => 'NaN', () => '0x10', () => '1e3', () => '\u0000', () => '😀',
    () => [], () => [1, 'a'], () => ({}), () => ({ a: { b: 1 } }),
    () => '100001', () => 100001, () => 300001, () => '300001', () => 'lili12', () => LILI12.kit_number, () => LILI12.card_id,
    () => 'FREEZE', () => 'DEPOSIT', () => 10, () => '10.00', () => 'USD', () => 1, () => 2, () => '2026-01-01', () => 1_700_000_000,
  ];
  return { chance: (p: number) => next() < p, odd: () => ODD[Math.floor(next() * ODD.length)]!() };
}

function requestFields(slug: string, operation: string): string[] {
  const file = new URL(`../../contracts/${slug}/${operation}.request.schema.json`, import.meta.url);
  return existsSync(file) ? Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { properties?: object }).properties ?? {}) : [];
}

/** The request, with the vendor's credentials filled in correctly. */
function send(sb: Sandbox, slug: string, path: string, operation: string, fields: Record<string, unknown>) {
  if (slug === 'onerway') return request(sb.app).post(`/api/v1/merchant${path}`).set('ApiKey', API_KEY).send(fields);
  if (slug === 'finext') {
    for (const k of ['api_key', 'request_id', 'timestamp', 'sign']) delete fields[k];
    return request(sb.app).post(`/api/v1${path}`).set('authorization', 'Bearer fuzz').send(signedBody(sb, FINEXT, operation as OperationName, fields));
  }
  return request(sb.app).post(`/v1/openApi${path}`).send({ ...fields, customer_id: OPENAPI.customer_id, app_id: OPENAPI.app_id, key: OPENAPI.key });
}

const contracts = new Contracts();
const SUCCESS = { onerway: (b: { respCode?: unknown }) => b.respCode === '20000', finext: (b: { code?: unknown }) => b.code === 10200, 'openapi-cn': (b: { code?: unknown }) => b.code === 0 } as const;

describe('odd bodies on every vendor operation', () => {
  it.each(['onerway', 'finext', 'openapi-cn'] as const)('%s: every answer is the vendor envelope, never an internal error', async (slug) => {
    const sb = await makeSandbox();
    const vendor = sb.runtime.vendors.find((v) => v.slug === slug)!;
    const random = generator(20261130);
    const problems: string[] = [];
    for (const op of vendor.operations) {
      const fields = requestFields(slug, op.name);
      for (let i = 0; i < BODIES_PER_OPERATION; i++) {
        const body: Record<string, unknown> = {};
        for (const field of fields) if (random.chance(0.8)) body[field] = random.odd();
        if (slug === 'finext' && random.chance(0.5)) body.username = LILI12.username;
        const res = await send(sb, slug, op.path, op.name, body);
        const diagnostic = String(res.headers['x-sandbox-diagnostic'] ?? '');
        const json = /^application\/json/.test(String(res.headers['content-type']));
        const ok = json && SUCCESS[slug](res.body);
        const envelope = ok || (json && contracts.problems(`${slug}/envelope.error`, res.body).length === 0 && diagnostic !== '');
        if (res.status >= 500 || !envelope || diagnostic.startsWith('internal')) {
          problems.push(`${op.name} ${JSON.stringify(body).slice(0, 200)} -> ${res.status} ${res.text.slice(0, 160)} [${diagnostic.slice(0, 160)}]`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

/** Field names the control plane's routes read (and some they do not), with values they might take. */
const CONTROL_FIELDS = ['vendor', 'cardId', 'amount', 'currency', 'merchantName', 'mcc', 'transactionId', 'now', 'advanceMs', 'mode', 'webhookUrl', 'scenario', 'tenant', 'name', 'fault', 'operation', 'status', 'code', 'latencyMs', 'times', 'probability', 'retryAfterS', 'id', 'credentials', 'collections', 'format', 'seq', 'outcome', 'state', 'username', 'reason'];
const CONTROL_VALUES: Array<() => unknown> = [() => 'onerway', () => 'finext', () => 'openapi-cn', () => 'onerway-default', () => 'http://127.0.0.1:1/hook', () => 'default', () => 'latency', () => 'deposit', () => 503, () => 'system', () => 60_000];
const CONTROL_ROUTES: Array<[method: 'get' | 'post' | 'patch' | 'delete', path: string]> = [
  ['post', '/clock'], ['post', '/simulate/authorize'], ['post', '/simulate/clear'], ['post', '/simulate/reverse'], ['post', '/simulate/refund'],
  ['patch', '/tenants/onerway-default'], ['post', '/tenants'], ['delete', '/tenants/onerway-nobody'], ['post', '/faults'], ['post', '/scenarios'], ['post', '/scenarios/default'],
  ['post', '/reset'], ['post', '/finext/kyc/lili12'], ['get', '/requests?limit=abc&since=yesterday'], ['get', '/cards/onerway/100001/timeline?from=x'], ['get', '/webhooks?event=1'], ['get', '/magic-values?vendor=nobody'],
];

describe('odd bodies on the control plane', () => {
  it('answers plain JSON, a 4xx with a diagnostic when it refuses, never a 5xx', async () => {
    const sb = await makeSandbox();
    const random = generator(30111126, CONTROL_VALUES);
    const problems: string[] = [];
    for (const [method, path] of CONTROL_ROUTES) {
      for (let i = 0; i < 40; i++) {
        const body: Record<string, unknown> = {};
        for (const field of CONTROL_FIELDS) if (random.chance(0.25)) body[field] = random.odd();
        const sent = random.chance(0.1) ? 'not json' : JSON.stringify(body);
        const res = await request(sb.app)[method](`/__sandbox${path}`).set('content-type', 'application/json').send(sent);
        const diagnostic = String(res.headers['x-sandbox-diagnostic'] ?? '');
        if (res.status >= 500 || !/^application\/json/.test(String(res.headers['content-type'])) || (res.status >= 400 && diagnostic === '')) {
          problems.push(`${method.toUpperCase()} ${path} ${sent.slice(0, 200)} -> ${res.status} ${res.text.slice(0, 160)} [${diagnostic.slice(0, 160)}]`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
