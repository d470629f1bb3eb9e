/**
 * Jobs at a sandbox time, persisted in the store (settlements, webhook deliveries and their retries).
 *
 * A job runs once its time has come on the sandbox clock: right after the commit that made it due, before
 * the next vendor request is handled (so a client that sends requests in order sees earlier settlements),
 * on a timer in system-clock mode, and in time order when the clock is advanced. A job's removal commits
 * in the same transaction as its effects, so a crash re-runs it rather than losing it. Jobs apply
 * synchronously; only a job's `prepare` (a webhook POST) is asynchronous, and it touches no state.
 * While the store refuses changes (store.failure), no job runs: its effects could not be recorded, and
 * it stays due, to run once the store takes changes again (the file store: after a restart; the
 * PostgreSQL store: once its database answers).
 */
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { GLOBAL, nextSeq } from './ids.js';
import { SandboxError } from './errors.js';
import { rethrowSuspend, type Store, type Transaction } from './store.js';

export const JOBS = '_jobs';

export interface Job<P = unknown> {
  id: string;
  tenantId: string;
  seq: number;
  type: string;
  dueAt: number;
  payload: P;
  /** The tenant the job works for (jobs themselves are stored globally). */
  owner: string;
}

export interface JobContext {
  tx: Transaction;
  now: number;
  schedule: Scheduler['schedule'];
}

/**
 * One thing the scheduler ran while the clock was set or advanced (POST /__sandbox/clock answers them):
 * when, what kind (`settlement`, `webhook`, `expiry`, …, as the job says), the job type and the tenant it
 * worked for, and what the job reports of itself.
 */
export interface Ran {
  at: number;
  kind: string;
  job: string;
  tenant: string | null;
  /** Set when the job threw and was dropped. */
  error?: string;
  [detail: string]: unknown;
}

/** What a job says of its run: its kind and details (ids, outcome). */
export type RanReport = { kind: string } & Record<string, unknown>;

export interface JobType<P = any, R = any> {
  /**
   * Slow, state-free work (a webhook POST), run before `run` and outside any transaction. A job with a
   * `prepare` runs without holding up requests or other jobs (but advancing the clock awaits it). It
   * calls `begun` once its network step has started (or once it knows it has none): where the jobs are
   * leased, the next job's lease waits for that, so that jobs go out in the order they fell due.
   */
  prepare?(job: Job<P>, now: number, begun: () => void): Promise<R>;
  /** The state change: synchronous, so its transaction commits with nothing interleaved. It may report what it did. */
  run(job: Job<P>, ctx: JobContext, prepared: R): RanReport | void;
}

/**
 * Leases of jobs with a network step, where several processes share the jobs (the PostgreSQL store):
 * one process makes each attempt (docs/design/shared-store.md §5.5). Without leases (the file store,
 * one process) every job is this process's.
 */
export interface JobLeases {
  /** Takes the job's lease for `ms` (true), or answers false while another process holds it. */
  take(jobId: string, ms: number): Promise<boolean>;
  /** Whether the job is still stored (a lease taken after its holder finished finds it gone). */
  exists(jobId: string): Promise<boolean>;
  /** Resolves once the job is gone or its holder's lease has run out (the holder died). */
  waitForHolder(jobId: string): Promise<void>;
  release(jobId: string): void;
}

export class Scheduler {
  readonly #types = new Map<string, JobType>();
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #commits = new Set<Promise<unknown>>();
  #kicked = false;
  /** Job commits the store refused, ever (advance answers an error when one of its jobs was). */
  #refused = 0;
  /** No job outside those in flight is due before this; -Infinity means "look". Keeps runDue O(1) per request when nothing is due. */
  #earliest = -Infinity;
  #timer?: NodeJS.Timeout;
  #closed = false;
  readonly #upkeep: Upkeep[] = [];
  readonly #onInvalidate: Array<() => void> = [];
  /** The lists of runs being gathered (one per clock change in progress). */
  readonly #reports = new Set<Ran[]>();
  #leases?: { leases: JobLeases; ms: number };
  /** The lease asked for last (#leased): the next waits for it. */
  #leaseTurn: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  define(type: string, jobType: JobType): void {
    if (this.#types.has(type)) throw new Error(`job type ${type} defined twice`);
    this.#types.set(type, jobType);
  }

