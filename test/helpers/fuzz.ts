/**
 * The request fuzzer: for any operation of any registered vendor, a plan drawn from the operation's
 * request contract and one family of mutations (wrong types, depth, size, encodings, framing,
 * credentials), sent as raw bytes to a listening sandbox and judged. Every answer must be the vendor's
 * envelope: a success valid against the operation's response contract, or an error valid against the
 * vendor's error envelope, with a diagnostic, never its internal-error code, never a 5xx, never the
 * generic 404. Plans are plain data (fast-check draws them from a seed); signing happens when a plan
 * is sent, on the sandbox clock.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { SandboxError } from '../../src/core/errors.js';
import type { Contracts } from '../../src/core/contracts.js';
import type { Sandbox } from '../../src/sandbox.js';
import type { Operation, VendorModule } from '../../src/core/vendor.js';
import { LILI12 } from './finext.js';
import { arbitraryFor, requestSchema } from './schema-arbitrary.js';
import { credentialsOf, post, type Answer, type CredentialMode } from './vendor-requests.js';

export const FAMILIES = ['types', 'depth', 'size', 'encodings', 'framing', 'credentials'] as const;
export type Family = (typeof FAMILIES)[number];

/** Values of the wrong type, or of the right type but odd. */
const ODD: unknown[] = [
  null,
  true,
  false,
  -1,
  0,
  1.234567,
  1e308,
  -1e-9,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  ' ',
  '１２３',
  '12.345',
  '-5',
  'NaN',
  '0x10',
  '1e3',
  '\u0000',
  '😀',
  '\ud800',
  '<script>',
  "' OR 1=1 --",
  [],
  [1, 'a'],
  {},
  { a: { b: 1 } },
  JSON.parse('{"__proto__":1}'),
  { constructor: { prototype: 1 } },
  '2026-02-30',
  '9999-99-99',
  1_700_000_000,
  '+10.23',
  '10.999',
  'toString',
  '__proto__',
  'x'.repeat(300),
  // Plausible values, which reach further into the handlers: the default scenario's ids and names.
  '100001',
  100001,
  300001,
  '300001',
  LILI12.username,
  LILI12.kit_number,
  LILI12.card_id,
  'FREEZE',
  'DEPOSIT',
  'TERMINATE',
  10,
  '10.00',
  'USD',
  1,
  2,
  '2026-01-01',
];

type Mutation =
  | { kind: 'set'; field: string; value: unknown; afterSigning: boolean }
  | { kind: 'setMany'; values: Record<string, unknown> }
  | { kind: 'deep'; field: string; levels: number; shape: 'array' | 'object' }
  | { kind: 'long'; field: string; length: number }
  | { kind: 'fields'; count: number }
  | { kind: 'items'; field: string; count: number }
  | { kind: 'overLimit' }
  | { kind: 'bytes'; at: number; bytes: readonly number[] }
  | { kind: 'escapeKey'; at: number }
  | { kind: 'text'; value: string; field: string }
  | { kind: 'bom' }
  | { kind: 'truncate'; at: number }
  | { kind: 'raw'; body: string }
  | { kind: 'contentType'; value: string | null }
  | { kind: 'gzip'; valid: boolean }
  | { kind: 'credentials'; mode: CredentialMode }
  | { kind: 'target'; variant: 'slug' | 'upper' | 'trailingSlash' | 'badEscape' | 'unknown' | 'emptyParam' | 'badParam' };

export interface Plan {
  family: Family;
  op: string;
  fields: Record<string, unknown>;
  mutation: Mutation;
}

const DEEP = '"__FUZZ_DEEP__"';
const LONG = '__FUZZ_LONG__';

function fieldNames(contracts: Contracts, slug: string, op: string): string[] {
  return Object.keys(requestSchema(contracts, `${slug}/${op}.request`).properties ?? {});
}

