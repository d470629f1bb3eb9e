import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../../src/core/clock.js';
import { GLOBAL } from '../../src/core/ids.js';
import { runInlineJobs, type Runtime } from '../../src/core/runtime.js';
import { Scheduler } from '../../src/core/scheduler.js';
import { Store } from '../../src/core/store.js';
import { Suspend } from '../../src/core/store-port.js';
import type { Tenant } from '../../src/core/tenants.js';
import { onerway as onerwayVendor } from '../../src/vendors/onerway/index.js';
import { DEFAULT_TENANT, holdSettlements, onerway } from '../helpers/onerway.js';
import { control, makeSandbox, snapshot, T0 } from '../helpers/sandbox.js';
import { SuspendingStore } from '../helpers/suspending-store.js';

const silent = pino({ level: 'silent' });
const original = onerwayVendor.jobs.settleOperateRecord!;
afterEach(() => {
  onerwayVendor.jobs.settleOperateRecord = original;
});

/**
 * Wraps the settlement job (before a sandbox is made: the scheduler keeps the job as defined at its
 * start); once armed, its next call throws a Suspend (a read its store must load first).
 */
function suspendingJob(): { arm: () => void; calls: () => number } {
  let armed = false;
  let calls = 0;
  onerwayVendor.jobs.settleOperateRecord = (...args) => {
    if (!armed) return original(...args);
    calls++;
    if (calls === 1) {
      // Writes something first, so a run that kept the suspended run's writes would show it.
      args[0].tx.put('onerway.operateRecords', { id: 'half-written', tenantId: DEFAULT_TENANT });
      throw new Suspend({ collection: '_accounts', tenantId: DEFAULT_TENANT, id: 'not-yet-loaded' });
    }
    return original(...args);
  };
  return { arm: () => void (armed = true), calls: () => calls };
}

