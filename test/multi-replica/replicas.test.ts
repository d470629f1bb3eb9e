/**
 * Three real sandbox processes (the CLI, `--db postgres://…`) on one database behave as one sandbox
 * (issue 15; docs/design/shared-store.md §5.5, §5.6): one effect per idempotency key sent to every
 * replica at once, exact money on one card under concurrent deposits through all three, one clock, one
 * set of fault rules, tenants made through one replica usable through the others, each due job and
 * each webhook attempt made once, and every acknowledged deposit present after a replica is killed with
 * SIGKILL in the middle of a write storm.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { API_KEY, BASE } from '../helpers/onerway.js';
import { describePostgres } from '../helpers/postgres.js';
import { postJson, startCli, type RunningSandbox } from '../helpers/process.js';
import { startReceiver } from '../helpers/receiver.js';
import { T0 } from '../helpers/sandbox.js';

type Replica = RunningSandbox;

/** An Onerway call to one replica, with the default merchant's key unless another is given. */
async function onerway(replica: Replica, path: string, body: object, apiKey = API_KEY) {
  return postJson(`${replica.url}${BASE}${path}`, body, { ApiKey: apiKey });
}

async function controlCall(replica: Replica, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${replica.url}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

let keys = 0;
const key = (prefix: string) => `${prefix}_${process.pid}_${++keys}`;

async function balance(replica: Replica, cardId: number): Promise<number> {
  const res = await onerway(replica, '/card/getCardBalance', { cardId });
  expect(res.json.respCode).toBe('20000');
  return res.json.data.balance as number;
}

async function newCard(replica: Replica, amount: number): Promise<number> {
  const res = await onerway(replica, '/card/createCard', { clientRequestId: key('CREATE'), cardholderId: 300001, productId: 1, amount });
  expect(res.json.respCode, res.text).toBe('20000');
  return res.json.data.cardId as number;
}

/** Every operate record of a card, page by page. */
async function operateRecords(replica: Replica, cardId: number): Promise<Array<{ operateRecordId: number; type: string }>> {
  const all = [];
  for (let pageNum = 1; ; pageNum++) {
    const res = await onerway(replica, '/card/getOperateRecordList', { pageNum, pageSize: 100, cardId });
    expect(res.json.respCode, res.text).toBe('20000');
    all.push(...res.json.data.records);
    if (res.json.data.records.length < 100) return all;
  }
}

describePostgres('three replicas on one database', (url) => {
  let replicas: Replica[] = [];

  const start = () => startCli(['--db', url(), '--freeze', String(T0)]);

  beforeAll(async () => {
    // The first creates the schema and loads the default scenario; the others join it.
    replicas = [await start()];
    replicas.push(...(await Promise.all([start(), start()])));
  }, 60_000);

  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGTERM');
    await Promise.all(replicas.map((r) => r.exited));
  });

  it('gives one effect and the same answer for a key sent to every replica at once', async () => {
    const [a] = replicas;
    const cardId = await newCard(a!, 100);
    const sent = Array.from({ length: 8 }, () => key('DUP'));
    // Each key sent three times to each replica, all at once: 72 requests, 8 deposits of 1.25.
    const answers = await Promise.all(
      sent.flatMap((clientRequestId) => replicas.flatMap((r) => [1, 2, 3].map(() => onerway(r, '/card/deposit', { clientRequestId, cardId, amount: 1.25 })))),
    );
    for (const [i, clientRequestId] of sent.entries()) {
      const mine = answers.slice(i * 9, i * 9 + 9);
      expect(
        mine.every((m) => m.status === 200 && m.json.respCode === '20000'),
        mine.map((m) => m.text).join('\n'),
      ).toBe(true);
      expect(new Set(mine.map((m) => m.text)).size, `${clientRequestId}: one answer, byte for byte`).toBe(1);
    }
    for (const r of replicas) expect(await balance(r, cardId)).toBe(110);
    const records = await onerway(a!, '/card/getOperateRecordList', { pageNum: 1, pageSize: 100, cardId });
    expect(records.json.data.records.filter((rec: { type: string }) => rec.type === 'DEPOSIT')).toHaveLength(8);
  });

  it('keeps money exact on one card under concurrent deposits through all three, with unique ids', async () => {
    const cardId = await newCard(replicas[0]!, 1);
    const perReplica = 30;
    const answers = await Promise.all(
      replicas.flatMap((r) =>
        Array.from({ length: perReplica }, (_, i) => onerway(r, '/card/deposit', { clientRequestId: key('MONEY'), cardId, amount: (i % 3) + 1.01 })),
      ),
    );
    expect(answers.filter((a) => a.json.respCode !== '20000').map((a) => a.text)).toEqual([]);
    // 1 to open, then per replica 10 × (1.01 + 2.01 + 3.01) = 60.30; three replicas: 180.90.
    for (const r of replicas) expect(await balance(r, cardId)).toBe(181.9);
    const ids = (await operateRecords(replicas[2]!, cardId)).map((rec) => rec.operateRecordId);
    expect(ids).toHaveLength(3 * perReplica + 1);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has one clock, one set of fault rules and one set of merchants', async () => {
    const [a, b, c] = replicas as [Replica, Replica, Replica];
    expect((await controlCall(a, 'POST', '/clock', { now: T0 + 3_600_000 })).status).toBe(200);
    for (const r of [b, c]) expect((await controlCall(r, 'GET', '/clock')).json).toEqual({ now: T0 + 3_600_000, mode: 'frozen' });

    const rule = await controlCall(b, 'POST', '/faults', { vendor: 'onerway', operation: 'regionList', fault: 'http_error', status: 503 });
    expect(rule.status).toBe(201);
    for (const r of [a, c]) {
      const res = await onerway(r, '/common/regionList', {});
      expect(res.status, res.text).toBe(503);
    }
    expect((await controlCall(c, 'DELETE', `/faults/${rule.json.id}`)).status).toBe(200);
    for (const r of replicas) expect((await onerway(r, '/common/regionList', {})).json.respCode).toBe('20000');

    const made = await controlCall(c, 'POST', '/tenants', { vendor: 'onerway' });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const apiKey = made.json.credentials.apiKey as string;
    for (const r of replicas) expect((await onerway(r, '/common/regionList', {}, apiKey)).json.respCode).toBe('20000');
  });

  it('runs each due settlement once and makes each webhook attempt once, whichever replica advances the clock', async () => {
    const [a, b, c] = replicas as [Replica, Replica, Replica];
    const receiver = await startReceiver();
    try {
      expect((await controlCall(a, 'PATCH', '/tenants/onerway-default', { webhookUrl: receiver.url, settings: { settleDelayMs: 60_000 } })).status).toBe(200);
      // Five held deposits on one card, through all three replicas.
      const cardId = await newCard(b, 1);
      await controlCall(c, 'POST', '/clock', { advanceMs: 60_000 });
      await receiver.waitFor(1);
      const before = receiver.received.length;
      for (const [i, r] of [a, b, c, a, b].entries()) {
        const res = await onerway(r, '/card/deposit', { clientRequestId: key('HELD'), cardId, amount: i + 1 });
        expect(res.json.respCode).toBe('20000');
      }
      expect(await balance(c, cardId)).toBe(1);
      // The receiver fails the first attempt of each: the ladder retries 15 s later, once.
      receiver.respondWith(500, 'down');
      const advanced = await controlCall(b, 'POST', '/clock', { advanceMs: 60_000 });
      expect(advanced.status).toBe(200);
      for (const r of replicas) expect(await balance(r, cardId)).toBe(16);
      await receiver.waitFor(before + 5);
      receiver.respondWith(200, '{"respCode":"20000","respMsg":"success"}');
      await controlCall(a, 'POST', '/clock', { advanceMs: 15_000 });
      await receiver.waitFor(before + 10);
      // Settle the replicas' idle sweeps: nothing more may arrive.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const deliveries = receiver.received.slice(before).map((r) => String(r.json.data.operateRecordId));
      // Each settlement's event twice (failed, then delivered), never three times.
      const counts = new Map<string, number>();
      for (const id of deliveries) counts.set(id, (counts.get(id) ?? 0) + 1);
      expect([...counts.values()]).toEqual([2, 2, 2, 2, 2]);
      await controlCall(a, 'PATCH', '/tenants/onerway-default', { webhookUrl: null, settings: { settleDelayMs: 0 } });
    } finally {
      await receiver.close();
    }
  });

  it('on the system clock, runs each settlement once and sends each webhook once, with every replica’s timer after them', async () => {
    const [a, b, c] = replicas as [Replica, Replica, Replica];
    const receiver = await startReceiver();
    try {
      const frozen = (await controlCall(a, 'GET', '/clock')).json.now as number;
      expect((await controlCall(a, 'PATCH', '/tenants/onerway-default', { webhookUrl: receiver.url, settings: { settleDelayMs: 300 } })).status).toBe(200);
      expect((await controlCall(b, 'POST', '/clock', { mode: 'system' })).status).toBe(200);
      const cardId = await newCard(c, 1);
      // A card is usable once its creation has settled.
      await receiver.waitFor(1);
      // A slow receiver keeps each attempt in flight while every replica's timer finds its job due.
      receiver.respondWith(200, '{"respCode":"20000","respMsg":"success"}', 800);
      for (const [i, r] of [a, b, c, a, b, c].entries()) {
        const res = await onerway(r, '/card/deposit', { clientRequestId: key('TIMER'), cardId, amount: i + 1 });
        expect(res.json.respCode, res.text).toBe('20000');
      }
      // The card's creation and six deposits settle 300 ms later, by whichever replica's timer gets there first.
      await receiver.waitFor(7);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const counts = new Map<string, number>();
      for (const r of receiver.received) counts.set(String(r.json.data.operateRecordId), (counts.get(String(r.json.data.operateRecordId)) ?? 0) + 1);
      expect([...counts.values()]).toEqual([1, 1, 1, 1, 1, 1, 1]);
      for (const r of replicas) expect(await balance(r, cardId)).toBe(22);
      await controlCall(a, 'PATCH', '/tenants/onerway-default', { webhookUrl: null, settings: { settleDelayMs: 0 } });
      await controlCall(c, 'POST', '/clock', { now: frozen });
    } finally {
      await receiver.close();
    }
  });

  it('keeps every acknowledged deposit when a replica is killed with SIGKILL in the middle of a write storm', async () => {
    const cardId = await newCard(replicas[0]!, 1);
    const acked: string[] = [];
    const victim = replicas[1]!;
    let stop = false;
    const storm = replicas.map(async (r) => {
      while (!stop) {
        const clientRequestId = key('STORM');
        try {
          const res = await onerway(r, '/card/deposit', { clientRequestId, cardId, amount: 1 });
          if (res.json.respCode === '20000') acked.push(clientRequestId);
        } catch {
          if (r === victim) return;
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    stop = true;
    await Promise.all(storm);
    expect(acked.length).toBeGreaterThan(30);
    // Every acknowledged deposit is there (a replay answers it); the balance is at least their sum (a deposit
    // committed as the victim died may have gone unacknowledged, never the reverse).
    const survivor = replicas[0]!;
    const total = await balance(survivor, cardId);
    expect(total).toBeGreaterThanOrEqual(acked.length + 1);
    const deposits = (await operateRecords(survivor, cardId)).filter((rec) => rec.type === 'DEPOSIT');
    expect(deposits).toHaveLength(total - 1);
    for (const clientRequestId of acked.slice(-20)) {
      const replay = await onerway(survivor, '/card/deposit', { clientRequestId, cardId, amount: 1 });
      expect(replay.json.respCode).toBe('20000');
    }
    expect(await balance(survivor, cardId)).toBe(total);
    // A replacement joins the database and sees the same card.
    replicas[1] = await start();
    expect(await balance(replicas[1], cardId)).toBe(total);
  });
});
