/**
 * Retention on the sandbox clock: what the vendors themselves forget (idempotency answers and keys,
 * request-id nonces, finished webhook deliveries) goes once its time has passed, swept when the clock
 * is advanced, and nothing goes a moment earlier.
 */
import { describe, expect, it, vi } from 'vitest';
import { DEFAULTS, loadConfig } from '../../src/config.js';
import { nonceExpiry, sweep, sweepInterval, SWEEP_BATCH, type RetentionPolicy } from '../../src/core/retention.js';
import type { Sandbox } from '../../src/sandbox.js';
import { LILI12, finext } from '../helpers/finext.js';
import { DEFAULT_TENANT, holdSettlements, onerway, requestId } from '../helpers/onerway.js';
import { startReceiver } from '../helpers/receiver.js';
import { control, makeSandbox } from '../helpers/sandbox.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const withRetention = (retention: Partial<RetentionPolicy> = {}) => makeSandbox({ retention: { ...DEFAULTS.retention, ...retention } });

async function withCard(sb: Sandbox) {
  const api = onerway(sb);
  const cardId = await api.activeCard();
  return { api, cardId };
}

describe('idempotency answers and keys', () => {
  it('replays an answer for 24 h, then refuses the key as used for 7 days, then takes it as new', async () => {
    const sb = await withRetention();
    const { api, cardId } = await withCard(sb);
    const body = { clientRequestId: 'DEP_RETAINED', cardId, amount: 10 };
    const first = await api.deposit(body);
    await control(sb).advance(DAY - 1);
    expect((await api.deposit(body)).text).toBe(first.text);
    expect(sb.store.get('_idempotency', DEFAULT_TENANT, 'DEP_RETAINED')).toBeDefined();

    await control(sb).advance(1);
    expect(sb.store.get('_idempotency', DEFAULT_TENANT, 'DEP_RETAINED')).toBeUndefined();
    expect(sb.store.get('_idempotency_keys', DEFAULT_TENANT, 'DEP_RETAINED')).toBeDefined();
    const reused = await api.deposit(body);
    expect(reused.body).toMatchObject({ respCode: '80010', data: null });
    expect(reused.headers['x-sandbox-diagnostic']).toMatch(/no longer kept/);

    await control(sb).advance(7 * DAY - DAY);
    expect(sb.store.get('_idempotency_keys', DEFAULT_TENANT, 'DEP_RETAINED')).toBeUndefined();
    const again = await api.deposit(body);
    expect(again.body.respCode).toBe('20000');
    expect(again.body.data.operateRecordId).not.toBe(first.body.data.operateRecordId);
  });

  it('treats an expired answer as gone even before the sweep reaches it', async () => {
    const sb = await withRetention({ idempotencyMs: HOUR, idempotencyKeysMs: HOUR });
    const { api, cardId } = await withCard(sb);
    const body = { clientRequestId: 'DEP_UNSWEPT', cardId, amount: 10 };
    const first = await api.deposit(body);
    // Moves the frozen clock without running the scheduler: nothing is swept.
    sb.clock.set(sb.clock.now() + HOUR);
    const again = await api.deposit(body);
    expect(again.body.respCode).toBe('20000');
    expect(again.body.data.operateRecordId).not.toBe(first.body.data.operateRecordId);
  });

  it('drops the count of stored answers as they expire, and keeps the ones within their time', async () => {
    const sb = await withRetention({ idempotencyMs: HOUR, idempotencyKeysMs: HOUR });
    const { api, cardId } = await withCard(sb);
    for (let i = 0; i < 3; i++) await api.deposit({ clientRequestId: `OLD_${i}`, cardId, amount: 1 });
    await control(sb).advance(30 * MINUTE);
    for (let i = 0; i < 2; i++) await api.deposit({ clientRequestId: `NEW_${i}`, cardId, amount: 1 });
    const before = sb.store.count('_idempotency');
    await control(sb).advance(30 * MINUTE);
    expect(sb.store.count('_idempotency')).toBe(before - 4); // the card's createCard answer and OLD_0..2
    expect(sb.store.list('_idempotency', DEFAULT_TENANT).map((r) => r.id)).toEqual(['NEW_0', 'NEW_1']);
    expect(sb.store.count('_idempotency_keys')).toBe(0);
  });
});

