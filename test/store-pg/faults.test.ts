/**
 * A fault rule with `times` fires that many times in all, whichever replicas the requests reach: each
 * use is taken from the rules the replicas share (src/store-pg/shared.ts, `USE_RULE`). Two sandboxes in
 * one process on one database stand for two replicas.
 */
import request from 'supertest';
import { afterEach, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { API_KEY, BASE } from '../helpers/onerway.js';
import { describePostgres } from '../helpers/postgres.js';
import { control, T0 } from '../helpers/sandbox.js';

const regionList = (sb: Sandbox) => request(sb.app).post(`${BASE}/common/regionList`).set('ApiKey', API_KEY).send({});

describePostgres('fault rules with times across replicas', (url) => {
  const opened: Sandbox[] = [];
  afterEach(async () => {
    for (const sb of opened.splice(0).reverse()) await sb.close();
  });
  const replica = async () => {
    const sb = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent' });
    opened.push(sb);
    return sb;
  };

  it('fires a rule `times` times in all, one replica after the other and all at once', async () => {
    const [a, b] = [await replica(), await replica()];
    const rule = await control(a).post('/faults', { vendor: 'onerway', operation: 'regionList', fault: 'http_error', status: 503, times: 3 });
    expect(rule.status, rule.text).toBe(201);
    const statuses: number[] = [];
    for (const sb of [a, b, a, b, a, b]) statuses.push((await regionList(sb)).status);
    expect(statuses).toEqual([503, 503, 503, 200, 200, 200]);
    for (const sb of [a, b]) expect((await control(sb).get('/faults')).body.faults).toEqual([]);

    const again = await control(b).post('/faults', { vendor: 'onerway', operation: 'regionList', fault: 'http_error', status: 503, times: 4 });
    expect(again.status).toBe(201);
    const storm = await Promise.all(Array.from({ length: 20 }, (_, i) => regionList(i % 2 === 0 ? a : b)));
    expect(storm.filter((r) => r.status === 503)).toHaveLength(4);
    expect(storm.filter((r) => r.status === 200)).toHaveLength(16);
  });

  it('shows the uses left through any replica', async () => {
    const [a, b] = [await replica(), await replica()];
    const rule = await control(a).post('/faults', { vendor: 'onerway', operation: 'regionList', fault: 'http_error', status: 503, times: 5 });
    expect((await regionList(b)).status).toBe(503);
    expect((await regionList(b)).status).toBe(503);
    const rules = (await control(a).get('/faults')).body.faults as Array<{ id: string; remaining?: number }>;
    expect(rules.find((r) => r.id === rule.body.id)?.remaining).toBe(3);
  });
});