  /** Shares the jobs with other processes: a job with a network step is made by the holder of its lease (held `ms`). */
  useLeases(leases: JobLeases, ms: number): void {
    this.#leases = { leases, ms };
  }

  /** The stored jobs changed beside this process (another replica's commit): look again. */
  jobsChanged(): void {
    this.#earliest = -Infinity;
    this.kick();
  }

  has(type: string): boolean {
    return this.#types.has(type);
  }

  /** Adds a job to the transaction; it becomes due `delayMs` after now once the transaction commits. */
  schedule = <P>(tx: Transaction, type: string, owner: string, payload: P, delayMs = 0): Job<P> => {
    if (!this.#types.has(type)) throw new Error(`unknown job type ${type}`);
    const seq = nextSeq(tx, JOBS);
    const job: Job<P> = { id: `job_${seq}`, tenantId: GLOBAL, seq, type, dueAt: this.clock.now() + delayMs, payload, owner };
    // Conservative: if the transaction rolls back, the next look finds nothing and moves this back.
    this.#earliest = Math.min(this.#earliest, job.dueAt);
    return tx.put(JOBS, job);
  };

  /**
   * Recurring upkeep on the sandbox clock that is not stored as a job (retention sweeps): it runs once
   * due, from runDue (so a busy sandbox sweeps between requests, and an idle one on the timer), and
   * whenever the clock is advanced (then at the new time, whatever the interval). `run` adds its changes to
   * the transaction it is given and answers whether work is left; with work left it runs again at the next chance (to the end when the clock is advanced), not a full
   * interval later.
   */
  every(intervalMs: number, run: (tx: Transaction, now: number) => { more: boolean; removed?: number }): void {
    const now = this.clock.now();
    this.#upkeep.push({ intervalMs, run, lastAt: now, nextAt: now + intervalMs });
    this.#arm();
  }

  /** As `every`, for upkeep that reads and writes through the port itself (asynchronously). */
  everyAsync(intervalMs: number, runAsync: (now: number) => Promise<{ more: boolean; removed?: number }>): void {
    const now = this.clock.now();
    this.#upkeep.push({ intervalMs, run: () => ({ more: false }), runAsync, lastAt: now, nextAt: now + intervalMs });
    this.#arm();
  }

  pending(): Job[] {
    return (this.store.list(JOBS, GLOBAL) as Job[]).sort(byDue);
  }

  /**
   * Applies every job due now, synchronously, so that the caller sees their effects at once. Their
   * commits are not awaited: the log is ordered, so the caller's own durable commit covers them.
   * Jobs with a `prepare` (network) are started, not awaited.
   */
  runDue(): void {
    // A job whose commit is refused stays due: running it again would loop (and re-POST its webhook).
    if (this.#closed || this.store.failure) return;
    const now = this.clock.now();
    for (let job = this.#next(now); job; job = this.#next(now)) this.#start(job);
    this.#runUpkeep(now);
    this.#arm();
  }

  /**
   * Runs what is due now (after the clock was set) and waits for it, webhook POSTs included: answers
   * what ran, in order.
   */
  async settleDue(): Promise<Ran[]> {
    const ran: Ran[] = [];
    this.#reports.add(ran);
    try {
      this.runDue();
      await this.idle();
    } finally {
      this.#reports.delete(ran);
    }
    return ran;
  }

  /** Runs due jobs soon, outside the current call stack. */
  kick(): void {
    if (this.#closed || this.#kicked) return;
    this.#kicked = true;
    setImmediate(() => {
      this.#kicked = false;
      this.runDue();
    });
  }

  /**
   * Moves a frozen clock forward by `ms`, running every job that falls due in time order with the clock
   * set to each job's time, and waiting for each (so retries a job schedules inside the window run too).
   * While the store refuses changes, a job falling due is refused with it, and the clock stops at that job.
   * Answers what ran, in order.
   */
  async advance(ms: number): Promise<Ran[]> {
    const ran: Ran[] = [];
    this.#reports.add(ran);
    try {
      await this.#advance(ms);
    } finally {
      this.#reports.delete(ran);
    }
    return ran;
  }

  async #advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    const refused = this.#refused;
    for (;;) {
      const job = this.#next(target);
      if (!job) {
        if (this.#inFlight.size === 0) break;
        await Promise.all(this.#inFlight.values());
        // What they scheduled may have reached the store after the look above set #earliest (a store whose
        // commits land later than its runs: PostgreSQL): look again from scratch.
        this.#earliest = -Infinity;
        continue;
      }
      if (job.dueAt > this.clock.now()) this.clock.set(job.dueAt);
      const failure = this.store.failure;
      if (failure)
        throw new SandboxError('internal', {
          diagnostic: `${failure}; job ${job.id} (${job.type}) due at ${new Date(job.dueAt).toISOString()} cannot run until the store takes changes again`,
        });
      this.#start(job);
      await this.#inFlight.get(job.id);
    }
    this.clock.set(target);
    this.#runUpkeep(target, true, true);
    await this.idle();
    if (this.#refused > refused)
      throw new SandboxError('internal', {
        diagnostic: `${this.store.failure}; a job that fell due could not be recorded, and stays due until the store takes changes again`,
      });
  }

  /** Waits for every job in flight and every job commit to be durable (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0 || this.#commits.size > 0) {
      await Promise.all([...this.#inFlight.values(), ...this.#commits]);
    }
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  /** Forget what is known about due times (after the store was replaced wholesale). */
  invalidate(): void {
    this.#earliest = -Infinity;
    for (const listener of this.#onInvalidate) listener();
  }

  /** Calls `listener` whenever the store is replaced wholesale (scenario loads, tenants added or removed): for what is kept beside the store. */
  onInvalidate(listener: () => void): void {
    this.#onInvalidate.push(listener);
  }

  #next(limit: number): Job | undefined {
    if (limit < this.#earliest) return undefined;
    const waiting = this.pending().filter((j) => !this.#inFlight.has(j.id));
    const job = waiting.find((j) => j.dueAt <= limit);
    if (!job) this.#earliest = waiting[0]?.dueAt ?? Infinity;
    return job;
  }

  /** Applies a plain job now; starts a prepared one, in flight (#inFlight) until it has finished (not until durable). */
  #start(job: Job): void {
    const type = this.#types.get(job.type);
    if (!type?.prepare) {
      // The file store applies it here and now; a store that suspended the run finishes it later, in flight until then.
      const applied = this.#apply(job, type, undefined);
      if (applied)
        this.#inFlight.set(
          job.id,
          applied.finally(() => {
            this.#inFlight.delete(job.id);
            this.kick();
          }),
        );
      return;
    }
    const leased = this.#leases;
    if (leased) {
      this.#inFlight.set(
        job.id,
        this.#leased(job, type, leased).finally(() => {
          this.#inFlight.delete(job.id);
          this.kick();
        }),
      );
      return;
    }
    this.#inFlight.set(job.id, this.#prepared(job, type));
  }

  /**
   * A job with a network step, where the jobs are shared: made only under its lease, and only while it is
   * stored. Leases are taken one job at a time in the order the jobs were started, and each job's
   * `prepare` has begun its network step before the next job's lease is asked for, so that a tenant's
   * webhooks go out in the order they fell due, as on a store that needs no lease. (Starting `prepare`
   * is not enough: its own read of the store may answer after the next job's.)
   */
  async #leased(job: Job, type: JobType, { leases, ms }: { leases: JobLeases; ms: number }): Promise<void> {
    let outcome = 'gone' as 'made' | 'held' | 'gone';
    let made: Promise<void> | undefined;
    const turn = this.#leaseTurn.then(async () => {
      if (!(await leases.take(job.id, ms))) {
        outcome = 'held';
        return;
      }
      if (!(await leases.exists(job.id))) {
        leases.release(job.id);
        return;
      }
      outcome = 'made';
      let begun!: () => void;
      const sending = new Promise<void>((resolve) => (begun = resolve));
      made = this.#prepared(job, type, false, begun).finally(() => leases.release(job.id));
      await Promise.race([sending, made]);
    });
    this.#leaseTurn = turn.catch(() => undefined);
    try {
      await turn;
      // Another process is making this attempt: wait for it to finish (or die), then look again.
      if (outcome === 'held') await leases.waitForHolder(job.id);
      else if (made) await made;
    } catch (error) {
      this.log.error({ err: error, job }, 'job lease failed; the job stays due');
    }
  }

