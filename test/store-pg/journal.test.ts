/**
 * The request journal on PostgreSQL (docs/design/shared-store.md §5.6): two sandboxes on one database
 * (two replicas) show one journal, every replica's requests in one order, masked, through either one's
 * GET /__sandbox/requests and stream; a Last-Event-ID means the same entry on both; the table is kept to
 * the newest journalEntries; and the journal waits out a database that does not answer without failing
 * a request (tried through a proxy that is shut and opened again).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { pino } from 'pino';
import request from 'supertest';
import { afterEach, expect, it, vi } from 'vitest';
import { Clock } from '../../src/core/clock.js';
import { RequestTrace } from '../../src/core/journal.js';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { PgJournal } from '../../src/store-pg/journal.js';
import { createPool } from '../../src/store-pg/pool.js';
import { VENDORS } from '../../src/vendors/index.js';
import { API_KEY, BASE } from '../helpers/onerway.js';
import { describePostgres } from '../helpers/postgres.js';
import { expectContract, T0 } from '../helpers/sandbox.js';
import { openSse } from '../helpers/sse.js';

const CARD_NUMBER = '4111111111111111';

const opened: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((sb) => sb.close()));
});

/** Two replicas on the database at `db`, listening on ports of their own. */
async function replicas(db: string, options: { journalEntries?: number } = {}): Promise<Array<{ sb: Sandbox; url: string }>> {
  const out = [];
  for (let i = 0; i < 2; i++) {
    const sb = await createSandbox({ db, frozenAt: T0, logLevel: 'silent', strictContracts: true, ...options });
    opened.push(sb);
    out.push({ sb, url: await sb.listen(0, '127.0.0.1') });
  }
  // Each test starts from an empty journal (the suite's tests share the database).
  await sql(db, 'DELETE FROM journal');
  return out;
}

