/**
 * Jobs at a sandbox time, persisted in the store (settlements, webhook deliveries and their retries).
 *
 * A job runs once its time has come on the sandbox clock: right after the commit that made it due, before
 * the next vendor request is handled (so a client that sends requests in order sees earlier settlements),
 * on a timer in system-clock mode, and in time order when the clock is advanced. A job's removal commits
 * in the same transaction as its effects, so a crash re-runs it rather than losing it.
 */
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { nextSeq } from './ids.js';
import type { Store, Transaction } from './store.js';

const JOBS = '_jobs';
const GLOBAL = '_';

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

export interface JobType<P = any, R = any> {
  /**
   * Slow, state-free work (a webhook POST), run before `run` and outside any transaction. A job with a
   * `prepare` runs without holding up requests or other jobs (but advancing the clock awaits it).
   */
  prepare?(job: Job<P>, now: number): Promise<R>;
  /** The state change: synchronous, so its transaction commits with nothing interleaved. */
  run(job: Job<P>, ctx: JobContext, prepared: R): void;
}

export class Scheduler {
  readonly #types = new Map<string, JobType>();
  readonly #inFlight = new Map<string, Promise<void>>();
  #pass?: Promise<void>;
  #again = false;
  #timer?: NodeJS.Timeout;
  #closed = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  define(type: string, jobType: JobType): void {
    if (this.#types.has(type)) throw new Error(`job type ${type} defined twice`);
    this.#types.set(type, jobType);
  }

  /** Adds a job to the transaction; it becomes due `delayMs` after now once the transaction commits. */
  schedule = <P>(tx: Transaction, type: string, owner: string, payload: P, delayMs = 0): Job<P> => {
    if (!this.#types.has(type)) throw new Error(`unknown job type ${type}`);
    const seq = nextSeq(tx, JOBS);
    const job: Job<P> = { id: `job_${seq}`, tenantId: GLOBAL, seq, type, dueAt: this.clock.now() + delayMs, payload, owner };
    return tx.put(JOBS, job);
  };

  pending(): Job[] {
    return (this.store.list(JOBS, GLOBAL) as Job[]).sort(byDue);
  }

  /** Runs every job due now. Concurrent jobs are started, not awaited. */
  runDue(): Promise<void> {
    if (this.#pass) {
      this.#again = true;
      return this.#pass;
    }
    this.#pass = (async () => {
      do {
        this.#again = false;
        await this.#runUntil(this.clock.now(), false);
      } while (this.#again);
    })().finally(() => {
      this.#pass = undefined;
      this.#arm();
    });
    return this.#pass;
  }

  /** Runs due jobs soon, outside the current call stack. */
  kick(): void {
    if (this.#closed) return;
    setImmediate(() => void this.runDue());
  }

  /**
   * Moves a frozen clock forward by `ms`, running every job that falls due in time order with the clock
   * set to each job's time (so retries scheduled by a job inside the window run too), and awaiting all.
   */
  async advance(ms: number): Promise<void> {
    await this.#pass;
    const target = this.clock.now() + ms;
    await this.#runUntil(target, true);
    this.clock.set(target);
    await Promise.all(this.#inFlight.values());
  }

  /** Waits for every job in flight (shutdown, tests). */
  async idle(): Promise<void> {
    await this.#pass;
    await Promise.all(this.#inFlight.values());
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #runUntil(limit: number, awaitAll: boolean): Promise<void> {
    for (;;) {
      const job = this.pending().find((j) => j.dueAt <= limit && !this.#inFlight.has(j.id));
      if (!job) return;
      if (awaitAll && job.dueAt > this.clock.now()) this.clock.set(job.dueAt);
      const run = this.#run(job);
      if (this.#types.get(job.type)?.prepare && !awaitAll) continue;
      await run;
    }
  }

  #run(job: Job): Promise<void> {
    const type = this.#types.get(job.type);
    const promise = (async () => {
      try {
        const prepared = type?.prepare ? await type.prepare(job, this.clock.now()) : undefined;
        const tx = this.store.begin();
        tx.delete(JOBS, GLOBAL, job.id);
        if (type) type.run(job, { tx, now: this.clock.now(), schedule: this.schedule }, prepared);
        else this.log.error({ job }, 'dropping a job of an unknown type');
        await this.store.commit(tx);
      } catch (error) {
        // A job that throws is dropped with a log line rather than retried forever.
        this.log.error({ err: error, job }, 'job failed');
        const drop = this.store.begin();
        drop.delete(JOBS, GLOBAL, job.id);
        await this.store.commit(drop);
      }
    })().finally(() => {
      this.#inFlight.delete(job.id);
      if (type?.prepare) this.kick();
    });
    this.#inFlight.set(job.id, promise);
    return promise;
  }

  /** In system-clock mode, wakes up when the next job falls due. */
  #arm(): void {
    clearTimeout(this.#timer);
    if (this.#closed || this.clock.mode !== 'system') return;
    const next = this.pending().find((j) => !this.#inFlight.has(j.id));
    if (!next) return;
    const delay = Math.min(Math.max(next.dueAt - this.clock.now(), 0), 2 ** 31 - 1);
    this.#timer = setTimeout(() => void this.runDue(), delay);
    this.#timer.unref();
  }
}

function byDue(a: Job, b: Job): number {
  return a.dueAt - b.dueAt || a.seq - b.seq;
}
