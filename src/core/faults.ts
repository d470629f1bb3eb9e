/**
 * Fault injection: rules (POST /__sandbox/faults) or a request's own `X-Sandbox-Fault` header make a
 * vendor request slow, fail, or lose its answer, so a client's timeouts, retries and idempotency can be
 * tested. Faults are real: latency is wall-clock time, a drop destroys the socket.
 *
 * Where a rule is checked (DESIGN.md §3):
 *   - a rule without `tenant`: once the body has been read, before it is parsed or any credential is
 *     checked (an outage checks no keys), so it fires even for a request with bad credentials;
 *   - a rule with `tenant`: right after authentication, the first point where the tenant is known;
 *   - `commit_then_drop`: after the operation has committed durably, in place of sending the answer.
 * At most one fault applies to a request: the header's rule first, then stored rules in the order they
 * were added. A rule with `times` is removed once it has fired that many times; `probability` draws from
 * the rule's own PRNG when it has a `seed` (reproducible runs), else from Math.random.
 */
import type { ServerResponse } from 'node:http';
import { Refusal, SandboxError } from './errors.js';
import {
  compileHeader,
  compileRule,
  FAULT_HEADER,
  vendorCodes,
  type AppliedFault,
  type CompiledRule,
  type FaultRule,
  type RuleContext,
} from './fault-rules.js';
import { traceOf, type RequestTrace } from './journal.js';
import type { Store } from './store.js';
import type { VendorModule } from './vendor.js';

export type { AppliedFault, CompiledRule, FaultRule } from './fault-rules.js';

export interface FaultsState {
  seq: number;
  rules: Array<{ rule: FaultRule; remaining: number | null }>;
}

export class Faults {
  /**
   * Where replicas share the rules (src/store-pg/shared.ts): takes one use of a rule with `times` from
   * what they share, and brings this replica's copy up to it; resolves whether a use was left. Absent,
   * uses are counted in this copy (`consume`).
   */
  useShared?: (ruleId: string) => Promise<boolean>;
  #rules: CompiledRule[] = [];
  #seq = 0;
  readonly #context: RuleContext;

  constructor(vendors: readonly VendorModule[], store: Store) {
    this.#context = { vendors, store, codes: new Map(vendors.map((v) => [v.slug, vendorCodes(v)])) };
  }

  list(): Array<FaultRule & { remaining?: number }> {
    return this.#rules.map((r) => (r.rule.times === undefined ? { ...r.rule } : { ...r.rule, remaining: r.remaining }));
  }