describe('the file store through the port', () => {
  it('run commits what the work wrote and resolves with its result; a work that throws commits nothing', async () => {
    const store = await Store.open(':memory:');
    const result = await store.run('t1', (tx) => tx.put('things', { id: 'a', tenantId: 't1', n: 1 }).n);
    expect(result).toBe(1);
    expect(store.get('things', 't1', 'a')).toEqual({ id: 'a', tenantId: 't1', n: 1 });
    await expect(
      store.run('t1', (tx) => {
        tx.put('things', { id: 'b', tenantId: 't1' });
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(store.get('things', 't1', 'b')).toBeUndefined();
    expect(await store.read('things', 't1')).toEqual([{ id: 'a', tenantId: 't1', n: 1 }]);
    expect(await store.read('things')).toEqual([{ id: 'a', tenantId: 't1', n: 1 }]);
    expect(await store.lookup('things', 't1', 'a')).toEqual({ id: 'a', tenantId: 't1', n: 1 });
    expect(await store.lookup('things', 't2', 'a')).toBeUndefined();
    await store.close();
  });

  it("applies the work's writes before run returns, so the next reader sees them without waiting for durability", async () => {
    const store = await Store.open(':memory:');
    const pending = store.run('t1', (tx) => void tx.put('things', { id: 'a', tenantId: 't1' }));
    expect(store.get('things', 't1', 'a')).toBeDefined();
    await pending;
    await store.close();
  });
});

describe('a store that suspends reads (the test double of a working-set store)', () => {
  it("re-runs a suspended work from the start: the suspended run's writes are discarded", async () => {
    const store = await SuspendingStore.create();
    await store.run('t1', (tx) => void tx.put('things', { id: 'a', tenantId: 't1', n: 1 }));
    let runs = 0;
    const seen = await store.run('t1', (tx) => {
      runs++;
      tx.put('things', { id: `written-by-run-${runs}`, tenantId: 't1' });
      return tx.get<{ id: string; tenantId: string; n: number }>('things', 't1', 'a')?.n;
    });
    expect(seen).toBe(1);
    expect(runs).toBe(2);
    expect(store.list('things', 't1').map((r) => r.id)).toEqual(['a', 'written-by-run-2']);
    await store.close();
  });

  it('answers a sequence of vendor requests byte for byte as the file store does, and leaves the same state', async () => {
    const plain = await makeSandbox();
    const suspending = await SuspendingStore.create();
    const double = await makeSandbox({ store: suspending });
    const script = async (sb: typeof plain) => {
      const api = onerway(sb);
      const answers: string[] = [];
      const created = await api.createCard({ clientRequestId: 'CREATE-1', cardholderId: 300001, productId: 1, amount: 100 });
      answers.push(created.text);
      const cardId = created.body.data.cardId as number;
      for (const [id, amount] of [
        ['DEP-1', 10],
        ['DEP-2', 25.5],
        ['DEP-1', 10], // a replay of the first
        ['DEP-1', 11], // the same key with another body
      ] as const) {
        answers.push((await api.deposit({ clientRequestId: id, cardId, amount })).text);
      }
      answers.push((await api.getCardBalance({ cardId })).text);
      answers.push((await api.getOperateRecordList({ pageNum: 1, pageSize: 10, cardId })).text);
      answers.push((await api.operate({ clientRequestId: 'FREEZE-1', cardId, type: 'FREEZE' })).text);
      return answers;
    };
    const expected = await script(plain);
    const got = await script(double);
    expect(got).toEqual(expected);
    // Every answer above is a success or the vendor's refusal it should be, not an internal error.
    expect(got.map((a) => JSON.parse(a).respCode)).toEqual(expected.map((a) => JSON.parse(a).respCode));
    expect(suspending.suspensions).toBeGreaterThan(10);
    expect(suspending.runs).toBeGreaterThan(suspending.suspensions);
    await plain.runtime.scheduler.idle();
    await double.runtime.scheduler.idle();
    expect(await snapshot(double)).toBe(await snapshot(plain));
  });

  it('an inline job that suspends is not swallowed: the whole request runs again, and the settlement is in its answer', async () => {
    const job = suspendingJob();
    const suspending = await SuspendingStore.create();
    const logged: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) });
    const sb = await makeSandbox({ store: suspending, logger });
    const api = onerway(sb);
    const cardId = await api.activeCard();
    job.arm();
    const res = await api.deposit({ clientRequestId: 'DEP-S', cardId, amount: 10 });
    expect(res.body.respCode).toBe('20000');
    // Called again after the suspension, in the same request (swallowed, the job would be logged and left to the scheduler).
    expect(job.calls()).toBeGreaterThanOrEqual(2);
    expect(logged.some((line) => line.includes('inline job failed'))).toBe(false);
    const record = sb.store.get('onerway.operateRecords', DEFAULT_TENANT, String(res.body.data.operateRecordId)) as { status: string } | undefined;
    expect(record?.status).toBe('S');
    expect(sb.store.get('onerway.operateRecords', DEFAULT_TENANT, 'half-written')).toBeUndefined();
    expect(sb.store.list('_jobs', GLOBAL)).toEqual([]);
  });

  it('runInlineJobs lets a Suspend through instead of storing the job for the scheduler', async () => {
    const sb = await makeSandbox();
    const tx = sb.store.begin();
    const tenant = sb.store.get('_tenants', GLOBAL, DEFAULT_TENANT) as unknown as Tenant;
    const vendor = {
      ...onerwayVendor,
      jobs: {
        boom: () => {
          throw new Suspend({ collection: 'x', tenantId: 'y', id: 'z' });
        },
      },
    };
    expect(() => runInlineJobs(sb.runtime as Runtime, vendor, tx, tenant, T0, [{ type: 'boom', payload: {} }])).toThrow(Suspend);
    expect(tx.changes()).toEqual([]);
  });

  it('a scheduled job that suspends runs again and applies, rather than being dropped as failed', async () => {
    const job = suspendingJob();
    const suspending = await SuspendingStore.create();
    const sb = await makeSandbox({ store: suspending });
    const api = onerway(sb);
    const cardId = await api.activeCard();
    await holdSettlements(sb);
    const res = await api.deposit({ clientRequestId: 'DEP-H', cardId, amount: 10 });
    const id = String(res.body.data.operateRecordId);
    expect((sb.store.get('onerway.operateRecords', DEFAULT_TENANT, id) as { status: string } | undefined)?.status).toBe('P');
    job.arm();
    await control(sb).advance(60_000);
    await sb.runtime.scheduler.idle();
    expect(job.calls()).toBeGreaterThanOrEqual(2);
    expect((sb.store.get('onerway.operateRecords', DEFAULT_TENANT, id) as { status: string } | undefined)?.status).toBe('S');
    expect(sb.store.get('onerway.operateRecords', DEFAULT_TENANT, 'half-written')).toBeUndefined();
  });

  it('upkeep that suspends runs again and commits, rather than being logged as failed', async () => {
    const store = await SuspendingStore.create();
    const scheduler = new Scheduler(store, new Clock(T0), silent);
    let calls = 0;
    scheduler.every(1000, (tx) => {
      calls++;
      tx.put('swept', { id: `by-call-${calls}`, tenantId: GLOBAL });
      if (calls === 1) throw new Suspend({ collection: 'swept', tenantId: GLOBAL, id: 'x' });
      return { more: false };
    });
    await scheduler.advance(1000);
    expect(calls).toBe(2);
    expect(store.list('swept', GLOBAL).map((r) => r.id)).toEqual(['by-call-2']);
    scheduler.close();
    await store.close();
  });
});
