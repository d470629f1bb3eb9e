/**
 * The typed client's routes for the dashboard, on a real port: the card listing, one card, the clock's
 * report, and the live journal tail (fetch streaming with the admin token as a bearer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlaneError, SandboxClient, startSandbox, type StartedSandbox } from '../../src/testing/index.js';
import { API_KEY } from '../helpers/onerway.js';
import { T0, expectContract } from '../helpers/sandbox.js';

const TOKEN = 'dashboard-client-token-0001';

describe('SandboxClient: cards, clock report, journal tail', () => {
  let kit: StartedSandbox;
  let client: SandboxClient;
  beforeAll(async () => {
    kit = await startSandbox({ frozenAt: T0, strictContracts: true, logLevel: 'silent', adminToken: TOKEN });
    client = new SandboxClient({ url: kit.url, token: TOKEN });
    await client.loadScenario('showcase');
  });
  afterAll(() => kit.close());

  const onerwayCall = (path: string, body: object) =>
    fetch(`${kit.url}/api/v1/merchant${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ApiKey: API_KEY },
      body: JSON.stringify(body),
    });

  it('cards() and card(): the listing with its filters and one card with its actions', async () => {
    const page = await client.cards({ state: 'FROZEN', size: 500 });
    expectContract('sandbox/cards.response', page);
    expect(page.cards.length).toBeGreaterThan(0);
    expect(page.cards.every((c) => c.state === 'FROZEN')).toBe(true);
    const [frozen] = page.cards;
    const card = await client.card(frozen!.vendor, frozen!.cardId, { tenant: frozen!.tenant });
    expectContract('sandbox/card.response', card);
    expect(card).toMatchObject(frozen!);
    expect(card.actions.map((a) => a.name)).toContain('unfreeze');
    const missing = await client.card('onerway', '424242').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ControlPlaneError);
    expect((missing as ControlPlaneError).code).toBe('card_not_found');
  });

  it('advanceClock() answers what ran', async () => {
    await client.setClock(T0 + 86_400_000);
    const answer = await client.advanceClock(1000);
    expectContract('sandbox/clock.response', answer);
    expect(answer).toMatchObject({ now: T0 + 86_401_000, mode: 'frozen', ran: expect.any(Array) });
  });

  it('tailRequests(): yields new entries as they are recorded, masked as requests() lists them', async () => {
    const tail = client.tailRequests({ vendor: 'onerway', limit: 2 });
    const first = tail.next();
    // The tail is open once its first read is under way; the requests that follow are in it.
    while (kit.sandbox.runtime.journal.tails === 0) await new Promise((resolve) => setImmediate(resolve));
    await onerwayCall('/card/getCardInfo', { cardId: 1 });
    await onerwayCall('/card/getCardInfo', { cardId: 2 });
    const got = [(await first).value, (await tail.next()).value];
    expect((await tail.next()).done).toBe(true);
    const { requests } = await client.requests({ vendor: 'onerway', limit: 2 });
    expect(got).toEqual(requests.reverse());
    expect(JSON.stringify(got)).not.toContain(API_KEY);
  });

  it('tailRequests() stops when its signal aborts, and refuses bad filters with ControlPlaneError', async () => {
    const abort = new AbortController();
    const tail = client.tailRequests({ signal: abort.signal });
    const next = tail.next();
    while (kit.sandbox.runtime.journal.tails === 0) await new Promise((resolve) => setImmediate(resolve));
    abort.abort();
    expect((await next).done).toBe(true);
    const bad = await client
      .tailRequests({ vendor: 'nobank' })
      .next()
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ControlPlaneError);
    expect((bad as ControlPlaneError).code).toBe('invalid_param');
    const anonymous = await new SandboxClient(kit.url)
      .tailRequests()
      .next()
      .catch((e: unknown) => e);
    expect((anonymous as ControlPlaneError).status).toBe(401);
  });
});