function mutationArbitrary(family: Family, fields: string[]): fc.Arbitrary<Mutation> {
  const field = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fields, 'extra') }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
  const at = fc.nat({ max: 10_000 });
  switch (family) {
    case 'types': {
      const odd = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ODD) }, { weight: 1, arbitrary: fc.jsonValue({ depthSize: 'small' }) });
      return fc.oneof(
        fc.record({ kind: fc.constant('set' as const), field, value: odd, afterSigning: fc.boolean() }),
        // Most fields odd at once, as a careless client sends them.
        fc.record({ kind: fc.constant('setMany' as const), values: fc.dictionary(fc.constantFrom(...fields, 'extra'), odd, { maxKeys: fields.length + 1 }) }),
      );
    }
    case 'depth':
      return fc.record({
        kind: fc.constant('deep' as const),
        field,
        levels: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(33, 64, 1000, 4000, 5000, 100_000)),
        shape: fc.constantFrom('array' as const, 'object' as const),
      });
    case 'size':
      return fc.oneof(
        {
          weight: 6,
          arbitrary: fc.record({
            kind: fc.constant('long' as const),
            field,
            length: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(1025, 4097, 65_536, 300_000)),
          }),
        },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('fields' as const), count: fc.integer({ min: 50, max: 2000 }) }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('items' as const), field, count: fc.constantFrom(0, 201, 10_000) }) },
        { weight: 1, arbitrary: fc.constant({ kind: 'overLimit' as const }) },
      );
    case 'encodings':
      return fc.oneof(
        fc.record({
          kind: fc.constant('bytes' as const),
          at,
          bytes: fc.constantFrom([0xff], [0xc3, 0x28], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x00]),
        }),
        fc.record({ kind: fc.constant('escapeKey' as const), at }),
        fc.record({
          kind: fc.constant('text' as const),
          field,
          value: fc.constantFrom('\\u0000', '\\ud800', '\\udfff\\ud800', '\\u202e', '\\uFEFF', '\\\\u0041', '\\x41', '\\u00'),
        }),
        fc.constant({ kind: 'bom' as const }),
      );
    case 'framing':
      return fc.oneof(
        fc.record({ kind: fc.constant('truncate' as const), at }),
        fc.record({
          kind: fc.constant('raw' as const),
          body: fc.constantFrom(
            '',
            ' ',
            'null',
            '[]',
            '[{}]',
            '"x"',
            '1',
            'true',
            '{',
            '}',
            '{"a":1}}',
            '{"a":1,}',
            '{"a":1}{"b":2}',
            "{'a':1}",
            '{"a":01}',
            '{"a":NaN}',
            '{"a":1e999}',
            '\u0000',
          ),
        }),
        fc.record({
          kind: fc.constant('contentType' as const),
          value: fc.constantFrom(
            null,
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=latin1',
            'APPLICATION/JSON',
            'application/jsonx',
            'application/json;;',
            '*/*',
          ),
        }),
        fc.record({ kind: fc.constant('gzip' as const), valid: fc.boolean() }),
        fc.record({
          kind: fc.constant('target' as const),
          variant: fc.constantFrom(
            'slug' as const,
            'upper' as const,
            'trailingSlash' as const,
            'badEscape' as const,
            'unknown' as const,
            'emptyParam' as const,
            'badParam' as const,
          ),
        }),
      );
    case 'credentials':
      return fc.record({ kind: fc.constant('credentials' as const), mode: fc.constantFrom<CredentialMode>('missing', 'wrong', 'stale') });
  }
}

// Built once per contract: building an arbitrary (parsing its patterns) costs more than many draws.
const BODIES = new Map<string, fc.Arbitrary<Record<string, unknown>>>();

function bodyArbitrary(contracts: Contracts, id: string): fc.Arbitrary<Record<string, unknown>> {
  let arbitrary = BODIES.get(id);
  if (!arbitrary) BODIES.set(id, (arbitrary = arbitraryFor(contracts, id, requestSchema(contracts, id)) as fc.Arbitrary<Record<string, unknown>>));
  return arbitrary;
}

/**
 * Values that name records of `tenantId` in the sandbox, by field name (`username`, `card_id`, …): a
 * body that carries them gets past "not found" into the handlers. Read from the store, for any vendor.
 */
export function knownValues(sb: Sandbox, tenantId: string): Record<string, unknown[]> {
  const known: Record<string, Set<unknown>> = {};
  for (const collection of sb.store.collectionNames()) {
    for (const record of sb.store.list(collection, tenantId)) {
      for (const [field, value] of Object.entries(record)) {
        if ((typeof value === 'string' && value.length <= 64) || typeof value === 'number') (known[field] ??= new Set()).add(value);
      }
    }
  }
  return Object.fromEntries(Object.entries(known).map(([k, v]) => [k, [...v].slice(0, 20)]));
}

