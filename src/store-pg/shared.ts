/**
 * What the replicas on one database share beyond records (docs/design/shared-store.md §5.5, §5.6), over
 * the `sandbox_state` table: the clock and the fault rules as values, and the generations of the
 * collections each replica keeps a copy of (tenants, jobs), which every commit changing them bumps.
 *
 * `sync` reads the table (one round trip, four rows) before each request and control-plane call (not
 * before a vendor request while the replica is alone on the database: presence.ts), and every
 * SYNC_INTERVAL_MS for an idle replica's scheduler; what another replica changed is taken over:
 * the clock and rules as they are, the copies reloaded. `publish` writes this replica's clock and rules
 * when they differ from what it last saw, before the control plane answers. So a change answered by one
 * replica is seen by the next request to any replica.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock, ClockState } from '../core/clock.js';
import type { Faults, FaultsState } from '../core/faults.js';
import { GLOBAL } from '../core/ids.js';
import { JOBS, type JobLeases, type Scheduler } from '../core/scheduler.js';
import type { SharedState } from '../core/shared-state.js';
import { TENANTS } from '../core/tenants.js';
import { Presence } from './presence.js';
import type { PgRuntimeStore } from './runtime-store.js';
import * as sql from './sql.js';

const SYNC_INTERVAL_MS = 250;
/** How often a replica waiting for another's lease looks whether it finished or died. */
const LEASE_POLL_MS = 100;

/** This process among the replicas (in leases and the database's application_name). */
export const REPLICA_ID = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

interface Parts {
  store: PgRuntimeStore;
  /** The database's URL, for the presence connection (presence.ts). */
  url: string;
  clock: Clock;
  faults: Faults;
  scheduler: Scheduler;
  log: Logger;
}

export class PgShared implements SharedState {
  readonly #parts: Parts;
  /** clock / faults → the generation and the JSON this replica last saw or wrote. */
  readonly #seen = new Map<string, { generation: number; json: string }>();
  #running?: Promise<void>;
  #queued?: Promise<void>;
  readonly #timer: NodeJS.Timeout;
  readonly #presence: Presence;

  constructor(parts: Parts) {
    this.#parts = parts;
    // Its own name among the replicas even beside another sandbox in this process (tests run several).
    this.#presence = new Presence(parts.url, `${REPLICA_ID}/${randomBytes(3).toString('hex')}`, parts.log);
    parts.faults.useShared = (ruleId) => this.#useRule(ruleId);
    this.#timer = setInterval(() => {
      this.sync()
        .then(() => parts.scheduler.kick())
        .catch(() => undefined);
    }, SYNC_INTERVAL_MS);
    this.#timer.unref();
  }

  /**
   * Coalesced: a caller is served by a read that starts after it called (so it sees every change
   * answered before), shared with whoever else calls while the previous read is in flight. Before a
   * vendor request, a replica alone on its database skips it (presence.ts).
   */
  sync(purpose: 'request' | 'control' = 'control'): Promise<void> {
    // Alone on the database: no other replica's change to take before a request (presence.ts).
    if (purpose === 'request' && this.#presence.alone) return Promise.resolve();
    if (!this.#running) {
      this.#running = this.#read().finally(() => (this.#running = undefined));
      return this.#running;
    }
    this.#queued ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.sync();
      });
    return this.#queued;
  }

  /** Makes this replica known to the others (presence.ts); the sandbox starts serving after it. */
  join(): Promise<void> {
    return this.#presence.ready();
  }

  /** Whether this replica is alone on its database, as far as it knows now. */
  get alone(): boolean {
    return this.#presence.alone;
  }

  async publish(): Promise<void> {
    const { clock, faults, store } = this.#parts;
    // A replica whose presence connection dropped joins again first: one that started meanwhile may think it is alone.
    await this.#presence.ready();
    for (const [key, value] of [
      ['clock', clock.state()],
      ['faults', faults.state()],
    ] as const) {
      const json = JSON.stringify(value);
      if (this.#seen.get(key)?.json === json) continue;
      const { rows } = await store.pg.query<{ generation: string }>(sql.PUBLISH, [key, json]);
      this.#seen.set(key, { generation: Number(rows[0]!.generation), json });
    }
  }

  /**
   * One use of a fault rule with `times`, taken from the shared rules (so that N replicas fire it `times`
   * times in all, not each). Where nobody else changed the rules since this replica last saw them, its
   * copy counts the use itself (a seeded probability keeps its sequence); else it takes the shared rules.
   */
  async #useRule(ruleId: string): Promise<boolean> {
    const { faults, store } = this.#parts;
    const { rows } = await store.pg.query<{ value: FaultsState; generation: string }>(sql.USE_RULE, [ruleId]);
    const row = rows[0];
    if (!row) {
      // None left: another replica used the last, or removed the rule; take the rules as they now are.
      await this.sync();
      return false;
    }
    const generation = Number(row.generation);
    if (this.#seen.get('faults')?.generation === generation - 1) faults.consume(ruleId);
    else faults.adopt(row.value);
    this.#seen.set('faults', { generation, json: JSON.stringify(faults.state()) });
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#presence.close();
  }

  async #read(): Promise<void> {
    const { store, clock, faults, scheduler } = this.#parts;
    const { rows } = await store.pg.query<{ key: string; value: unknown; generation: string }>(sql.STATE_PREPARED);
    for (const row of rows) {
      const generation = Number(row.generation);
      if (row.key === 'tenants' || row.key === 'jobs') {
        if (store.generation(row.key) === generation) continue;
        await store.reload(row.key === 'tenants' ? TENANTS : JOBS);
        if (row.key === 'jobs') scheduler.jobsChanged();
        continue;
      }
      const seen = this.#seen.get(row.key);
      if (seen?.generation === generation || row.value === null) continue;
      // Set before adopting: publish compares with it, and must not write back what it just read.
      const json = JSON.stringify(row.value);
      this.#seen.set(row.key, { generation, json });
      if (row.key === 'clock') clock.adopt(row.value as ClockState);
      if (row.key === 'faults') faults.adopt(row.value as FaultsState);
    }
  }
}

/** Job leases in `job_leases`: one replica makes each webhook attempt; another takes over when its lease runs out. */
export class PgLeases implements JobLeases {
  constructor(private readonly store: PgRuntimeStore) {}

  async take(jobId: string, ms: number): Promise<boolean> {
    const { rows } = await this.store.pg.query(sql.LEASE, [jobId, REPLICA_ID, ms]);
    return rows.length > 0;
  }

  async exists(jobId: string): Promise<boolean> {
    return (await this.store.pg.lookup(JOBS, GLOBAL, jobId)) !== undefined;
  }

  async waitForHolder(jobId: string): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS).unref());
      const { rows } = await this.store.pg.query<{ held: boolean }>(sql.LEASE_HELD, [jobId]);
      if (!rows[0]?.held || !(await this.exists(jobId))) return;
    }
  }

  release(jobId: string): void {
    this.store.pg.query(sql.RELEASE, [jobId, REPLICA_ID]).catch(() => undefined);
  }
}
