/**
 * Fakebank, the tests' own vendor, served beside the package's three: its operations, card machine,
 * money, request signature, webhook, magic value and forced outcome, through HTTP, every answer checked
 * against the contracts of its own folder.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox.js';
import { REGISTERED } from '../helpers/registered.js';
import { startReceiver } from '../helpers/receiver.js';
import { control, makeSandbox } from '../helpers/sandbox.js';
import { hmac, signRequest } from './auth.js';
import { MERCHANT, SEED_CARD } from './fixtures.js';

const PATHS = { createCard: '/cards/create', getCard: '/cards/get', freezeCard: '/cards/freeze', loadCard: '/cards/load' } as const;
type Name = keyof typeof PATHS;

function fakebank(sb: Sandbox) {
  const call = async (name: Name, body: object, status = 200, headers = signRequest(MERCHANT.key, MERCHANT.secret, PATHS[name], sb.clock.now())) => {
    const res = await request(sb.app).post(`/fk/v1${PATHS[name]}`).set(headers).send(body);
    expect(res.status, `${name}: ${String(res.headers['x-sandbox-diagnostic'])}`).toBe(status);
    const id = res.body.code === 'OK' ? `fakebank/${name}.response` : 'fakebank/envelope.error';
    expect(sb.runtime.contracts.problems(id, res.body), JSON.stringify(res.body)).toEqual([]);
    if (res.body.code !== 'OK') expect(res.headers['x-sandbox-diagnostic'], 'every refusal explains itself').toBeTruthy();
    return res;
  };
  return { call, ok: async (name: Name, body: object) => (await call(name, body)).body.data };
}

const sandbox = () => makeSandbox({ vendors: REGISTERED });

describe('fakebank cards', () => {
  it('issues a new card (PENDING, then ACTIVE with its first load moved from the merchant)', async () => {
    const sb = await sandbox();
    const api = fakebank(sb);
    const card = await api.ok('createCard', { reference: 'R1', holderName: 'Ada Lovelace', amount: '10.00' });
    expect(card).toMatchObject({ status: 'PENDING', balance: '0.00' });
    await control(sb).advance(0);
    expect(await api.ok('getCard', { cardId: card.cardId })).toMatchObject({ status: 'ACTIVE', balance: '10.00' });
  });

  it('freezes and unfreezes, loads money on a frozen card, and refuses to freeze twice (409 E_STATE)', async () => {
    const sb = await sandbox();
    const api = fakebank(sb);
    expect(await api.ok('freezeCard', { cardId: SEED_CARD, frozen: true })).toMatchObject({ status: 'FROZEN' });
    expect(await api.ok('loadCard', { reference: 'L1', cardId: SEED_CARD, amount: '5.00' })).toMatchObject({ status: 'FROZEN', balance: '30.00' });
    expect((await api.call('freezeCard', { cardId: SEED_CARD, frozen: true }, 409)).body.code).toBe('E_STATE');
    expect(await api.ok('freezeCard', { cardId: SEED_CARD, frozen: false })).toMatchObject({ status: 'ACTIVE' });
  });

  it('replays a load sent twice with the same reference, and refuses more than the merchant holds (402)', async () => {
    const sb = await sandbox();
    const api = fakebank(sb);
    const first = await api.ok('loadCard', { reference: 'L2', cardId: SEED_CARD, amount: '1.00' });
    expect(await api.ok('loadCard', { reference: 'L2', cardId: SEED_CARD, amount: '1.00' })).toEqual(first);
    expect((await api.call('loadCard', { reference: 'L3', cardId: SEED_CARD, amount: '5000.00' }, 402)).body.code).toBe('E_FUNDS');
  });

  it('answers an unknown card with 404 E_NOT_FOUND', async () => {
    const sb = await sandbox();
    expect((await fakebank(sb).call('getCard', { cardId: 'fk_none' }, 404)).body.code).toBe('E_NOT_FOUND');
  });
});

describe('fakebank request signature', () => {
  const signed = (path: string, now: number) => signRequest(MERCHANT.key, MERCHANT.secret, path, now);
  it.each<[string, (now: number) => Record<string, string>]>([
    ['no key', () => ({})],
    ['a wrong signature', (now) => ({ ...signed(PATHS.getCard, now), 'x-fake-signature': '0'.repeat(64) })],
    ['a stale timestamp', (now) => signed(PATHS.getCard, now - 10 * 60_000)],
    ['the signature of another path', (now) => signed(PATHS.freezeCard, now)],
    ["another merchant's key", (now) => ({ ...signed(PATHS.getCard, now), 'x-fake-key': 'fk_test_key_nobody' })],
  ])('refuses %s with 401 E_AUTH', async (_name, headers) => {
    const sb = await sandbox();
    expect((await fakebank(sb).call('getCard', { cardId: SEED_CARD }, 401, headers(sb.clock.now()))).body.code).toBe('E_AUTH');
  });
});

describe('fakebank webhooks', () => {
  it('posts card.status on every status change, signed with the merchant secret over timestamp.body', async () => {
    const sb = await sandbox();
    const receiver = await startReceiver();
    try {
      await control(sb).patch(`/tenants/${MERCHANT.id}`, { webhookUrl: receiver.url }).expect(200);
      await fakebank(sb).ok('freezeCard', { cardId: SEED_CARD, frozen: true });
      await control(sb).advance(0);
      const [hook] = await receiver.waitFor(1);
      expect(hook.json).toEqual({ event: 'card.status', cardId: SEED_CARD, status: 'FROZEN', at: sb.clock.now() });
      expect(sb.runtime.contracts.problems('fakebank/webhook.cardStatus', hook.json)).toEqual([]);
      expect(hook.headers['x-fake-signature']).toBe(hmac(MERCHANT.secret, String(hook.headers['x-fake-timestamp']), hook.body));
    } finally {
      await receiver.close();
    }
  });
});

describe('fakebank magic value and outcomes', () => {
  it('declines a card whose holder name ends in _DECLINE, moving no money', async () => {
    const sb = await sandbox();
    const api = fakebank(sb);
    const card = await api.ok('createCard', { reference: 'R2', holderName: 'Test_DECLINE', amount: '10.00' });
    await control(sb).advance(0);
    expect(await api.ok('getCard', { cardId: card.cardId })).toMatchObject({ status: 'FAILED', balance: '0.00' });
    expect((await control(sb).get('/magic-values').expect(200)).body.vendors.fakebank).toEqual([
      expect.objectContaining({ operation: 'createCard', field: 'holderName', value: '*_DECLINE' }),
    ]);
  });

  it('forces a pending card declined through POST /__sandbox/fakebank/card/<id>, and refuses it once settled (409)', async () => {
    const sb = await sandbox();
    await control(sb)
      .patch(`/tenants/${MERCHANT.id}`, { settings: { issueDelayMs: 60_000 } })
      .expect(200);
    const card = await fakebank(sb).ok('createCard', { reference: 'R3', holderName: 'Grace Hopper', amount: '10.00' });
    const forced = await control(sb).post(`/fakebank/card/${card.cardId}`, { outcome: 'declined' }).expect(200);
    expect(JSON.stringify(forced.body)).toContain('"status":"FAILED"');
    await control(sb).post(`/fakebank/card/${card.cardId}`, { outcome: 'issued' }).expect(409);
  });
});

describe('fakebank in the card listing', () => {
  it('lists its cards beside the others; a pending card shows its forcible issuing; a freeze action works through its API', async () => {
    const sb = await sandbox();
    await control(sb)
      .patch(`/tenants/${MERCHANT.id}`, { settings: { issueDelayMs: 60_000 } })
      .expect(200);
    const created = await fakebank(sb).ok('createCard', { reference: 'R4', holderName: 'Katherine Johnson', amount: '10.00' });
    const listed = (await control(sb).get('/cards?vendor=fakebank&q=katherine').expect(200)).body.cards;
    expect(listed).toEqual([
      {
        vendor: 'fakebank',
        tenant: MERCHANT.id,
        cardId: created.cardId,
        state: 'PENDING',
        holder: 'Katherine Johnson',
        masked: null,
        last4: null,
        currency: 'USD',
        balances: { available: '0.00', held: '0.00', balance: '0.00' },
        createdAt: sb.clock.now(),
      },
    ]);
    const pending = (await control(sb).get(`/cards/fakebank/${created.cardId}`).expect(200)).body;
    expect(pending).toMatchObject({ actions: [], pending: [{ kind: 'card', id: created.cardId, since: sb.clock.now(), outcomes: ['issued', 'declined'] }] });

    const seed = (await control(sb).get(`/cards/fakebank/${SEED_CARD}`).expect(200)).body;
    expect(seed).toMatchObject({ state: 'ACTIVE', balances: { available: '25.00' }, pending: [] });
    const [freeze] = seed.actions;
    expect(freeze).toMatchObject({ name: 'freeze', to: 'FROZEN', operation: 'freezeCard' });
    const res = await request(sb.app)
      .post(freeze.path)
      .set(signRequest(MERCHANT.key, MERCHANT.secret, '/cards/freeze', sb.clock.now()))
      .send(freeze.body)
      .expect(200);
    expect(res.body.data.status).toBe('FROZEN');
    expect((await control(sb).get(`/cards/fakebank/${SEED_CARD}`).expect(200)).body.actions.map((a: any) => a.name)).toEqual(['unfreeze']);
  });
});