  /** Runs `prepare` then applies the job; with `track`, in flight until it has finished. */
  #prepared(job: Job, type: JobType, track = true, begun: () => void = () => undefined): Promise<void> {
    const running = type.prepare!(job, this.clock.now(), begun)
      .then(
        (prepared) => this.#apply(job, type, prepared),
        (error: unknown) => this.#apply(job, undefined, undefined, error),
      )
      .catch((error: unknown) => this.log.error({ err: error, job }, 'job failed'));
    if (!track) return running;
    return running.finally(() => {
      this.#inFlight.delete(job.id);
      this.kick();
    });
  }

  /**
   * One transaction: the job's effects and its removal. A job that throws is dropped with a log line.
   * Answers the run's promise while it has not yet applied (its store suspended it), else undefined.
   */
  #apply(job: Job, type: JobType | undefined, prepared: unknown, failure?: unknown): Promise<void> | undefined {
    let applied = false;
    const committed = this.store
      .run(job.owner, (tx) => {
        // Run already (by another process sharing the jobs, or removed by a reset): nothing to do, nothing to report.
        if (!tx.get(JOBS, GLOBAL, job.id)) {
          applied = true;
          return;
        }
        tx.delete(JOBS, GLOBAL, job.id);
        const savepoint = tx.savepoint();
        const now = this.clock.now();
        let report: RanReport | void;
        try {
          if (failure) throw failure;
          if (!type) throw new Error(`unknown job type ${job.type}`);
          report = type.run(job, { tx, now, schedule: this.schedule }, prepared);
        } catch (error) {
          rethrowSuspend(error);
          this.log.error({ err: error, job }, 'job failed; dropped');
          tx.rollbackTo(savepoint);
          report = { kind: 'job', error: error instanceof Error ? error.message : String(error) };
        }
        // Only the run that completes reports (a suspended one never gets here).
        this.#report({ ...(report ?? { kind: 'job' }), at: now, job: job.type, tenant: job.owner });
        applied = true;
      })
      .catch((error: unknown) => {
        // The store took the job's removal back: it is due again.
        this.#earliest = -Infinity;
        this.#refused++;
        this.log.error({ err: error, job }, 'job commit failed; the job stays due');
      });
    this.#track(committed);
    return applied ? undefined : committed;
  }

  /** Runs the upkeep that is due (or whose clock went back; or all, with `force`), once each or, with `drain`, until done. */
  #runUpkeep(now: number, drain = false, force = false): void {
    // A store that refuses changes would have every sweep built again and refused.
    if (this.store.failure) return;
    for (const upkeep of this.#upkeep) {
      if (!force && now < upkeep.nextAt && now >= upkeep.lastAt) continue;
      upkeep.lastAt = now;
      if (upkeep.runAsync) {
        this.#runAsyncUpkeep(upkeep, upkeep.runAsync, now, drain);
        continue;
      }
      let more: boolean;
      let failed = false;
      do {
        // The file store runs the work at once, so `more` is known when run() returns; a suspended run leaves it false.
        more = false;
        const committed = this.store.run(GLOBAL, (tx) => {
          const start = tx.savepoint();
          try {
            let removed: number | undefined;
            ({ more, removed } = upkeep.run(tx, now));
            if (removed) this.#report({ at: now, kind: 'expiry', job: 'retention', tenant: null, removed });
          } catch (error) {
            rethrowSuspend(error);
            this.log.error({ err: error }, 'upkeep failed');
            tx.rollbackTo(start);
            failed = true;
          }
        });
        this.#track(committed.catch((error: unknown) => this.log.error({ err: error }, 'upkeep commit failed')));
      } while (more && drain && !failed && !this.store.failure);
      if (failed) more = false;
      upkeep.nextAt = more ? now : now + upkeep.intervalMs;
    }
  }

  /**
   * An upkeep that reads its store asynchronously (the PostgreSQL store's sweep): one run at a time;
   * a draining run (the clock advanced) waits for the one in flight and goes on to the end. Tracked, so
   * that advancing the clock waits for it and reports what it removed.
   */
  #runAsyncUpkeep(upkeep: Upkeep, runAsync: NonNullable<Upkeep['runAsync']>, now: number, drain: boolean): void {
    if (upkeep.running && !drain) return;
    upkeep.nextAt = now + upkeep.intervalMs;
    const run = async () => {
      let more: boolean;
      do {
        const { removed, more: left } = await runAsync(now);
        more = left;
        if (removed) this.#report({ at: now, kind: 'expiry', job: 'retention', tenant: null, removed });
      } while (more && drain && !this.#closed);
      if (more) upkeep.nextAt = now;
    };
    const running: Promise<void> = (upkeep.running ?? Promise.resolve())
      .then(run)
      .catch((error: unknown) => this.log.error({ err: error }, 'upkeep failed'))
      .finally(() => {
        if (upkeep.running === running) upkeep.running = undefined;
      });
    upkeep.running = running;
    this.#track(running);
  }

  #report(ran: Ran): void {
    for (const list of this.#reports) list.push(ran);
  }

  /** Keeps a commit in #commits (idle() waits for them) until it settles; it handles its own failure. */
  #track(commit: Promise<unknown>): void {
    this.#commits.add(commit);
    commit.finally(() => this.#commits.delete(commit)).catch(() => undefined);
  }

  /** In system-clock mode, wakes up when the next job or upkeep falls due. */
  #arm(): void {
    clearTimeout(this.#timer);
    if (this.#closed || this.clock.mode !== 'system') return;
    const next = this.pending().find((j) => !this.#inFlight.has(j.id));
    const dueAt = Math.min(next?.dueAt ?? Infinity, ...this.#upkeep.map((u) => u.nextAt));
    if (dueAt === Infinity) return;
    const delay = Math.min(Math.max(dueAt - this.clock.now(), 0), 2 ** 31 - 1);
    this.#timer = setTimeout(() => this.runDue(), delay);
    this.#timer.unref();
  }
}

interface Upkeep {
  intervalMs: number;
  /** Adds the upkeep's changes to `tx`; answers whether work is left (and how many records it removed). */
  run(tx: Transaction, now: number): { more: boolean; removed?: number };
  /** Instead of `run`: does its own transactions, and answers the same once they are durable. */
  runAsync?(now: number): Promise<{ more: boolean; removed?: number }>;
  /** The asynchronous run in flight. */
  running?: Promise<void>;
  lastAt: number;
  nextAt: number;
}

function byDue(a: Job, b: Job): number {
  return a.dueAt - b.dueAt || a.seq - b.seq;
}
