/**
 * Fault rules: what a rule may say, how it is checked (a refusal names the field and nothing changes),
 * the compact form of the X-Sandbox-Fault header, and the seeded PRNG behind `probability`.
 */
import { CANONICAL_CODES, SandboxError, type CanonicalCode } from './errors.js';
import type { Store } from './store.js';
import { getTenant } from './tenants.js';
import type { VendorModule } from './vendor.js';
import { FAULT_KINDS, type AppliedFault, type FaultKind, type FaultRule } from './wire-types.js';

export { FAULT_KINDS, type AppliedFault, type FaultKind, type FaultRule };

export const FAULT_HEADER = 'X-Sandbox-Fault';
const MAX_LATENCY_MS = 300_000;
const MAX_RETRY_AFTER_S = 86_400;

export interface CompiledRule {
  rule: FaultRule;
  remaining: number;
  /** For `error`: the canonical code the vendor's envelope renders as the rule's code. */
  canonical?: CanonicalCode;
  random: () => number;
}

/** What checking a rule needs: the vendors, the tenants, and each vendor's codes (`vendorCodes`). */
export interface RuleContext {
  vendors: readonly VendorModule[];
  store: Store;
  codes: ReadonlyMap<string, ReadonlyMap<string, CanonicalCode>>;
}

const COMMON_FIELDS = ['vendor', 'operation', 'tenant', 'times', 'probability', 'seed', 'fault'];
const KIND_FIELDS: Record<FaultKind, string[]> = {
  latency: ['latencyMs'],
  error: ['code'],
  http_error: ['status'],
  rate_limit: ['retryAfter'],
  drop: [],
  commit_then_drop: [],
};
const ALL_FIELDS = [...COMMON_FIELDS, ...Object.values(KIND_FIELDS).flat()];

/** The rule of a request's X-Sandbox-Fault header (JSON or the compact form), or a refusal naming the header. */
export function compileHeader(ctx: RuleContext, header: string | string[], vendor: string): CompiledRule {
  const text = (Array.isArray(header) ? header.join(';') : header).trim();
  let input: unknown;
  if (text.startsWith('{')) {
    try {
      input = JSON.parse(text);
    } catch (error) {
      throw refusal('header', FAULT_HEADER, `not valid JSON: ${(error as Error).message}`);
    }
  } else {
    input = parseCompact(text);
  }
  return compileRule(ctx, input, 'header', 'header', vendor);
}

/** Checks a rule and compiles it; `where` says how refusals name the problem (a body field, or the header). */
export function compileRule(ctx: RuleContext, input: unknown, id: string, where: 'rule' | 'header', requestVendor?: string): CompiledRule {
  const bad = (field: string, message: string) => refusal(where, field, message);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw bad('body', 'a fault rule must be a JSON object');
  const given = input as Record<string, unknown>;
  const unknown = Object.keys(given).find((k) => !ALL_FIELDS.includes(k));
  if (unknown) throw bad(unknown, `unknown field ${JSON.stringify(unknown)}; a rule has ${ALL_FIELDS.join(', ')}`);
  const fault = given.fault as FaultKind;
  if (!FAULT_KINDS.includes(fault)) throw bad('fault', `fault must be one of ${FAULT_KINDS.join(', ')}; got ${JSON.stringify(given.fault)}`);
  const stray = Object.keys(given).find((k) => !COMMON_FIELDS.includes(k) && !KIND_FIELDS[fault].includes(k));
  if (stray) throw bad(stray, `${stray} does not apply to fault "${fault}"`);

  const rule: Omit<FaultRule, 'fault'> = { id };
  const vendor = given.vendor === undefined ? undefined : ctx.vendors.find((v) => v.slug === given.vendor);
  if (given.vendor !== undefined) {
    if (!vendor) throw bad('vendor', `vendor must be one of ${ctx.vendors.map((v) => v.slug).join(', ')}; got ${JSON.stringify(given.vendor)}`);
    rule.vendor = vendor.slug;
  }
  if (given.operation !== undefined) {
    const names = (vendor ? [vendor] : ctx.vendors).flatMap((v) => v.operations.map((o) => o.name));
    if (typeof given.operation !== 'string' || !names.includes(given.operation)) {
      throw bad(
        'operation',
        `${JSON.stringify(given.operation)} is not an operation of ${vendor ? vendor.slug : 'any vendor'}${vendor ? ` (${names.join(', ')})` : ''}`,
      );
    }
    rule.operation = given.operation;
  }
  if (given.tenant !== undefined) {
    const tenant = typeof given.tenant === 'string' ? getTenant(ctx.store, given.tenant) : undefined;
    if (!tenant) throw bad('tenant', `no tenant ${JSON.stringify(given.tenant)} (GET /__sandbox/tenants lists them)`);
    if (vendor && tenant.vendor !== vendor.slug) throw bad('tenant', `tenant ${tenant.id} is a ${tenant.vendor} merchant, not ${vendor.slug}`);
    rule.tenant = tenant.id;
  }
  if (given.times !== undefined) rule.times = intIn(given.times, 'times', 1, Number.MAX_SAFE_INTEGER, bad);
  if (given.probability !== undefined) {
    if (typeof given.probability !== 'number' || !(given.probability >= 0 && given.probability <= 1))
      throw bad('probability', `probability must be a number from 0 to 1; got ${JSON.stringify(given.probability)}`);
    rule.probability = given.probability;
  }
  if (given.seed !== undefined) rule.seed = intIn(given.seed, 'seed', 0, 2 ** 32 - 1, bad);

  let canonical: CanonicalCode | undefined;
  const params: Partial<FaultRule> = {};
  if (fault === 'latency') params.latencyMs = latency(given.latencyMs, bad);
  if (fault === 'http_error') params.status = given.status === undefined ? 500 : intIn(given.status, 'status', 500, 599, bad);
  if (fault === 'rate_limit') params.retryAfter = given.retryAfter === undefined ? 1 : intIn(given.retryAfter, 'retryAfter', 0, MAX_RETRY_AFTER_S, bad);
  if (fault === 'error') {
    const codeVendor = rule.vendor ?? (rule.tenant ? getTenant(ctx.store, rule.tenant)!.vendor : requestVendor);
    canonical = canonicalCode(ctx, given.code, codeVendor, bad);
    params.code = given.code as string | number;
  }
  const complete: FaultRule = { ...rule, fault, ...params };
  return { rule: complete, remaining: complete.times ?? Infinity, canonical, random: complete.seed === undefined ? Math.random : mulberry32(complete.seed) };
}

