/**
 * GET /__sandbox/requests/stream through a real port: server-sent events, one per new journal entry,
 * masked as GET /__sandbox/requests shows it, with its filters; heartbeats; Last-Event-ID; the admin
 * token as a bearer; the stream ends when the client goes or the sandbox closes.
 */
import { get, type IncomingMessage } from 'node:http';
import { expect, it, vi } from 'vitest';
import type { Sandbox, SandboxOptions } from '../../src/sandbox.js';
import { API_KEY } from '../helpers/onerway.js';
import { openSse as open } from '../helpers/sse.js';
import { describeStores } from '../helpers/stores.js';

const onerwayCall = (url: string, path: string, body: object) =>
  fetch(`${url}/api/v1/merchant${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ApiKey: API_KEY }, body: JSON.stringify(body) });
const finextCall = (url: string) => fetch(`${url}/api/v1/account/nothing`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

describeStores('GET /__sandbox/requests/stream', (makeSandbox) => {
  async function listening(options: SandboxOptions = {}): Promise<[Sandbox, string]> {
    const sb = await makeSandbox(options);
    return [sb, await sb.listen(0, '127.0.0.1')];
  }

  it('sends each new matching entry as an event, masked exactly as the listing shows it', async () => {
    const [, url] = await listening();
    const tail = await open(`${url}/__sandbox/requests/stream?vendor=onerway`);
    expect(tail.res.status).toBe(200);
    expect(tail.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await tail.until((s) => s.comments.length > 0);

    await finextCall(url);
    await onerwayCall(url, '/card/getCardInfo', { cardId: 999999 });
    await onerwayCall(url, '/cardholder/getCardholder', { cardholderId: 300001 });
    const { events } = await tail.until((s) => s.events.length === 2);
    const listed = (await (await fetch(`${url}/__sandbox/requests?vendor=onerway`)).json()) as { requests: any[] };
    expect(events.map((e) => e.event)).toEqual(['request', 'request']);
    expect(events.map((e) => e.data)).toEqual(listed.requests.slice().reverse());
    expect(events.map((e) => e.data.operation)).toEqual(['getCardInfo', 'getCardholder']);
    expect(Number(events[1]!.id)).toBeGreaterThan(Number(events[0]!.id));
    expect(JSON.stringify(events)).not.toContain(API_KEY);
    expect(events[0]!.data.request.headers.apikey).toMatch(/\*/);
    tail.close();
    await tail.reading;
  });

  it('ends after `limit` events; when the client hangs up, the sandbox drops its tail', async () => {
    const [sb, url] = await listening();
    const one = await open(`${url}/__sandbox/requests/stream?limit=1&operation=getCardInfo`);
    expect(sb.runtime.journal.tails).toBe(1);
    await onerwayCall(url, '/cardholder/getCardholder', { cardholderId: 300001 });
    await onerwayCall(url, '/card/getCardInfo', { cardId: 1 });
    await onerwayCall(url, '/card/getCardInfo', { cardId: 2 });
    await one.reading;
    expect(one.seen.events.map((e) => e.data.request.body)).toEqual([{ cardId: 1 }]);

    // A plain HTTP client that hangs up: the server drops its tail as the socket closes.
    const request = get(`${url}/__sandbox/requests/stream`);
    const response = await new Promise<IncomingMessage>((resolve) => request.once('response', resolve));
    expect(response.statusCode).toBe(200);
    await vi.waitFor(() => expect(sb.runtime.journal.tails).toBe(1));
    request.destroy();
    await vi.waitFor(() => expect(sb.runtime.journal.tails).toBe(0));
    await onerwayCall(url, '/card/getCardInfo', { cardId: 3 });
    expect(sb.runtime.journal.tails).toBe(0);
    expect(one.seen.events).toHaveLength(1);
  });

  it('sends heartbeat comments while nothing happens', async () => {
    const [, url] = await listening();
    const tail = await open(`${url}/__sandbox/requests/stream?heartbeat=1`);
    await tail.until((s) => s.comments.some((c) => c.startsWith('heartbeat')));
    tail.close();
    await tail.reading;
  });

  it('replays the kept entries after Last-Event-ID, then goes on live', async () => {
    const [, url] = await listening();
    await onerwayCall(url, '/card/getCardInfo', { cardId: 1 });
    const first = await open(`${url}/__sandbox/requests/stream?limit=1`);
    await onerwayCall(url, '/card/getCardInfo', { cardId: 2 });
    await first.reading;
    const lastId = first.seen.events[0]!.id!;
    await onerwayCall(url, '/card/getCardInfo', { cardId: 3 });
    await onerwayCall(url, '/card/getCardInfo', { cardId: 4 });
    const again = await open(`${url}/__sandbox/requests/stream?limit=3`, { 'last-event-id': lastId });
    await again.until((s) => s.events.length === 2);
    await onerwayCall(url, '/card/getCardInfo', { cardId: 5 });
    await again.reading;
    expect(again.seen.events.map((e) => e.data.request.body.cardId)).toEqual([3, 4, 5]);
  });

  it('replays only the kept entries after a Last-Event-ID older than the journal holds', async () => {
    const [, url] = await listening({ journalEntries: 2 });
    for (const cardId of [1, 2, 3]) await onerwayCall(url, '/card/getCardInfo', { cardId });
    const tail = await open(`${url}/__sandbox/requests/stream?limit=3`, { 'last-event-id': '0' });
    await tail.until((s) => s.events.length === 2);
    await onerwayCall(url, '/card/getCardInfo', { cardId: 4 });
    await tail.reading;
    expect(tail.seen.events.map((e) => e.data.request.body.cardId)).toEqual([2, 3, 4]);
  });

  it('goes on live after a Last-Event-ID no entry has reached yet', async () => {
    const [, url] = await listening();
    await onerwayCall(url, '/card/getCardInfo', { cardId: 1 });
    const tail = await open(`${url}/__sandbox/requests/stream?limit=1`, { 'last-event-id': '999999999' });
    await tail.until((s) => s.comments.length > 0);
    await onerwayCall(url, '/card/getCardInfo', { cardId: 2 });
    await tail.reading;
    expect(tail.seen.events.map((e) => e.data.request.body.cardId)).toEqual([2]);
  });

  it('needs the admin token as a bearer like every route; a token in the URL is refused', async () => {
    const [, url] = await listening({ adminToken: 'stream-token-123456' });
    const without = await fetch(`${url}/__sandbox/requests/stream`);
    expect(without.status).toBe(401);
    expect(((await without.json()) as any).error.code).toBe('unauthenticated');
    const inUrl = await fetch(`${url}/__sandbox/requests/stream?token=stream-token-123456`);
    expect(inUrl.status).toBe(401);
    const tail = await open(`${url}/__sandbox/requests/stream?limit=1`, { authorization: 'Bearer stream-token-123456' });
    expect(tail.res.status).toBe(200);
    await onerwayCall(url, '/card/getCardInfo', { cardId: 1 });
    await tail.reading;
    expect(tail.seen.events).toHaveLength(1);
  });

  it('refuses bad filters with the error envelope before streaming', async () => {
    const [, url] = await listening();
    for (const [query, field] of [
      ['vendor=nobank', 'vendor'],
      ['colour=red', 'colour'],
      ['status=abc', 'status'],
      ['heartbeat=0', 'heartbeat'],
    ]) {
      const res = await fetch(`${url}/__sandbox/requests/stream?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect(res.headers.get('x-sandbox-diagnostic')).toMatch(/^invalid_param: /);
      expect(((await res.json()) as any).error).toMatchObject({ code: 'invalid_param', field });
    }
  });

  it('closing the sandbox ends an open stream rather than waiting for it', async () => {
    const [sb, url] = await listening();
    const tail = await open(`${url}/__sandbox/requests/stream`);
    await tail.until((s) => s.comments.length > 0);
    await sb.close();
    await tail.reading;
    expect(tail.seen.done).toBe(true);
  });
});
