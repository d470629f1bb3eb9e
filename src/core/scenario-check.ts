/**
 * Checks a scenario pack before anything is loaded: its JSON Schema (contracts/sandbox/scenario), then
 * what a schema cannot say: every record belongs to a tenant of the pack, no record id appears twice
 * for one tenant, every tenant is of a known vendor with settings that vendor accepts, every job is of
 * a known type. A problem is an `invalid_param` whose field is the JSON Pointer (RFC 6901) of the
 * offending value inside the pack, e.g. `/collections/_tenants/0/vendor`.
 */
import { setImmediate } from 'node:timers/promises';
import type { ErrorObject } from 'ajv';
import type { Runtime } from './runtime.js';
import type { Scenario } from './scenario.js';
import { SandboxError } from './errors.js';
import { GLOBAL } from './ids.js';
import { JOBS } from './scheduler.js';
import { checkSettings } from './settings.js';
import { credentialKey, TENANTS, type Tenant } from './tenants.js';

export const SCENARIO_SCHEMA = 'sandbox/scenario';

/** Records checked between two turns of the event loop, so that a large pack does not hold up other requests. */
const BATCH = 10_000;

/**
 * Checks in time linear in the pack, letting the event loop turn every BATCH records (the schema check
 * is one step: about 0.1 s for 200k tenants).
 */
export async function checkScenario(pack: unknown, rt: Pick<Runtime, 'contracts' | 'vendors' | 'scheduler'>): Promise<Scenario> {
  const validate = rt.contracts.validator(SCENARIO_SCHEMA);
  if (!validate(pack)) {
    const error = validate.errors![0];
    throw problem(pathOf(error), error.message ?? 'is invalid');
  }
  const scenario = pack as Scenario;
  const tenants = await checkTenants(scenario.collections[TENANTS] as Tenant[], rt);
  let checked = 0;
  for (const [collection, records] of Object.entries(scenario.collections)) {
    const seen = new Map<string, number>();
    const at = (i: number, field: string) => pointer('collections', collection, i, field);
    for (let i = 0; i < records.length; i++) {
      if (++checked % BATCH === 0) await setImmediate();
      const record = records[i]!;
      const key = `${record.tenantId}\u0000${record.id}`;
      const first = seen.get(key);
      if (first !== undefined)
        throw problem(at(i, 'id'), `repeats the id ${JSON.stringify(record.id)} of ${pointer('collections', collection, first)} (same tenant)`);
      seen.set(key, i);
      if (record.tenantId === GLOBAL) {
        const owner = (record as { owner?: unknown }).owner;
        if (typeof owner === 'string' && !tenants.has(owner)) throw problem(at(i, 'owner'), 'names no tenant of the pack');
      } else if (!tenants.has(record.tenantId)) throw problem(at(i, 'tenantId'), `names no tenant of the pack (collections._tenants has ${some(tenants)})`);
      if (collection === JOBS && !rt.scheduler.has((record as unknown as { type: string }).type))
        throw problem(at(i, 'type'), 'is not a job type of this sandbox');
    }
  }
  return scenario;
}

async function checkTenants(tenants: readonly Tenant[], rt: Pick<Runtime, 'vendors'>): Promise<Set<string>> {
  const vendors = new Map(rt.vendors.map((v) => [v.slug, v]));
  // The first tenant holding each vendor's set of credential values: a clash is one lookup, not a scan.
  const byCredentials = new Map<string, Tenant>();
  const ids = new Set<string>();
  const at = (i: number, ...rest: string[]) => pointer('collections', TENANTS, i, ...rest);
  for (let i = 0; i < tenants.length; i++) {
    if (i > 0 && i % BATCH === 0) await setImmediate();
    const tenant = tenants[i]!;
    ids.add(tenant.id);
    if (tenant.tenantId !== tenant.id) throw problem(at(i, 'tenantId'), 'must equal id (a tenant owns itself)');
    const vendor = vendors.get(tenant.vendor);
    if (!vendor) throw problem(at(i, 'vendor'), `must be one of ${rt.vendors.map((v) => v.slug).join(', ')}`);
    try {
      checkSettings(vendor.settings, tenant.settings);
    } catch (error) {
      if (!(error instanceof SandboxError) || !error.field) throw error;
      throw problem(at(i, ...error.field.split('.')), error.diagnostic.replace(`${error.field} `, ''));
    }
    const key = credentialKey(tenant, vendor.credentialKeys);
    if (key === undefined) continue;
    const clash = byCredentials.get(key);
    // A tenant listed twice is refused later, as a repeated id.
    if (clash && clash.id !== tenant.id)
      throw problem(at(i, 'credentials'), `has the same ${vendor.credentialKeys.join(' and ')} as tenant ${clash.id}: requests could not tell them apart`);
    if (!clash) byCredentials.set(key, tenant);
  }
  return ids;
}

/** A few of the ids, for a message that stays short however large the pack. */
function some(ids: ReadonlySet<string>, shown = 5): string {
  if (ids.size === 0) return 'none';
  const first: string[] = [];
  for (const id of ids) {
    if (first.length === shown) break;
    first.push(id);
  }
  return ids.size > shown ? `${first.join(', ')} and ${ids.size - shown} more` : first.join(', ');
}

function problem(path: string, message: string): SandboxError {
  return new SandboxError('invalid_param', { field: path, diagnostic: `scenario pack ${path || '(root)'} ${message}` });
}

/** A JSON Pointer from path segments. */
export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** ajv names the object of a missing, extra or badly named property; the pointer names the property. */
function pathOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  // A property name's own check (propertyNames) carries the name outside params.
  const badName = (error as ErrorObject & { propertyName?: string }).propertyName;
  const child =
    badName ?? (error.keyword === 'required' ? params.missingProperty : error.keyword === 'additionalProperties' ? params.additionalProperty : undefined);
  return child === undefined ? error.instancePath : error.instancePath + pointer(child);
}