/** A canonical code name as given, or the vendor's own error code mapped back through its envelope. */
function canonicalCode(ctx: RuleContext, code: unknown, vendor: string | undefined, bad: (field: string, message: string) => SandboxError): CanonicalCode {
  if (typeof code === 'string' && (CANONICAL_CODES as readonly string[]).includes(code)) return code as CanonicalCode;
  if (typeof code !== 'string' && typeof code !== 'number') throw bad('code', 'fault "error" needs a code: the vendor\'s error code, or a canonical code name');
  if (!vendor) throw bad('code', `code ${JSON.stringify(code)} is not a canonical code name; a vendor's own code needs the rule's vendor (or tenant)`);
  const codes = ctx.codes.get(vendor)!;
  const canonical = codes.get(String(code));
  if (!canonical)
    throw bad(
      'code',
      `${vendor} has no error code ${JSON.stringify(code)}; its codes are ${[...codes.keys()].join(', ')} (or a canonical name: ${CANONICAL_CODES.join(', ')})`,
    );
  return canonical;
}

/** `rate_limit; retryAfter=2` → {fault: "rate_limit", retryAfter: 2}; `latencyMs=100-300` is a range. */
function parseCompact(text: string): Record<string, unknown> {
  const [kind, ...params] = text.split(';').map((s) => s.trim());
  const out: Record<string, unknown> = { fault: kind };
  for (const param of params.filter((p) => p !== '')) {
    const eq = param.indexOf('=');
    if (eq <= 0) throw refusal('header', FAULT_HEADER, `${JSON.stringify(param)} is not key=value (e.g. "rate_limit; retryAfter=2")`);
    const key = param.slice(0, eq).trim();
    const value = param.slice(eq + 1).trim();
    if (key in out) throw refusal('header', FAULT_HEADER, `${key} is given twice`);
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(value);
    if (key === 'latencyMs' && range) out[key] = [Number(range[1]), Number(range[2])];
    else out[key] = key !== 'code' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return out;
}

function refusal(where: 'rule' | 'header', field: string, message: string): SandboxError {
  if (where === 'rule') return new SandboxError('invalid_param', { field, diagnostic: message });
  return new SandboxError('invalid_param', { field: FAULT_HEADER, detail: `${FAULT_HEADER} is invalid`, diagnostic: `${FAULT_HEADER}: ${message}` });
}

function intIn(value: unknown, field: string, min: number, max: number, bad: (field: string, message: string) => SandboxError): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw bad(field, `${field} must be an integer from ${min} to ${max}; got ${JSON.stringify(value)}`);
  return value;
}

function latency(value: unknown, bad: (field: string, message: string) => SandboxError): number | [number, number] {
  if (value === undefined) throw bad('latencyMs', 'fault "latency" needs latencyMs: milliseconds, or [min, max]');
  if (!Array.isArray(value)) return intIn(value, 'latencyMs', 0, MAX_LATENCY_MS, bad);
  if (value.length !== 2) throw bad('latencyMs', 'latencyMs as a range is [min, max]');
  const [min, max] = value.map((v) => intIn(v, 'latencyMs', 0, MAX_LATENCY_MS, bad));
  if (min > max) throw bad('latencyMs', `latencyMs range [${min}, ${max}] has min above max`);
  return [min, max];
}

/** Each of the vendor's error codes, by rendering every canonical code through its envelope (the first canonical code wins). */
export function vendorCodes(vendor: VendorModule): Map<string, CanonicalCode> {
  const codes = new Map<string, CanonicalCode>();
  for (const canonical of CANONICAL_CODES) {
    const body = vendor.envelope.error(new SandboxError(canonical)).body as Record<string, unknown>;
    const code = String(body[vendor.envelope.codeField]);
    if (!codes.has(code)) codes.set(code, canonical);
  }
  return codes;
}

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