async function sql(db: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** getCardInfo of a card no one has: the vendor's own error envelope, journaled like any answer. */
async function getCardInfo(sb: Sandbox, body: object): Promise<void> {
  const res = await request(sb.app).post(`${BASE}/card/getCardInfo`).set('ApiKey', API_KEY).send(body).expect(200);
  expectContract('onerway/envelope.error', res.body);
}

async function journal(sb: Sandbox, query = ''): Promise<any[]> {
  return (await request(sb.app).get(`/__sandbox/requests${query}`).expect(200)).body.requests as any[];
}

async function tableRows(db: string): Promise<Array<{ seq: string; entry: string }>> {
  return (await sql(db, 'SELECT seq, entry::text AS entry FROM journal ORDER BY seq')).rows as Array<{ seq: string; entry: string }>;
}

describePostgres('the request journal on PostgreSQL, two replicas on one database', (url) => {
  it("lists both replicas' requests through either, in one order, masked, and keeps no secret in the table", async () => {
    const [a, b] = await replicas(url());
    await getCardInfo(a!.sb, { cardId: 1 });
    await getCardInfo(b!.sb, { cardId: 2, note: CARD_NUMBER });
    await getCardInfo(a!.sb, { cardId: 3 });
    await getCardInfo(b!.sb, { cardId: 4 });
    // Each replica writes its own buffer before it lists: after both have listed, the table has all four.
    await journal(a!.sb);
    await journal(b!.sb);
    const fromA = await journal(a!.sb);
    const fromB = await journal(b!.sb);
    expect(fromA).toEqual(fromB);
    const cards = fromA.map((e) => e.request.body.cardId);
    expect([...cards].sort()).toEqual([1, 2, 3, 4]);
    // Each replica's own requests keep their order (newest first).
    expect(cards.filter((c) => c % 2 === 1)).toEqual([3, 1]);
    expect(cards.filter((c) => c % 2 === 0)).toEqual([4, 2]);
    for (const entry of fromA) {
      expect(entry).toMatchObject({ vendor: 'onerway', operation: 'getCardInfo', status: 200, at: T0 });
      expect(entry.request.headers.apikey).toBe('****');
    }
    expect(fromA.find((e) => e.request.body.cardId === 2).request.body.note).toBe('************1111');
    expect(JSON.stringify(fromA)).not.toContain(API_KEY);
    expect(JSON.stringify(fromA)).not.toContain(CARD_NUMBER);
    // The filters are the in-memory journal's, over every replica's entries.
    expect((await journal(b!.sb, '?limit=2')).map((e) => e.request.body.cardId)).toEqual(cards.slice(0, 2));
    expect(await journal(a!.sb, '?vendor=finext')).toEqual([]);
    expect((await journal(a!.sb, '?code=40000&status=200')).length).toBe(4);
    // Masked before it is written: neither secret ever reaches the database.
    const rows = await tableRows(url());
    expect(rows).toHaveLength(4);
    expect(JSON.stringify(rows)).not.toContain(API_KEY);
    expect(JSON.stringify(rows)).not.toContain(CARD_NUMBER);
  });

  it("streams on one replica a request made to the other, with the table's seq as its id", async () => {
    const [a, b] = await replicas(url());
    const tail = await openSse(`${a!.url}/__sandbox/requests/stream?operation=getCardInfo`);
    await tail.until((s) => s.comments.some((c) => c.startsWith('tailing')));
    await getCardInfo(b!.sb, { cardId: 21 });
    await getCardInfo(a!.sb, { cardId: 22 });
    const { events } = await tail.until((s) => s.events.length === 2);
    expect(events.map((e) => e.data.request.body.cardId).sort()).toEqual([21, 22]);
    const rows = await tableRows(url());
    expect(events.map((e) => e.id)).toEqual(rows.map((r) => r.seq));
    // The event is the entry as either replica lists it.
    const listed = await journal(b!.sb);
    expect(events.map((e) => e.data)).toEqual(listed.slice().reverse());
    tail.close();
    await tail.reading;
  });

  it('replays after a Last-Event-ID given to the other replica, then goes on live', async () => {
    const [a, b] = await replicas(url());
    const first = await openSse(`${a!.url}/__sandbox/requests/stream?limit=1`);
    await first.until((s) => s.comments.some((c) => c.startsWith('tailing')));
    await getCardInfo(a!.sb, { cardId: 31 });
    await first.reading;
    const lastId = first.seen.events[0]!.id!;
    await getCardInfo(a!.sb, { cardId: 32 });
    // Written before 33 is made, so that 32 comes first in the one order.
    await journal(a!.sb);
    await getCardInfo(b!.sb, { cardId: 33 });
    const again = await openSse(`${b!.url}/__sandbox/requests/stream?limit=3`, { 'last-event-id': lastId });
    await again.until((s) => s.events.length === 2);
    await getCardInfo(a!.sb, { cardId: 34 });
    await again.reading;
    expect(again.seen.events.map((e) => e.data.request.body.cardId)).toEqual([32, 33, 34]);
    expect(again.seen.events.map((e) => Number(e.id)).every((id) => id > Number(lastId))).toBe(true);
  });

  it('keeps the newest journalEntries of every replica, in the listing and in the table', async () => {
    const [a, b] = await replicas(url(), { journalEntries: 3 });
    for (let i = 1; i <= 6; i++) {
      await getCardInfo((i % 2 ? a : b)!.sb, { cardId: 40 + i });
      // Listing writes the replica's buffer: the entries reach the table in the order they were made.
      await journal((i % 2 ? a : b)!.sb);
    }
    expect((await journal(a!.sb)).map((e) => e.request.body.cardId)).toEqual([46, 45, 44]);
    expect((await journal(b!.sb)).map((e) => e.request.body.cardId)).toEqual([46, 45, 44]);
    expect((await tableRows(url())).length).toBeLessThanOrEqual(3);
    // DELETE empties it for every replica, and counts what was kept.
    expect((await request(b!.sb.app).delete('/__sandbox/requests').expect(200)).body).toEqual({ status: 'ok', removed: 3 });
    expect(await journal(a!.sb)).toEqual([]);
  });
});

/** A TCP proxy to PostgreSQL that the test can shut (every connection cut) and open again on the same port. */
async function proxyTo(target: URL): Promise<{ url: string; shut(): Promise<void>; open(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const shut = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
  };
  await open();
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;
  return { url: url.toString(), shut, open, close: shut };
}

/** A finished vendor request, as the pipeline hands it to the journal. */
function finish(journal: PgJournal, cardId: number, id = `req-${cardId}`): void {
  const req = Object.assign(Object.create(null) as object, {
    id,
    method: 'POST',
    originalUrl: `${BASE}/card/getCardInfo`,
    headers: { apikey: API_KEY },
    body: Buffer.from(`{"cardId":${cardId}}`),
  });
  new RequestTrace(journal, req as never, 'onerway', 'getCardInfo').finish(200, '{"respCode":"20000","respMsg":"success"}');
}

describePostgres('the PostgreSQL journal while the database does not answer', (url) => {
  it('keeps recording without failing, holds the newest entries up to its bound, writes them when the database is back and counts the dropped', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    // The sandbox migrates the database (the journal does not).
    const sb = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent' });
    await sb.close();
    const proxy = await proxyTo(new URL(url()));
    const journal = new PgJournal(createPool(proxy.url, { size: 2 }), VENDORS, new Clock(T0), log, {
      maxEntries: 100,
      maxBodyBytes: 1024,
      maxBuffered: 3,
      flushMs: 1,
    });
    try {
      finish(journal, 1);
      await journal.flush();
      await proxy.shut();
      for (let i = 2; i <= 6; i++) finish(journal, i);
      await expect(journal.flush()).rejects.toMatchObject({ code: 'internal', diagnostic: expect.stringMatching(/^database unavailable: /) });
      expect(journal.buffered).toBe(3);
      expect(journal.dropped).toBe(2);
      expect(lines.join('')).toContain('journal: cannot write to the database');
      const listing = (async () => {
        for await (const _ of journal.entries()) break;
      })();
      await expect(listing).rejects.toMatchObject({ code: 'internal' });

      await proxy.open();
      await journal.flush();
      expect(journal.buffered).toBe(0);
      const ids: string[] = [];
      for await (const entry of journal.entries()) ids.push(entry.id);
      // The newest three of the five recorded while it was down, after the one written before.
      expect(ids).toEqual(['req-6', 'req-5', 'req-4', 'req-1']);
      expect(lines.join('')).toContain('2 entries were dropped meanwhile');
    } finally {
      await journal.close();
      await proxy.close();
    }
  });
});