/** Half the time, each field that can name a known record names one. */
function withKnown(fields: fc.Arbitrary<Record<string, unknown>>, names: string[], known: Record<string, unknown[]>): fc.Arbitrary<Record<string, unknown>> {
  const picks = Object.fromEntries(
    names.filter((n) => known[n]?.length).map((n) => [n, fc.option(fc.constantFrom(...known[n]!), { nil: undefined, freq: 2 })]),
  );
  if (Object.keys(picks).length === 0) return fields;
  return fc
    .tuple(fields, fc.record(picks))
    .map(([body, chosen]) => ({ ...body, ...Object.fromEntries(Object.entries(chosen).filter(([, v]) => v !== undefined)) }));
}

/** Plans for one vendor and family: an operation, a body valid in shape (naming `known` records at times), one mutation. */
export function planArbitrary(contracts: Contracts, vendor: VendorModule, family: Family, known: Record<string, unknown[]> = {}): fc.Arbitrary<Plan> {
  const perOperation = vendor.operations.map((op) => {
    const fields = withKnown(bodyArbitrary(contracts, `${vendor.slug}/${op.name}.request`), fieldNames(contracts, vendor.slug, op.name), known);
    return fc.record({
      family: fc.constant(family),
      op: fc.constant(op.name),
      fields,
      mutation: mutationArbitrary(family, fieldNames(contracts, vendor.slug, op.name)),
    });
  });
  return fc.oneof(...perOperation);
}

