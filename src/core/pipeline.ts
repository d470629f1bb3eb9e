/**
 * The request pipeline of one vendor operation: a list of named steps, each awaited in turn, sharing one
 * Exchange. A step ends the request early by answering it (returns ANSWERED); anything it throws is
 * answered in the vendor's error envelope (answer.ts). Where faults are checked is DESIGN.md §3 and
 * faults.ts.
 */
import type { ServerResponse } from 'node:http';
import { sendFailure, sendJson } from './answer.js';
import { SandboxError } from './errors.js';
import type { Claim } from './idempotency.js';
import type { RequestTrace } from './journal.js';
import { claimNonce } from './nonces.js';
import { parseBody, type BodyReader, type VendorRequest } from './request-body.js';
import { runInlineJobs, vendorContext, type InlineJob, type Runtime } from './runtime.js';
import type { Tenant } from './tenants.js';
import type { Operation, VendorModule } from './vendor.js';

/** One request on its way through the steps; each field is set by the step that learns it. */
export interface Exchange {
  readonly rt: Runtime;
  readonly vendor: VendorModule;
  readonly req: VendorRequest;
  readonly res: ServerResponse;
  readonly trace: RequestTrace;
  /** The operation's path under the base path, and the base path's parameters. */
  readonly path: string;
  readonly params: Record<string, string>;
  /** Why the base path's parameters do not name a path (an empty or undecodable segment). */
  readonly badParam?: string;
  /** Reads the body within the vendor's limit (request-body.ts). */
  readonly readBody: BodyReader;
  op?: Operation;
  body?: Record<string, unknown>;
  tenant?: Tenant;
  key?: string;
  claim?: Claim;
  /** The answer's text, once the handler has run. */
  text?: string;
}

export const ANSWERED = Symbol('answered');
type StepResult = typeof ANSWERED | void;

export interface Step {
  name: string;
  run(x: Exchange): StepResult | Promise<StepResult>;
}

const step = (name: string, run: Step['run']): Step => ({ name, run });

export const STEPS: readonly Step[] = [
  step('route', route),
  step('read body', readBody),
  // Where replicas share a database: the clock, fault rules and tenants as every replica left them (after the body is read, so the journal keeps it if this fails).
  step('sync shared state', (x) => x.rt.shared.sync('request')),
  step('faults before authentication', async (x) => ((await x.rt.faults.front(x.trace, x.res)) ? ANSWERED : undefined)),
  step('parse body', (x) => void (x.body = parseBody(x.req))),
  step('authenticate', authenticate),
  step('tenant faults', async (x) => ((await x.rt.faults.afterAuth(x.trace, x.res)) ? ANSWERED : undefined)),
  step('validate request', validateRequest),
  // Whatever has fallen due (a settlement the client expects to have happened) runs first.
  step('run due jobs', (x) => void x.rt.scheduler.runDue()),
  step('claim nonce', claimRequestNonce),
  step('claim idempotency key', claimIdempotencyKey),
  step('handle in a transaction', handle),
  step('commit', commit),
  step('faults after commit', async (x) => ((await x.rt.faults.dropAfterCommit(x.res, x.text!)) ? ANSWERED : undefined)),
  step('send', (x) => void sendJson(x.res, 200, x.text!)),
];

/** Runs the steps for one request; whatever happens, it is answered (or, by a fault, dropped). */
export async function runPipeline(x: Exchange, steps: readonly Step[] = STEPS): Promise<void> {
  try {
    for (const s of steps) if ((await s.run(x)) === ANSWERED) return;
  } catch (error) {
    sendFailure(x.rt, x.vendor, x.req, x.res, error);
  } finally {
    x.claim?.release();
  }
}

function route(x: Exchange): void {
  const { vendor, req } = x;
  if (x.badParam)
    throw new SandboxError('route_not_found', {
      diagnostic: `no ${vendor.title} operation at ${req.method} ${req.url}: ${x.badParam} (base paths: ${vendor.basePaths.join(', ')})`,
    });
  if (!x.op) throw new SandboxError('route_not_found', { diagnostic: `no ${vendor.title} operation at ${req.method} ${req.url}` });
  if (req.method !== 'POST') throw new SandboxError('method_not_allowed', { diagnostic: `${req.method} ${req.url}: only POST is supported` });
}