describe('finext request_id nonces', () => {
  it('refuses a used request_id for 5 minutes, then forgets it', async () => {
    const sb = await withRetention();
    const api = finext(sb);
    const request_id = 'a'.repeat(32);
    await api.ok('balance', { username: LILI12.username, kit_number: LILI12.kit_number, request_id });
    const nonces = sb.store.count('_nonces');
    await control(sb).advance(5 * MINUTE - 1);
    expect((await api.call('balance', { username: LILI12.username, kit_number: LILI12.kit_number, request_id })).body.code).toBe(10403);
    expect(sb.store.count('_nonces')).toBe(nonces);
    await control(sb).advance(1);
    expect(sb.store.count('_nonces')).toBe(0);
    await api.ok('balance', { username: LILI12.username, kit_number: LILI12.kit_number, request_id });
  });
});

describe('webhook delivery log', () => {
  it('forgets delivered and failed deliveries after their time, and never one still being retried', async () => {
    const receiver = await startReceiver();
    try {
      const sb = await withRetention({ webhooksMs: 20_000 });
      await control(sb).patch(`/tenants/${DEFAULT_TENANT}`, { webhookUrl: receiver.url }).expect(200);
      const { api, cardId } = await withCard(sb);
      await receiver.waitFor(1);
      await sb.runtime.scheduler.idle();
      receiver.respondWith(500, 'no');
      await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 1 });
      await sb.runtime.scheduler.idle();
      const states = async () => (await control(sb).get('/webhooks')).body.deliveries.map((d: { state: string }) => d.state);
      expect(await states()).toEqual(['delivered', 'retrying']);

      await control(sb).advance(19_999);
      expect(await states()).toEqual(['delivered', 'retrying']);
      await control(sb).advance(1);
      expect(await states()).toEqual(['retrying']);
      // Onerway retries every 15 s, 10 times: the delivery fails at 150 s and is forgotten 20 s after it was created.
      await control(sb).advance(10 * MINUTE);
      expect(await states()).toEqual([]);
      expect(sb.store.count('_webhook_deliveries')).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it('keeps the newest N finished deliveries per merchant', async () => {
    const receiver = await startReceiver();
    try {
      const sb = await withRetention({ webhookEntries: 2 });
      await control(sb).patch(`/tenants/${DEFAULT_TENANT}`, { webhookUrl: receiver.url }).expect(200);
      const { api, cardId } = await withCard(sb);
      for (let i = 0; i < 3; i++) await api.deposit({ clientRequestId: `DEP_N_${i}`, cardId, amount: 1 });
      await receiver.waitFor(4);
      await sb.runtime.scheduler.idle();
      await control(sb).advance(MINUTE);
      const kept = (await control(sb).get('/webhooks')).body.deliveries;
      expect(kept.map((d: { body: string }) => JSON.parse(d.body).data.clientRequestId)).toEqual(['DEP_N_1', 'DEP_N_2']);
    } finally {
      await receiver.close();
    }
  });

  it('stores nothing for an event with no URL, and shows the latest in the log as no_url', async () => {
    const sb = await withRetention({ webhookEntries: 3 });
    const { api, cardId } = await withCard(sb);
    for (let i = 0; i < 5; i++) await api.deposit({ clientRequestId: `DEP_Q_${i}`, cardId, amount: 1 });
    expect(sb.store.count('_webhook_deliveries')).toBe(0);
    const log = (await control(sb).get('/webhooks')).body.deliveries;
    expect(log.map((d: { id: string; state: string }) => [d.id, d.state])).toEqual([
      ['whd_4', 'no_url'],
      ['whd_5', 'no_url'],
      ['whd_6', 'no_url'],
    ]);
  });

  it('forgets the no_url events of a merchant when the sandbox is reset', async () => {
    const sb = await withRetention();
    await withCard(sb);
    expect((await control(sb).get('/webhooks')).body.deliveries).toHaveLength(1);
    await control(sb).post('/reset', {}).expect(200);
    expect((await control(sb).get('/webhooks')).body.deliveries).toEqual([]);
  });
});

describe('scheduler jobs', () => {
  it('keeps no job once it has run: a settled operate record leaves none behind', async () => {
    const sb = await withRetention();
    const { api, cardId } = await withCard(sb);
    await holdSettlements(sb, HOUR);
    await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 1 });
    expect(sb.store.count('_jobs')).toBe(1);
    await control(sb).advance(HOUR);
    expect(sb.store.count('_jobs')).toBe(0);
  });
});

