/**
 * Contract checks for a consumer's tests, on the JSON Schemas the sandbox itself runs on (contracts/,
 * `$ref`s to each vendor's common.schema.json resolved): validate answers the problems, expectContract
 * throws them, schemaFor finds an operation and its schema ids from the vendor's own path.
 */
import { Contracts, CONTRACTS_DIR } from '../core/contracts.js';
import { matchMount, pathOf } from '../core/dispatch.js';
import { VENDORS } from '../vendors/index.js';

/** A request or response body of an operation, the vendor's error envelope, or a webhook event's body (`operation` being the event). */
export type ContractKind = 'request' | 'response' | 'error' | 'webhook';

export interface SchemaMatch {
  vendor: string;
  operation: string;
  /** Parameters of the base path (`/v1/openApi/…` → `{ version: 'v1' }`). */
  params: Record<string, string>;
  /** The schema ids, for `Contracts` or any JSON Schema validator given contracts/. */
  request: string;
  response: string;
  error: string;
}

export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly schema: string,
    readonly problems: string[],
  ) {
    super(`body does not match ${schema}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

let compiled: Contracts | undefined;

/** The package's contracts, compiled once to report every problem of a body. */
const contracts = (): Contracts => (compiled ??= Contracts.load(CONTRACTS_DIR, { allErrors: true }));

/** The schema id of a body, e.g. `onerway/deposit.request`, `finext/webhook.kycStatus`, `onerway/envelope.error`. */
export function contractId(vendor: string, operation: string, kind: ContractKind): string {
  if (kind === 'error') return `${vendor}/envelope.error`;
  // A delivered event's own name works too: issuing.cardOperateEvent → webhook.cardOperateEvent.
  if (kind === 'webhook') return `${vendor}/webhook.${operation.slice(operation.lastIndexOf('.') + 1)}`;
  return `${vendor}/${operation}.${kind}`;
}

/** Every schema id the kit knows (one per vendor operation and kind, webhook event, and error envelope). */
export function contractIds(): string[] {
  return [...contracts().ids];
}

/** The problems of `body` against the schema (empty when it conforms); an unknown schema throws. */
export function validate(vendor: string, operation: string, kind: ContractKind, body: unknown): string[] {
  const id = contractId(vendor, operation, kind);
  if (!contracts().has(id)) {
    const known = contracts().ids.filter((i) => i.startsWith(`${vendor}/`));
    throw new Error(`no contract ${id}; ${known.length ? `${vendor} has ${known.join(', ')}` : `vendors are ${VENDORS.map((v) => v.slug).join(', ')}`}`);
  }
  return contracts().problems(id, body);
}

/** Throws a ContractError listing the problems unless `body` matches the schema. */
export function expectContract(vendor: string, operation: string, kind: ContractKind, body: unknown): void {
  const problems = validate(vendor, operation, kind, body);
  if (problems.length) throw new ContractError(contractId(vendor, operation, kind), problems);
}

/**
 * The operation a vendor request goes to, as the sandbox routes it: `schemaFor('POST',
 * '/api/v1/merchant/card/deposit')` → onerway deposit. Takes a path or a URL (query ignored), at a
 * vendor's base path or under `/<slug>`; with a vendor first, only that vendor's paths are tried (Finext's
 * `/api/v1` lies under Onerway's `/api/v1/merchant`). Undefined when no operation is there (vendor
 * operations are all POST).
 */
export function schemaFor(method: string, path: string): SchemaMatch | undefined;
export function schemaFor(vendor: string, method: string, path: string): SchemaMatch | undefined;
export function schemaFor(...args: [string, string] | [string, string, string]): SchemaMatch | undefined {
  const [slug, method, path] = args.length === 3 ? args : [undefined, ...args];
  if (method.toUpperCase() !== 'POST') return undefined;
  const vendors = slug === undefined ? VENDORS : VENDORS.filter((v) => v.slug === slug);
  if (vendors.length === 0) throw new Error(`no vendor ${slug}; vendors are ${VENDORS.map((v) => v.slug).join(', ')}`);
  const parts = pathOf(path).split('/');
  const mounts = vendors
    .flatMap((vendor) => vendor.basePaths.flatMap((base) => [base, `/${vendor.slug}${base}`]).map((base) => ({ vendor, base })))
    .map(({ vendor, base }) => ({
      vendor,
      segments: base
        .split('/')
        .slice(1)
        .map((s) => (s.startsWith(':') ? s : s.toLowerCase())),
    }))
    .sort((a, b) => b.segments.length - a.segments.length);
  // As the dispatcher does: the longest base path that matches decides the vendor.
  for (const { vendor, segments } of mounts) {
    const match = matchMount(segments, parts);
    if (!match) continue;
    const rest = `/${parts.slice(segments.length + 1).join('/')}`.replace(/(.)\/$/, '$1');
    const op = vendor.operations.find((o) => o.path === rest);
    if (!op || match.badParam) return undefined;
    const id = (kind: ContractKind) => contractId(vendor.slug, op.name, kind);
    return { vendor: vendor.slug, operation: op.name, params: match.params, request: id('request'), response: id('response'), error: id('error') };
  }
  return undefined;
}