interface Wire {
  path: string;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

function serialize(sb: Sandbox, vendor: VendorModule, op: Operation, plan: Plan): Wire {
  const creds = credentialsOf(vendor);
  const m = plan.mutation;
  const fields: Record<string, unknown> = { ...plan.fields };
  if (m.kind === 'set' && !m.afterSigning) fields[m.field] = m.value;
  if (m.kind === 'setMany') Object.assign(fields, m.values);
  if (m.kind === 'deep') fields[m.field] = DEEP.slice(1, -1);
  if (m.kind === 'long' || m.kind === 'overLimit') fields[m.kind === 'long' ? m.field : 'extra'] = LONG;
  if (m.kind === 'items') fields[m.field] = Array.from({ length: m.count }, (_, i) => i);
  if (m.kind === 'fields') for (let i = 0; i < m.count; i++) fields[`f${i}`] = i;
  if (m.kind === 'text') fields[m.field] = '__FUZZ_TEXT__';
  const signed = creds.sign(sb, op, fields, m.kind === 'credentials' ? m.mode : 'valid');
  const headers = { ...signed.headers };
  if (m.kind === 'set' && m.afterSigning) signed.fields[m.field] = m.value;
  let text = JSON.stringify(signed.fields);
  if (m.kind === 'deep')
    text = text.replace(DEEP, m.shape === 'array' ? `${'['.repeat(m.levels)}${']'.repeat(m.levels)}` : `${'{"a":'.repeat(m.levels)}1${'}'.repeat(m.levels)}`);
  if (m.kind === 'long') text = text.replace(LONG, 'A'.repeat(m.length));
  if (m.kind === 'overLimit') text = text.replace(LONG, 'A'.repeat(Math.max(sb.runtime.config.bodyLimitBytes, vendor.bodyLimitBytes ?? 0) + 1));
  if (m.kind === 'text') text = text.replace('__FUZZ_TEXT__', m.value);
  if (m.kind === 'escapeKey') {
    const keys = [...text.matchAll(/"([a-zA-Z_])([\w]*)":/g)];
    const key = keys[m.at % Math.max(keys.length, 1)];
    if (key?.index !== undefined)
      text = `${text.slice(0, key.index)}"\\u${key[1]!.charCodeAt(0).toString(16).padStart(4, '0')}${key[2]}":${text.slice(key.index + key[0].length)}`;
  }
  if (m.kind === 'truncate') text = text.slice(0, m.at % Math.max(text.length, 1));
  if (m.kind === 'raw') text = m.body;
  if (m.kind === 'contentType') {
    if (m.value === null) delete headers['content-type'];
    else headers['content-type'] = m.value;
  }
  let body: Uint8Array | string = text;
  if (m.kind === 'bytes') {
    const bytes = Buffer.from(text);
    // Inside a string value: after the first quote past `at`.
    const quote = bytes.indexOf(0x22, m.at % Math.max(bytes.length, 1));
    const where = quote === -1 ? bytes.length : quote + 1;
    body = Buffer.concat([bytes.subarray(0, where), Buffer.from(m.bytes), bytes.subarray(where)]);
  }
  if (m.kind === 'bom') body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
  if (m.kind === 'gzip') {
    headers['content-encoding'] = 'gzip';
    body = m.valid ? gzipSync(text) : Buffer.from(text);
  }
  return { path: m.kind === 'target' ? target(vendor, creds.base, op.path, m.variant) : `${creds.base}${op.path}`, headers, body };
}

/** The operation's path as a client might spell it; each still names the vendor's path space. */
function target(vendor: VendorModule, base: string, path: string, variant: Extract<Mutation, { kind: 'target' }>['variant']): string {
  switch (variant) {
    case 'slug':
      return `/${vendor.slug}${base}${path}`;
    case 'upper':
      return `${base.toUpperCase()}${path}`;
    case 'trailingSlash':
      return `${base}${path}/`;
    case 'badEscape':
      return `${base}${path}%ZZ`;
    case 'unknown':
      return `${base}${path}/nothing`;
    default: {
      // A base path's parameter (`/:version/openApi`) left empty or undecodable; a vendor without one gets its own base.
      const template = vendor.basePaths.find((b) => b.includes('/:'));
      if (!template) return `${base}${path}`;
      return `${template.replace(/:\w+/, variant === 'emptyParam' ? '' : '%ZZ')}${path}`;
    }
  }
}

/** What became of one request: `ok`, `error <code>`, or `FAIL <why>`. */
export interface Verdict {
  outcome: string;
  failure?: string;
}

export function judge(contracts: Contracts, vendor: VendorModule, op: string, answer: Answer): Verdict {
  const field = vendor.envelope.codeField;
  const okCode = (vendor.envelope.ok(undefined) as Record<string, unknown>)[field];
  const internal = (vendor.envelope.error(new SandboxError('internal')).body as Record<string, unknown>)[field];
  const fail = (why: string): Verdict => ({
    outcome: `FAIL ${why}`,
    failure: `${why}: ${answer.status} ${answer.text.slice(0, 200)} [${answer.diagnostic.slice(0, 300)}]`,
  });
  if (answer.status >= 500) return fail('5xx');
  if (!/^application\/json/.test(answer.contentType)) return fail('not JSON');
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return fail('unparsable');
  }
  if (body.error !== undefined && body[field] === undefined) return fail('generic 404');
  if (body[field] === okCode) {
    const problems = contracts.problems(`${vendor.slug}/${op}.response`, body);
    return problems.length === 0 ? { outcome: 'ok' } : fail(`response contract: ${problems.join('; ')}`);
  }
  const problems = contracts.problems(`${vendor.slug}/envelope.error`, body);
  if (problems.length > 0) return fail(`error contract: ${problems.join('; ')}`);
  if (body[field] === internal) return fail('internal error');
  if (answer.diagnostic === '') return fail('no diagnostic');
  return { outcome: `error ${String(body[field])}` };
}

/** Sends one plan to the sandbox listening at `url` and judges the answer. */
export async function execute(sb: Sandbox, url: string, contracts: Contracts, vendor: VendorModule, plan: Plan): Promise<Verdict> {
  const op = vendor.operations.find((o) => o.name === plan.op)!;
  const wire = serialize(sb, vendor, op, plan);
  let answer: Answer;
  try {
    answer = await post(url, wire.path, wire.headers, wire.body);
  } catch (error) {
    return { outcome: 'FAIL transport', failure: `transport: ${(error as Error).message} ${String((error as { cause?: unknown }).cause ?? '')}` };
  }
  return judge(contracts, vendor, plan.op, answer);
}

/** A plan, short enough to read in a failure message. */
export function describePlan(plan: Plan): string {
  return JSON.stringify(plan, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v));
}
