/**
 * Checks a scenario pack before anything is loaded: its JSON Schema (contracts/sandbox/scenario), then
 * what a schema cannot say: every record belongs to a tenant of the pack, no record id appears twice
 * for one tenant, every tenant is of a known vendor with settings that vendor accepts, every job is of
 * a known type. A problem is an `invalid_param` whose field is the JSON Pointer (RFC 6901) of the
 * offending value inside the pack, e.g. `/collections/_tenants/0/vendor`.
 */
import type { ErrorObject } from 'ajv';
import type { Runtime } from './runtime.js';
import type { Scenario } from './scenario.js';
import { SandboxError } from './errors.js';
import { GLOBAL } from './ids.js';
import { JOBS } from './scheduler.js';
import { checkSettings } from './settings.js';
import { credentialClash, TENANTS, type Tenant } from './tenants.js';

export const SCENARIO_SCHEMA = 'sandbox/scenario';

export function checkScenario(pack: unknown, rt: Pick<Runtime, 'contracts' | 'vendors' | 'scheduler'>): Scenario {
  const validate = rt.contracts.validator(SCENARIO_SCHEMA);
  if (!validate(pack)) {
    const error = validate.errors![0];
    throw problem(pathOf(error), error.message ?? 'is invalid');
  }
  const scenario = pack as Scenario;
  const tenants = checkTenants(scenario.collections[TENANTS] as Tenant[], rt);
  for (const [collection, records] of Object.entries(scenario.collections)) {
    const seen = new Map<string, number>();
    records.forEach((record, i) => {
      const at = (...rest: Array<string | number>) => pointer('collections', collection, i, ...rest);
      const key = `${record.tenantId}\u0000${record.id}`;
      const first = seen.get(key);
      if (first !== undefined) throw problem(at('id'), `repeats the id ${JSON.stringify(record.id)} of ${pointer('collections', collection, first)} (same tenant)`);
      seen.set(key, i);
      if (record.tenantId !== GLOBAL && !tenants.has(record.tenantId)) throw problem(at('tenantId'), `names no tenant of the pack (collections._tenants has ${[...tenants].join(', ') || 'none'})`);
      const owner = (record as { owner?: unknown }).owner;
      if (record.tenantId === GLOBAL && typeof owner === 'string' && !tenants.has(owner)) throw problem(at('owner'), 'names no tenant of the pack');
      if (collection === JOBS && !rt.scheduler.has((record as unknown as { type: string }).type)) throw problem(at('type'), 'is not a job type of this sandbox');
    });
  }
  return scenario;
}

function checkTenants(tenants: readonly Tenant[], rt: Pick<Runtime, 'vendors'>): Set<string> {
  tenants.forEach((tenant, i) => {
    const at = (...rest: Array<string | number>) => pointer('collections', TENANTS, i, ...rest);
    if (tenant.tenantId !== tenant.id) throw problem(at('tenantId'), 'must equal id (a tenant owns itself)');
    const vendor = rt.vendors.find((v) => v.slug === tenant.vendor);
    if (!vendor) throw problem(at('vendor'), `must be one of ${rt.vendors.map((v) => v.slug).join(', ')}`);
    try {
      checkSettings(vendor.settings, tenant.settings);
    } catch (error) {
      if (!(error instanceof SandboxError) || !error.field) throw error;
      throw problem(at(...error.field.split('.')), error.diagnostic.replace(`${error.field} `, ''));
    }
    const clash = credentialClash(tenants.slice(0, i), tenant, vendor.credentialKeys);
    if (clash) throw problem(at('credentials'), `has the same ${vendor.credentialKeys.join(' and ')} as tenant ${clash.id}: requests could not tell them apart`);
  });
  return new Set(tenants.map((t) => t.id));
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
  const child = badName ?? (error.keyword === 'required' ? params.missingProperty : error.keyword === 'additionalProperties' ? params.additionalProperty : undefined);
  return child === undefined ? error.instancePath : error.instancePath + pointer(child);
}