  /** The rules as a replica shares them (docs/design/shared-store.md §5.6): each rule with its uses left, and the id sequence. */
  state(): FaultsState {
    return { seq: this.#seq, rules: this.#rules.map((r) => ({ rule: r.rule, remaining: r.remaining === Infinity ? null : r.remaining })) };
  }

  /** Takes another replica's rules as this one's (compiled again here; a seeded probability starts its sequence over). */
  adopt(state: FaultsState): void {
    this.#rules = state.rules.flatMap(({ rule, remaining }) => {
      const { id, ...input } = rule;
      try {
        return [{ ...compileRule(this.#context, input, id, 'rule'), remaining: remaining ?? Infinity }];
      } catch {
        // A rule for a tenant removed since it was added: it could match nothing.
        return [];
      }
    });
    this.#seq = state.seq;
  }

  /** Adds a rule, or refuses it (invalid_param naming the field) and changes nothing. */
  add(input: unknown): FaultRule {
    const compiled = compileRule(this.#context, input, `flt_${this.#seq + 1}`, 'rule');
    this.#seq++;
    this.#rules.push(compiled);
    return { ...compiled.rule };
  }

  /** Counts one use of a rule with `times` in this replica's copy; the rule goes with its last. */
  consume(id: string): void {
    const r = this.#rules.find((x) => x.rule.id === id);
    if (r && --r.remaining <= 0) this.#rules = this.#rules.filter((x) => x !== r);
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.rule.id !== id);
    return this.#rules.length < before;
  }

  clear(): number {
    const removed = this.#rules.length;
    this.#rules = [];
    return removed;
  }

  /**
   * Before the body is parsed: the X-Sandbox-Fault header is read, and rules without a tenant apply.
   * True when the fault has ended the request (dropped it); an error fault is thrown, to be answered.
   */
  async front(trace: RequestTrace, res: ServerResponse): Promise<boolean> {
    const header = trace.req.headers['x-sandbox-fault'];
    if (this.#rules.length === 0 && header === undefined) return false;
    trace.headerRule = header === undefined ? null : compileHeader(this.#context, header, trace.vendor);
    return this.#apply(await this.#pick('front', trace), trace, res);
  }

  /** After authentication: rules for the request's tenant apply (as `front`). */
  async afterAuth(trace: RequestTrace, res: ServerResponse): Promise<boolean> {
    if (trace.fault || (this.#rules.length === 0 && !trace.headerRule)) return false;
    return this.#apply(await this.#pick('tenant', trace), trace, res);
  }

  /**
   * After a durable commit: true when a commit_then_drop rule fires, in which case the socket is
   * destroyed instead of answering (the journal keeps the answer that was not sent).
   */
  async dropAfterCommit(res: ServerResponse, text: string): Promise<boolean> {
    const trace = traceOf(res);
    if (!trace || trace.fault || (this.#rules.length === 0 && !trace.headerRule)) return false;
    const fired = await this.#pick('commit', trace);
    if (!fired) return false;
    trace.fault = { rule: fired.rule.id, fault: fired.rule.fault };
    trace.finish(null, text);
    res.destroy();
    return true;
  }

  async #pick(phase: 'front' | 'tenant' | 'commit', trace: RequestTrace): Promise<CompiledRule | undefined> {
    const candidates = trace.headerRule ? [trace.headerRule, ...this.#rules] : this.#rules;
    for (const r of candidates) {
      const { rule } = r;
      const rulePhase = rule.fault === 'commit_then_drop' ? 'commit' : rule.tenant === undefined ? 'front' : 'tenant';
      if (rulePhase !== phase) continue;
      if (
        (rule.vendor !== undefined && rule.vendor !== trace.vendor) ||
        (rule.operation !== undefined && rule.operation !== trace.operation) ||
        (rule.tenant !== undefined && rule.tenant !== trace.tenantId)
      )
        continue;
      const p = rule.probability ?? 1;
      if (p < 1 && (p <= 0 || r.random() >= p)) continue;
      if (r === trace.headerRule || r.remaining === Infinity) return r;
      if (this.useShared) {
        // Another replica may have used the last one: the shared count decides (and this replica's copy follows it).
        if (await this.useShared(rule.id)) return r;
        continue;
      }
      this.consume(rule.id);
      return r;
    }
    return undefined;
  }

  async #apply(fired: CompiledRule | undefined, trace: RequestTrace, res: ServerResponse): Promise<boolean> {
    if (!fired) return false;
    const { rule } = fired;
    const applied: AppliedFault = { rule: rule.id, fault: rule.fault };
    trace.fault = applied;
    const why = `fault ${rule.id === 'header' ? `from the ${FAULT_HEADER} header` : `rule ${rule.id}`}`;
    switch (rule.fault) {
      case 'latency': {
        const [min, max] = Array.isArray(rule.latencyMs) ? rule.latencyMs : [rule.latencyMs!, rule.latencyMs!];
        const ms = (applied.latencyMs = min + Math.floor(fired.random() * (max - min + 1)));
        await new Promise((resolve) => setTimeout(resolve, ms));
        return false;
      }
      case 'error':
        applied.code = rule.code;
        throw new SandboxError(fired.canonical!, { diagnostic: `${why}: forced error ${String(rule.code)}` });
      case 'http_error':
        applied.status = rule.status;
        throw new Refusal(
          new SandboxError(rule.status === 503 ? 'service_unavailable' : 'internal', { diagnostic: `${why}: HTTP ${rule.status}` }),
          rule.status!,
        );
      case 'rate_limit':
        applied.retryAfter = rule.retryAfter;
        res.setHeader('Retry-After', String(rule.retryAfter));
        throw new Refusal(new SandboxError('service_unavailable', { diagnostic: `${why}: rate limited, retry after ${rule.retryAfter} s` }), 429);
      case 'drop':
        trace.finish(null, null);
        res.destroy();
        return true;
      case 'commit_then_drop':
        return false;
    }
  }
}
