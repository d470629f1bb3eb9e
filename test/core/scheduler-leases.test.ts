import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Clock } from '../../src/core/clock.js';
import { GLOBAL } from '../../src/core/ids.js';
import { Scheduler, type JobLeases } from '../../src/core/scheduler.js';
import { FileStore } from '../../src/core/store.js';
import { T0 } from '../helpers/sandbox.js';

/** Leases as a lone process sees them: each is free and its job stored. */
const free: JobLeases = {
  take: () => Promise.resolve(true),
  exists: () => Promise.resolve(true),
  waitForHolder: () => Promise.resolve(),
  release: () => undefined,
};

/** A scheduler over a store in memory, leasing its jobs. */
async function leased(): Promise<{ store: FileStore; scheduler: Scheduler; close: () => Promise<void> }> {
  const store = await FileStore.open(':memory:');
  const scheduler = new Scheduler(store, new Clock(T0), pino({ level: 'silent' }));
  scheduler.useLeases(free, 60_000);
  return { store, scheduler, close: () => (scheduler.close(), store.close()) };
}

describe('Scheduler: jobs with a network step, leased', () => {
  it('starts each job’s network step in the order the jobs fell due, however long the step before it takes', async () => {
    const { store, scheduler, close } = await leased();
    const sent: string[] = [];
    // The first job's read before its POST is the slow one (a read on a busy connection): on a
    // PostgreSQL store that is what let a later webhook reach the receiver first.
    scheduler.define('post', {
      prepare: async (job, _now, begun) => {
        const { name, readMs } = job.payload as { name: string; readMs: number };
        await sleep(readMs);
        sent.push(name);
        begun();
        await sleep(5);
        return name;
      },
      run: () => undefined,
    });
    await store.run(GLOBAL, (tx) => {
      scheduler.schedule(tx, 'post', GLOBAL, { name: 'first', readMs: 40 });
      scheduler.schedule(tx, 'post', GLOBAL, { name: 'second', readMs: 0 });
      scheduler.schedule(tx, 'post', GLOBAL, { name: 'third', readMs: 10 });
    });
    await scheduler.settleDue();
    expect(sent).toEqual(['first', 'second', 'third']);
    expect(scheduler.pending()).toEqual([]);
    await close();
  });

  it('goes on to the next job when a job ends without calling begun', async () => {
    const { store, scheduler, close } = await leased();
    const made: string[] = [];
    scheduler.define('maybe', {
      prepare: async (job, _now, begun) => {
        const { name, fails } = job.payload as { name: string; fails: boolean };
        made.push(name);
        if (fails) throw new Error(`${name} has nothing to send`);
        begun();
        return name;
      },
      run: () => undefined,
    });
    await store.run(GLOBAL, (tx) => {
      scheduler.schedule(tx, 'maybe', GLOBAL, { name: 'gone', fails: true });
      scheduler.schedule(tx, 'maybe', GLOBAL, { name: 'next', fails: false });
    });
    await scheduler.settleDue();
    expect(made).toEqual(['gone', 'next']);
    expect(scheduler.pending()).toEqual([]);
    await close();
  });
});
