/**
 * A COMMIT whose answer is lost with the connection (the database committed; the replica never heard):
 * the PostgreSQL store asks the database, on another connection, whether the transaction took, and
 * answers the request as it went. Tried through a proxy that lets a write trip through to the database
 * and then cuts the connection before the answer comes back.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { onerway } from '../helpers/onerway.js';
import { describePostgres } from '../helpers/postgres.js';
import { T0 } from '../helpers/sandbox.js';

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

/**
 * A TCP proxy to PostgreSQL. Once `cutNext(when)` is called, the next write trip a client sends (its
 * records' upsert and COMMIT) reaches the database ('after') or not ('before'), and then the connection
 * is cut with nothing of the answer passed back.
 */
async function proxyTo(target: URL): Promise<{ url: string; cutNext(when: 'after' | 'before'): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let armed: (() => void) | undefined;
  let forward = true;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    let cut = false;
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      const trip = armed !== undefined && text.includes('card_sandbox_put_many') && text.includes('COMMIT');
      if (!cut && (!trip || forward)) upstream.write(chunk);
      if (trip) {
        const done = armed!;
        armed = undefined;
        cut = true;
        // The database has the trip; long enough for it to commit, then the connection goes, unanswered.
        setTimeout(() => {
          client.destroy();
          upstream.destroy();
          done();
        }, 300);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cut) client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    url: url.toString(),
    cutNext: (when) => {
      forward = when === 'after';
      return new Promise<void>((resolve) => (armed = resolve));
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describePostgres('a COMMIT whose answer is lost', (url) => {
  /** A sandbox on the test's database through a proxy, with an active Onerway card. */
  async function throughProxy() {
    const proxy = await proxyTo(new URL(url()));
    opened.push(proxy);
    const sb: Sandbox = await createSandbox({ db: proxy.url, frozenAt: T0, logLevel: 'silent' });
    opened.unshift(sb);
    const api = onerway(sb);
    return { proxy, api, cardId: await api.activeCard() };
  }

  it('answers the request as committed when the database took it, and a retry replays it without a second effect', async () => {
    const { proxy, api, cardId } = await throughProxy();
    const balance = async () => (await api.getCardBalance({ cardId })).body.data.balance as number;
    // What one deposit of 10 moves, answered as usual.
    const start = await balance();
    expect((await api.deposit({ clientRequestId: 'ANSWERED-1', cardId, amount: 10 })).body.respCode).toBe('20000');
    const before = await balance();

    const cut = proxy.cutNext('after');
    const deposit = { clientRequestId: 'LOST-ANSWER-1', cardId, amount: 10 };
    const answered = await api.deposit(deposit);
    await cut;
    expect(answered.body.respCode, answered.headers['x-sandbox-diagnostic']).toBe('20000');

    // It happened once: the retry replays the same answer, and the money moved once.
    const again = await api.deposit(deposit);
    expect(again.body).toEqual(answered.body);
    expect((await balance()) - before).toBe(before - start);
    expect((await api.records({ cardId })).filter((r) => r.clientRequestId === 'LOST-ANSWER-1')).toHaveLength(1);
  });

  it('answers the internal error saying the transaction did not commit when the trip never reached the database, and the retry applies it once', async () => {
    const { proxy, api, cardId } = await throughProxy();
    const deposit = { clientRequestId: 'LOST-TRIP-1', cardId, amount: 10 };

    const cut = proxy.cutNext('before');
    const refused = await api.deposit(deposit);
    await cut;
    expect(refused.body.respCode).not.toBe('20000');
    expect(refused.headers['x-sandbox-diagnostic']).toMatch(/^internal: database unavailable: .*; the transaction did not commit$/);
    expect((await api.records({ cardId })).filter((r) => r.clientRequestId === 'LOST-TRIP-1')).toHaveLength(0);

    expect((await api.deposit(deposit)).body.respCode).toBe('20000');
    expect((await api.records({ cardId })).filter((r) => r.clientRequestId === 'LOST-TRIP-1')).toHaveLength(1);
  });
});
