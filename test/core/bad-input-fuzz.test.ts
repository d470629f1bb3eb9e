/**
 * The control plane's routes, fed bodies of odd values (wrong types, empty, huge, unicode, NUL, nested,
 * plausible ids), with every registered vendor's routes and values: plain JSON, a 4xx with a diagnostic,
 * never a 5xx. Deterministic (a fixed seed). The vendors' operations get the same and more from the
 * property-based fuzzer (fuzz.test.ts).
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { LILI12 } from '../helpers/finext.js';
import { REGISTERED, profileOf } from '../helpers/registered.js';
import { makeSandbox } from '../helpers/sandbox.js';

/** A small seeded generator (LCG), so that a failure names a body that comes back on the next run. */
function generator(seed: number, extra: Array<() => unknown> = []) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const ODD: Array<() => unknown> = [
    ...extra,
    () => null,
    () => true,
    () => -1,
    () => 0,
    () => 1.234567,
    () => 1e308,
    () => -1e-9,
    () => Number.MAX_SAFE_INTEGER + 2,
    () => '',
    () => ' ',
    () => 'x'.repeat(300),
    () => '１２３',
    () => '12.345',
    () => '-5',
    () => 'NaN',
    () => '0x10',
    () => '1e3',
    () => '\u0000',
    () => '😀',
    () => [],
    () => [1, 'a'],
    () => ({}),
    () => ({ a: { b: 1 } }),
    () => '100001',
    () => 100001,
    () => 300001,
    () => '300001',
    () => 'lili12',
    () => LILI12.kit_number,
    () => LILI12.card_id,
    () => 'FREEZE',
    () => 'DEPOSIT',
    () => 10,
    () => '10.00',
    () => 'USD',
    () => 1,
    () => 2,
    () => '2026-01-01',
    () => 1_700_000_000,
  ];
  return { chance: (p: number) => next() < p, odd: () => ODD[Math.floor(next() * ODD.length)]!() };
}

/** Field names the control plane's routes read (and some they do not), with values they might take. */
const CONTROL_FIELDS = [
  'vendor',
  'cardId',
  'amount',
  'currency',
  'merchantName',
  'mcc',
  'transactionId',
  'now',
  'advanceMs',
  'mode',
  'webhookUrl',
  'scenario',
  'tenant',
  'name',
  'fault',
  'operation',
  'status',
  'code',
  'latencyMs',
  'times',
  'probability',
  'retryAfterS',
  'id',
  'credentials',
  'collections',
  'format',
  'seq',
  'outcome',
  'state',
  'username',
  'reason',
];
/** The registered vendors' names, merchants and the ids their probes use: plausible values for every field. */
const VENDOR_VALUES: Array<() => unknown> = REGISTERED.flatMap((v) => {
  const { credentials, probe } = profileOf(v);
  return [() => v.slug, () => credentials.tenant, ...Object.values(probe.fields).map((value) => () => value)];
});
const CONTROL_VALUES: Array<() => unknown> = [
  ...VENDOR_VALUES,
  () => 'http://127.0.0.1:1/hook',
  () => 'default',
  () => 'latency',
  () => 'deposit',
  () => 503,
  () => 'system',
  () => 60_000,
];
type Route = [method: 'get' | 'post' | 'patch' | 'delete', path: string];
/** Each registered vendor's routes: its merchant, a merchant it does not have, each outcome kind, a card timeline. */
const VENDOR_ROUTES: Route[] = REGISTERED.flatMap((v): Route[] => {
  const { credentials, probe } = profileOf(v);
  const id = encodeURIComponent(String(Object.values(probe.fields)[0] ?? 'x'));
  return [
    ['patch', `/tenants/${credentials.tenant}`],
    ['delete', `/tenants/${v.slug}-nobody`],
    ['get', `/cards/${v.slug}/${id}/timeline?from=x`],
    ...Object.keys(v.outcomes ?? {}).map((kind): Route => ['post', `/${v.slug}/${kind}/${id}`]),
  ];
});
const CONTROL_ROUTES: Route[] = [
  ['post', '/clock'],
  ['post', '/simulate/authorize'],
  ['post', '/simulate/clear'],
  ['post', '/simulate/reverse'],
  ['post', '/simulate/refund'],
  ['post', '/tenants'],
  ['post', '/faults'],
  ['post', '/scenarios'],
  ['post', '/scenarios/default'],
  ['post', '/reset'],
  ['get', '/requests?limit=abc&since=yesterday'],
  ['get', '/webhooks?event=1'],
  ['get', '/magic-values?vendor=nobody'],
  ...VENDOR_ROUTES,
];

describe('odd bodies on the control plane', () => {
  it('answers plain JSON, a 4xx with a diagnostic when it refuses, never a 5xx', async () => {
    const sb = await makeSandbox({ vendors: REGISTERED });
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