function readBody(x: Exchange): Promise<void> {
  return x.readBody(x.req, x.res);
}

function authenticate(x: Exchange): void {
  x.tenant = x.vendor.authenticate({ headers: x.req.headers, body: x.body!, path: x.path, params: x.params }, x.rt.store, x.rt.clock);
  x.trace.tenantId = x.tenant.id;
}

function validateRequest(x: Exchange): void {
  const id = `${x.vendor.slug}/${x.op!.name}.request`;
  if (x.rt.contracts.has(id)) x.rt.contracts.checkRequest(id, x.body!);
}

async function claimRequestNonce(x: Exchange): Promise<void> {
  const field = x.vendor.nonceField;
  if (field) await claimNonce(x.rt.store, x.tenant!.id, String(x.body![field]), field, x.rt.clock.now());
}

/** A keyed request is held in this process until its answer is stored (a duplicate arriving meanwhile waits). */
async function claimIdempotencyKey(x: Exchange): Promise<void> {
  const field = x.op!.idempotencyKey;
  if (!field || x.body![field] === undefined) return;
  x.key = String(x.body![field]);
  x.claim = await x.rt.idempotency.claim(x.tenant!.id, x.key, field, x.op!.name, withoutFields(x.body!, x.vendor.fingerprintIgnores));
}

/**
 * The handler's changes, its answer in the vendor's envelope (checked in strict mode), the jobs it made
 * due now, and the idempotency answer: all in one transaction of the store port, committed when the run
 * ends. A key answered before replays that answer instead, read in the same transaction. The run may be
 * repeated from the start (a store that suspends a read, store-port.ts), so all it leaves behind is its
 * result.
 */
async function handle(x: Exchange): Promise<StepResult> {
  const { rt, vendor, op, tenant } = x as Required<Exchange>;
  const claim = x.claim;
  const prefetch = claim && rt.idempotency.keysOf(tenant.id, claim);
  const answer = await rt.store.run(
    tenant.id,
    (tx) => {
      const replay = claim && rt.idempotency.replay(tx, tenant.id, claim);
      if (replay) return { ...replay, replayed: true };
      const now = rt.clock.now();
      const inline: InlineJob[] = [];
      const data = op.handler({ ...vendorContext(rt, vendor, tx, tenant, now, inline), body: x.body!, headers: x.req.headers });
      const envelope = vendor.envelope.ok(data);
      checkResponse(rt, `${vendor.slug}/${op.name}.response`, envelope);
      const text = JSON.stringify(envelope);
      runInlineJobs(rt, vendor, tx, tenant, now, inline);
      if (claim) rt.idempotency.remember(tx, tenant.id, claim.key, claim.fingerprint, 200, text, now);
      return { status: 200, body: text, replayed: false };
    },
    { prefetch, readOnly: op.readOnly },
  );
  if (!answer.replayed) {
    x.text = answer.body;
    return;
  }
  sendJson(x.res, answer.status, answer.body);
  return ANSWERED;
}

/** The run above committed (and is durable): jobs it made due run soon. */
function commit(x: Exchange): void {
  x.rt.scheduler.kick();
}

function withoutFields(body: Record<string, unknown>, fields: readonly string[] = []): Record<string, unknown> {
  if (fields.length === 0) return body;
  return Object.fromEntries(Object.entries(body).filter(([k]) => !fields.includes(k)));
}

/** In strict mode, a response of ours that breaks its contract is a loud internal error. */
function checkResponse(rt: Runtime, id: string, body: unknown): void {
  if (!rt.config.strictContracts || !rt.contracts.has(id)) return;
  const problems = rt.contracts.problems(id, body);
  if (problems.length > 0) throw new SandboxError('internal', { diagnostic: `response broke contract ${id}: ${problems.join('; ')}` });
}