describePostgres('a sandbox whose database stops answering, for the journal', (url) => {
  it('answers the listing with the internal error meanwhile, and lists what was recorded meanwhile once the database is back', async () => {
    const proxy = await proxyTo(new URL(url()));
    const sb = await createSandbox({ db: proxy.url, frozenAt: T0, logLevel: 'silent', strictContracts: true });
    try {
      await getCardInfo(sb, { cardId: 51 });
      expect((await journal(sb)).map((e) => e.request.body.cardId)).toEqual([51]);
      await proxy.shut();
      // The store cannot answer either: the vendor's own internal-error envelope, journaled like any answer.
      const down = await request(sb.app).post(`${BASE}/card/getCardInfo`).set('ApiKey', API_KEY).set('X-Request-Id', 'while-down').send({ cardId: 52 });
      expectContract('onerway/envelope.error', down.body);
      const listing = await request(sb.app).get('/__sandbox/requests');
      // 503: the control plane's answer while the database cannot be reached (test/store-pg/failure.test.ts).
      expect(listing.status).toBe(503);
      expect(listing.body.error.code).toBe('internal');
      expect(listing.headers['x-sandbox-diagnostic']).toMatch(/database unavailable/);
      await proxy.open();
      const back = await journal(sb);
      expect(back.map((e) => e.id)).toEqual(['while-down', expect.any(String)]);
      expect(back[0]).toMatchObject({ operation: 'getCardInfo', diagnostic: expect.stringMatching(/database unavailable/) });
      // Read before the sync that failed: the refused request's body is in its entry.
      expect(back[0].request.body).toEqual({ cardId: 52 });
      expect(back[1].request.body).toEqual({ cardId: 51 });
    } finally {
      await sb.close();
      await proxy.close();
    }
  });
});

describePostgres('the PostgreSQL journal written by two replicas at once', (url) => {
  it("gives a tail every replica's entry once, in seq order, while both write concurrently", async () => {
    const sb = await createSandbox({ db: url(), frozenAt: T0, logLevel: 'silent' });
    await sb.close();
    const log = pino({ level: 'silent' });
    const options = { maxEntries: 10_000, maxBodyBytes: 1024, flushMs: 0, pollMs: 1 };
    const [a, b] = [0, 1].map(() => new PgJournal(createPool(url(), { size: 3 }), VENDORS, new Clock(T0), log, options));
    const seen: Array<{ id: string; seq: number }> = [];
    let opened = false;
    a!.tail({}, { opened: () => void (opened = true), send: (entry, seq) => void seen.push({ id: entry.id, seq }), end: () => undefined });
    try {
      await vi.waitFor(() => expect(opened).toBe(true));
      // Many small writes from both, so that their INSERTs overlap while the tail reads.
      for (let round = 0; round < 200; round++) {
        for (let i = 0; i < 5; i++) {
          finish(a!, i, `a-${round}-${i}`);
          finish(b!, i, `b-${round}-${i}`);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all([a!.flush(), b!.flush()]);
      await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(2000), { timeout: 20_000 });
      expect(seen).toHaveLength(2000);
      expect(new Set(seen.map((e) => e.id)).size).toBe(2000);
      const seqs = seen.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    } finally {
      await a!.close();
      await b!.close();
    }
  }, 60_000);
});
