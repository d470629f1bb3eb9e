import { afterEach, describe, expect, it } from 'vitest';
import { onerway as onerwayVendor } from '../../src/vendors/onerway/index.js';
import { makeSandbox } from '../helpers/sandbox.js';
import { onerway, requestId } from '../helpers/onerway.js';

const original = onerwayVendor.jobs.settleOperateRecord!;
afterEach(() => {
  onerwayVendor.jobs.settleOperateRecord = original;
});

describe('jobs a request schedules for now', () => {
  it("run in the request's own commit: the record is settled when the answer arrives, with no job left behind", async () => {
    const sb = await makeSandbox();
    const api = onerway(sb);
    const cardId = await api.activeCard();
    const res = await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 10 });
    expect(res.body.respCode).toBe('20000');
    const record = sb.store.get('onerway.operateRecords', 'onerway-default', String(res.body.data.operateRecordId)) as { status: string } | undefined;
    expect(record?.status).toBe('S');
    expect(sb.store.list('_jobs', '_')).toEqual([]);
  });

  it('a job that throws is rolled back and left to the scheduler; the request still succeeds', async () => {
    const sb = await makeSandbox();
    const api = onerway(sb);
    const cardId = await api.activeCard();
    let calls = 0;
    onerwayVendor.jobs.settleOperateRecord = (...args) => {
      calls++;
      if (calls === 1) {
        // Writes something first, so the rollback is observable.
        args[0].tx.put('onerway.operateRecords', { id: 'half-written', tenantId: 'onerway-default' });
        throw new Error('boom');
      }
      return original(...args);
    };
    const res = await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 10 });
    expect(res.body.respCode).toBe('20000');
    const id = String(res.body.data.operateRecordId);
    expect(sb.store.get('onerway.operateRecords', 'onerway-default', 'half-written')).toBeUndefined();
    // The scheduler ran the stored job right after the commit, where it succeeded.
    const records = await api.records({ cardId });
    expect(records.find((r) => String(r.operateRecordId) === id)?.status).toBe('S');
    expect(calls).toBe(1); // the scheduler holds the job type as defined at start, not this replacement
  });
});
