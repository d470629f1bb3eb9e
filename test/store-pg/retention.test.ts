/**
 * The retention sweep over both stores: the file store sweeps its memory, PostgreSQL reads a page at a
 * time (src/store-pg/sweep.ts); the same records go at the same sandbox times. Records are read through
 * the port (`lookup`, `read`), which both stores answer.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/config.js';
import type { RetentionPolicy } from '../../src/core/retention.js';
import type { Sandbox } from '../../src/sandbox.js';
import { onerway, requestId } from '../helpers/onerway.js';
import { describePostgres } from '../helpers/postgres.js';
import { startReceiver } from '../helpers/receiver.js';
import { control, makeSandbox } from '../helpers/sandbox.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A new Onerway merchant of the sandbox's, so that the cases do not share records on one database. */
async function merchant(sb: Sandbox): Promise<{ id: string; apiKey: string }> {
  const made = await control(sb).post('/tenants', { vendor: 'onerway' }).expect(201);
  return { id: made.body.id as string, apiKey: made.body.credentials.apiKey as string };
}

function retentionCases(db: () => string): void {
  const withRetention = (retention: Partial<RetentionPolicy> = {}) => makeSandbox({ db: db(), retention: { ...DEFAULTS.retention, ...retention } });

  it('replays an answer for 24 h, then keeps the key as used for 7 days, then forgets it', async () => {
    const sb = await withRetention();
    const m = await merchant(sb);
    const api = onerway(sb, m.apiKey);
    const cardId = await api.activeCard();
    const body = { clientRequestId: 'DEP_RETAINED', cardId, amount: 10 };
    const first = await api.deposit(body);
    await control(sb).advance(DAY - 1);
    expect((await api.deposit(body)).text).toBe(first.text);
    expect(await sb.store.lookup('_idempotency', m.id, 'DEP_RETAINED')).toBeDefined();

    const swept = await control(sb).advance(1);
    expect(swept.body.ran).toContainEqual(expect.objectContaining({ kind: 'expiry', job: 'retention' }));
    expect(await sb.store.lookup('_idempotency', m.id, 'DEP_RETAINED')).toBeUndefined();
    expect(await sb.store.lookup('_idempotency_keys', m.id, 'DEP_RETAINED')).toBeDefined();
    expect((await api.deposit(body)).body.respCode).toBe('80010');

    await control(sb).advance(7 * DAY - DAY);
    expect(await sb.store.lookup('_idempotency_keys', m.id, 'DEP_RETAINED')).toBeUndefined();
    expect((await api.deposit(body)).body.respCode).toBe('20000');
  });

  it('keeps the newest N finished webhook deliveries per merchant', async () => {
    const receiver = await startReceiver();
    try {
      const sb = await withRetention({ webhookEntries: 2 });
      const m = await merchant(sb);
      await control(sb).patch(`/tenants/${m.id}`, { webhookUrl: receiver.url }).expect(200);
      const api = onerway(sb, m.apiKey);
      const cardId = await api.activeCard();
      for (let i = 0; i < 3; i++) await api.deposit({ clientRequestId: `DEP_N_${i}_${requestId()}`, cardId, amount: 1 });
      await receiver.waitFor(4);
      await sb.runtime.scheduler.idle();
      expect(await sb.store.read('_webhook_deliveries', m.id)).toHaveLength(4);
      await control(sb).advance(MINUTE);
      const kept = (await sb.store.read('_webhook_deliveries', m.id)) as unknown as Array<{ body: string }>;
      expect(kept.map((d) => (JSON.parse(d.body).data.clientRequestId as string).slice(0, 7))).toEqual(['DEP_N_1', 'DEP_N_2']);
    } finally {
      await receiver.close();
    }
  });
}

describe('retention on the file store', () => retentionCases(() => ':memory:'));
describePostgres('retention on PostgreSQL', (url) => retentionCases(url));