describe('the sweep', () => {
  it('deletes at most a batch per transaction; advancing the clock sweeps to the end', async () => {
    const sb = await withRetention();
    const tx = sb.store.begin();
    for (let i = 0; i < 2.5 * SWEEP_BATCH; i++) tx.put('_nonces', { id: `n${i}`, tenantId: 'finext-default', at: sb.clock.now() });
    await sb.store.commit(tx);
    const later = sb.clock.now() + 5 * MINUTE;
    const first = sweep(sb.store, [nonceExpiry(5 * MINUTE)], later);
    expect(first).toMatchObject({ removed: SWEEP_BATCH, more: true });
    expect(first.tx.changes()).toHaveLength(SWEEP_BATCH);
    await control(sb).advance(5 * MINUTE);
    expect(sb.store.count('_nonces')).toBe(0);
  });
});

describe('retention settings', () => {
  it('default to 24h answers, 7d keys, 5m nonces, 7d and 1000 webhook deliveries per merchant', () => {
    expect(loadConfig([], {}).retention).toEqual({
      idempotencyMs: DAY,
      idempotencyKeysMs: 7 * DAY,
      noncesMs: 5 * MINUTE,
      webhooksMs: 7 * DAY,
      webhookEntries: 1000,
      historyMs: Infinity,
    });
  });

  it('take durations from flags over the environment, and off for keeping forever', () => {
    const env = { SANDBOX_RETENTION_IDEMPOTENCY: '2h', SANDBOX_RETENTION_NONCES: '90s', SANDBOX_RETENTION_WEBHOOK_ENTRIES: '5' };
    expect(loadConfig(['--retention-idempotency', '1d', '--retention-webhooks', 'off'], env).retention).toEqual({
      idempotencyMs: DAY,
      idempotencyKeysMs: 7 * DAY,
      noncesMs: 90_000,
      webhooksMs: Infinity,
      webhookEntries: 5,
      historyMs: Infinity,
    });
  });

  it.each([
    ['--retention-idempotency', '1w'],
    ['--retention-nonces', '5 m'],
    ['--retention-webhooks', ''],
    ['--retention-webhook-entries', 'many'],
  ])('refuses %s %j', (flag, value) => {
    expect(() => loadConfig([flag, value], {})).toThrow(/must be/);
  });
});

describe('the sweep under a system clock', () => {
  it("runs on the scheduler's timer while the sandbox is idle", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.UTC(2026, 2, 1) });
    try {
      const sb = await makeSandbox({ frozenAt: undefined });
      const tx = sb.store.begin();
      tx.put('_nonces', { id: 'n1', tenantId: 'finext-default', at: Date.now() });
      await sb.store.commit(tx);
      sb.runtime.scheduler.runDue();
      await vi.advanceTimersByTimeAsync(5 * MINUTE - 1);
      expect(sb.store.count('_nonces')).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(sb.store.count('_nonces')).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sweeps a short period every tenth of it, so a record goes soon after its time rather than up to a minute later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.UTC(2026, 2, 1) });
    try {
      const sb = await makeSandbox({ frozenAt: undefined, retention: { noncesMs: 30_000 } });
      sb.runtime.scheduler.runDue();
      await vi.advanceTimersByTimeAsync(1000);
      const tx = sb.store.begin();
      tx.put('_nonces', { id: 'n1', tenantId: 'finext-default', at: Date.now() });
      await sb.store.commit(tx);
      // Expired at 31 s; the sweeps run every 3 s: the one at 33 s removes it.
      await vi.advanceTimersByTimeAsync(32_999 - 1000);
      expect(sb.store.count('_nonces')).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(sb.store.count('_nonces')).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('runs every minute, every tenth of a shorter period, and never more often than every second', () => {
    const kind = (keepMs: number) => ({ collection: 'c', ageOf: () => 0, keepMs });
    expect(sweepInterval([kind(Infinity), kind(DAY)])).toBe(MINUTE);
    expect(sweepInterval([kind(DAY), kind(30_000)])).toBe(3000);
    expect(sweepInterval([kind(500)])).toBe(1000);
    expect(sweepInterval([])).toBe(MINUTE);
  });
});
