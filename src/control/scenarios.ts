/**
 * Scenario packs and snapshots on the control plane:
 *   GET  /scenarios               the checked-in packs, name and one-line description each
 *   POST /scenarios/:name         loads one: the whole state, or with {"tenant"} that tenant's part only
 *   POST /scenarios[?tenant=id]   the same with a pack sent inline (a snapshot, for one)
 *   GET  /snapshot                the whole state as a pack, clock included
 *   POST /reset                   {"scenario"?: name (default "default"), "tenant"?: id}
 * A pack is checked in full before anything changes; loading waits for the jobs in flight, builds the
 * new state off to the side and commits it at once (requests meanwhile see the old state). One pack is
 * loaded at a time: another load meanwhile is refused (409 invalid_state).
 */
import type { Router } from 'express';
import { SandboxError } from '../core/errors.js';
import { GLOBAL } from '../core/ids.js';
import type { Runtime } from '../core/runtime.js';
import { checkScenario } from '../core/scenario-check.js';
import { listScenarios, loadScenario, scenarioFor, SCENARIO_NAME, snapshotText, type Scenario } from '../core/scenario.js';
import { copyTenantRecords, removeTenantRecords } from '../core/tenant-data.js';
import { getTenant, TENANTS, type Tenant } from '../core/tenants.js';
import { objectBody, onlyFields, optionalString } from './body.js';
import { sendJsonPieces } from './stream.js';

/** A snapshot of a busy sandbox is far larger than any vendor request. */
export const PACK_BODY_LIMIT = 64 * 1024 * 1024;

export function scenarioRoutes(router: Router, rt: Runtime): void {
  router.get('/scenarios', (_req, res) => void res.json({ scenarios: listScenarios() }));

  router.post('/scenarios/:name', async (req, res) => {
    const body = objectBody(req);
    onlyFields(body, ['tenant']);
    const tenant = optionalString(body.tenant, 'tenant');
    const pack = await exclusively(rt, async () => {
      const pack = await namedScenario(rt, req.params.name, 'name');
      await load(rt, pack, tenant, 'name');
      return pack;
    });
    res.json(answer(pack, tenant));
  });

  router.post('/scenarios', async (req, res) => {
    if (req.body === undefined)
      throw new SandboxError('invalid_param', {
        field: 'body',
        diagnostic: 'send a scenario pack as JSON (Content-Type: application/json); GET /__sandbox/snapshot gives one',
      });
    const tenant = optionalString(req.query.tenant, 'tenant');
    const pack = await exclusively(rt, async () => {
      const pack = await checkScenario(req.body, rt);
      await load(rt, pack, tenant, 'body');
      return pack;
    });
    res.json(answer(pack, tenant));
  });

  router.get('/snapshot', async (_req, res) => {
    // Settle what is due first, so that a snapshot never holds work that loading it would redo.
    rt.scheduler.runDue();
    await rt.scheduler.idle();
    await sendJsonPieces(res, snapshotText(rt.store, rt.clock));
  });

  router.post('/reset', async (req, res) => {
    const body = objectBody(req);
    onlyFields(body, ['scenario', 'tenant']);
    const tenant = optionalString(body.tenant, 'tenant');
    const pack = await exclusively(rt, async () => {
      const pack = await namedScenario(rt, body.scenario ?? 'default', 'scenario');
      await load(rt, pack, tenant, 'scenario');
      return pack;
    });
    res.json(answer(pack, tenant));
  });
}

/** The runtimes with a pack being checked or loaded: one at a time, a second is refused. */
const loading = new WeakSet<Runtime>();

async function exclusively<T>(rt: Runtime, work: () => Promise<T>): Promise<T> {
  if (loading.has(rt)) throw new SandboxError('invalid_state', { diagnostic: 'another scenario pack is being loaded; send this one again once that answers' });
  loading.add(rt);
  try {
    return await work();
  } finally {
    loading.delete(rt);
  }
}

/** The checked-in pack `name`, checked; `field` is where the name came from. */
export async function namedScenario(rt: Runtime, name: unknown, field: string): Promise<Scenario> {
  if (typeof name !== 'string' || !SCENARIO_NAME.test(name)) {
    throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be a scenario name: 1 to 64 lowercase letters, digits and dashes` });
  }
  let pack: unknown;
  try {
    pack = await scenarioFor(rt.vendors, name);
  } catch {
    throw new SandboxError('resource_not_found', {
      field,
      diagnostic: `no scenario ${JSON.stringify(name)} under fixtures/scenarios/ (GET /__sandbox/scenarios lists them)`,
    });
  }
  return checkScenario(pack, rt);
}

/**
 * The pack's records of the tenant `id`, to become that tenant's: its own if the pack has it, else (a
 * tenant made by POST /tenants) those of the pack's first merchant of its vendor, under its own id,
 * name and credentials.
 */
function tenantSource(rt: Runtime, pack: Scenario, id: string, packField: string): { sourceId: string; target: Tenant } {
  const own = (pack.collections[TENANTS] as Tenant[]).find((t) => t.id === id);
  if (own) return { sourceId: own.id, target: own };
  const current = getTenant(rt.store, id);
  if (!current)
    throw new SandboxError('resource_not_found', {
      field: 'tenant',
      diagnostic: `no tenant ${id} in the sandbox or in scenario ${pack.name} (GET /__sandbox/tenants lists them)`,
    });
  const template = vendorTemplate(pack, current.vendor, packField);
  return { sourceId: template.id, target: { ...template, id, tenantId: id, name: current.name, credentials: current.credentials } };
}

/** The pack's first merchant of `vendor`: what a merchant the pack does not have takes its records from. */
export function vendorTemplate(pack: Scenario, vendor: string, packField: string): Tenant {
  const template = (pack.collections[TENANTS] as Tenant[]).find((t) => t.vendor === vendor);
  if (!template) throw new SandboxError('invalid_param', { field: packField, diagnostic: `scenario ${pack.name} has no ${vendor} merchant to copy` });
  return template;
}

async function load(rt: Runtime, pack: Scenario, tenant: string | undefined, packField: string): Promise<void> {
  await rt.scheduler.idle();
  // Jobs started while the new state was being built must not commit onto it.
  if (tenant === undefined) await loadScenario(rt.store, pack, rt.clock, () => rt.scheduler.idle());
  else {
    const { sourceId, target } = tenantSource(rt, pack, tenant, packField);
    const collections = await rt.store.collections();
    await rt.store.run(GLOBAL, (tx) => {
      removeTenantRecords(tx, collections, tenant);
      copyTenantRecords(tx, rt.scheduler, rt.clock.now(), pack, sourceId, target);
    });
  }
  rt.scheduler.invalidate();
  rt.scheduler.kick();
}

function answer(pack: Scenario, tenant: string | undefined) {
  return tenant === undefined ? { status: 'ok', scenario: pack.name } : { status: 'ok', scenario: pack.name, tenant };
}
