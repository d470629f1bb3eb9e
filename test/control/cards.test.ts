/**
 * GET /__sandbox/cards and /cards/<vendor>/<cardId>: every vendor's cards, filtered and paged; one card
 * with its forcible pending records and the state changes its state allows, each of which is tried
 * through the vendor's own API as the dashboard does.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_HEADER } from '../../src/core/answer.js';
import type { Sandbox } from '../../src/sandbox.js';
import { API_KEY, BASE, DEFAULT_TENANT, onerway, requestId } from '../helpers/onerway.js';
import { MERCHANT as OPENAPI } from '../helpers/openapi-cn.js';
import { control, describeStores, makeSandbox, expectContract } from '../helpers/sandbox.js';
import { readAcross } from '../../src/core/records.js';
import { VENDORS } from '../../src/vendors/index.js';

const list = async (sb: Sandbox, query = '') => {
  const body = (await control(sb).get(`/cards${query}`).expect(200)).body;
  expectContract('sandbox/cards.response', body);
  return body;
};
const detail = async (sb: Sandbox, vendor: string, cardId: string | number, query = '') => {
  const body = (await control(sb).get(`/cards/${vendor}/${cardId}${query}`).expect(200)).body;
  expectContract('sandbox/card.response', body);
  return body;
};
const showcase = async () => {
  const sb = await makeSandbox();
  await control(sb).post('/scenarios/showcase').expect(200);
  return sb;
};
const pick = (record: object, fields: readonly string[]) => Object.fromEntries(fields.map((f) => [f, (record as Record<string, unknown>)[f]]));
const refused = async (sb: Sandbox, path: string, status: number, code: string, field: string) => {
  const res = await control(sb).get(path).expect(status);
  expect(res.body).toEqual({ error: { code, field, message: expect.any(String) } });
  expect(res.headers[DIAGNOSTIC_HEADER.toLowerCase()]).toMatch(new RegExp(`^${code}: `));
};

describeStores('cards', () => {
  describe('GET /__sandbox/cards', () => {
    it("lists every vendor's cards with state, holder, masked number and exact balances", async () => {
      const sb = await showcase();
      const body = await list(sb, '?size=500');
      expect(body.more).toBe(false);
      expect(body.total).toBe(body.cards.length);
      expect(new Set(body.cards.map((c: any) => c.vendor))).toEqual(new Set(['onerway', 'finext', 'openapi-cn']));
      const api = onerway(sb);
      const card = body.cards.find((c: any) => c.vendor === 'onerway' && c.tenant === DEFAULT_TENANT && c.state === 'ACTIVE');
      const info = (await api.getCardInfo({ cardId: Number(card.cardId) })).body.data;
      const balance = (await api.getCardBalance({ cardId: Number(card.cardId) })).body.data;
      const sensitive = (await api.getCardSensitiveInfo({ cardId: Number(card.cardId) })).body.data;
      expect(card).toMatchObject({
        state: info.cardStatus,
        currency: info.currency,
        createdAt: info.createTime,
        masked: `${sensitive.cardNo.slice(0, 6)}******${sensitive.cardNo.slice(-4)}`,
        last4: sensitive.cardNo.slice(-4),
      });
      expect(card.balances).toEqual({
        available: balance.availableBalance.toFixed(2),
        balance: balance.balance.toFixed(2),
        held: (balance.balance - balance.availableBalance).toFixed(2),
      });
      const holder = (await api.getCardholder({ cardholderId: info.cardholderId })).body.data;
      expect(card.holder).toBe(`${holder.firstName} ${holder.lastName}`);
      // The full card number appears nowhere in the listing.
      expect(JSON.stringify(body)).not.toContain(sensitive.cardNo);
    });

    it('filters by vendor, tenant, state (any case), and q on card id, last 4 and holder (any case)', async () => {
      const sb = await showcase();
      const all = (await list(sb, '?size=500')).cards;
      const second = all.find((c: any) => c.vendor === 'openapi-cn' && c.tenant !== all[0].tenant).tenant;
      const ofSecond = await list(sb, `?vendor=openapi-cn&tenant=${second}&size=500`);
      expect(ofSecond.cards.length).toBeGreaterThan(0);
      expect(ofSecond.cards).toEqual(all.filter((c: any) => c.vendor === 'openapi-cn' && c.tenant === second));
      expect((await list(sb, `?vendor=onerway&tenant=${second}`)).cards).toEqual([]);
      const active = await list(sb, '?state=active&size=500');
      expect(active.cards).toEqual(all.filter((c: any) => c.state === 'ACTIVE'));
      const withHolder = all.find((c: any) => c.holder);
      const byHolder = await list(sb, `?q=${encodeURIComponent(withHolder.holder.toUpperCase())}&size=500`);
      expect(byHolder.cards).toContainEqual(withHolder);
      expect(
        byHolder.cards.every(
          (c: any) => c.holder?.toLowerCase().includes(withHolder.holder.toLowerCase()) || c.cardId.toLowerCase().includes(withHolder.holder.toLowerCase()),
        ),
      ).toBe(true);
      const withLast4 = all.find((c: any) => c.last4);
      expect((await list(sb, `?q=${withLast4.last4}&size=500`)).cards).toContainEqual(withLast4);
      expect((await list(sb, `?q=${withLast4.cardId}&vendor=${withLast4.vendor}`)).cards).toContainEqual(withLast4);
      expect((await list(sb, '?q=no-such-card-anywhere')).cards).toEqual([]);
    });

    it('pages: every card once over the pages, in the same order', async () => {
      const sb = await showcase();
      const all = (await list(sb, '?size=500')).cards;
      const seen: unknown[] = [];
      for (let page = 1; ; page++) {
        const body = await list(sb, `?size=2&page=${page}`);
        expect(body).toMatchObject({ page, size: 2, total: all.length, pages: Math.ceil(all.length / 2) });
        seen.push(...body.cards);
        if (!body.more) break;
      }
      expect(seen).toEqual(all);
      expect((await list(sb, `?size=2&page=${Math.ceil(all.length / 2) + 1}`)).cards).toEqual([]);
    });

    it('refuses unknown filters, an unknown vendor and bad paging with the error envelope', async () => {
      const sb = await makeSandbox();
      await refused(sb, '/cards?status=ACTIVE', 400, 'invalid_param', 'status');
      await refused(sb, '/cards?vendor=nobank', 400, 'invalid_param', 'vendor');
      await refused(sb, '/cards?size=0', 400, 'invalid_param', 'size');
      await refused(sb, '/cards?size=501', 400, 'invalid_param', 'size');
      await refused(sb, '/cards?page=abc', 400, 'invalid_param', 'page');
      await refused(sb, '/cards?q=', 400, 'invalid_param', 'q');
      await refused(sb, '/cards?state=a&state=b', 400, 'invalid_param', 'state');
    });
  });

  describe('GET /__sandbox/cards/<vendor>/<cardId>', () => {
    it('answers the card as listed, its pending operate record (forcible through /outcomes) and its state changes', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const cardId = await api.activeCard(100);
      await control(sb)
        .patch(`/tenants/${DEFAULT_TENANT}`, { settings: { settleDelayMs: 60_000 } })
        .expect(200);
      const listed = (await list(sb, `?vendor=onerway&q=${cardId}`)).cards.find((c: any) => c.cardId === String(cardId));
      const before = await detail(sb, 'onerway', cardId);
      expect(before).toEqual({ ...listed, actions: expect.any(Array), pending: [] });
      expect(before.actions.map((a: any) => [a.name, a.to])).toEqual([
        ['freeze', 'FROZEN'],
        ['terminate', 'TERMINATED'],
      ]);

      // The freeze action as the dashboard sends it: its path and body, plus the credentials and idempotency key.
      const freeze = before.actions.find((a: any) => a.name === 'freeze');
      const res = await request(sb.app)
        .post(freeze.path)
        .set('ApiKey', API_KEY)
        .send({ ...freeze.body, clientRequestId: requestId('FREEZE') })
        .expect(200);
      expect(res.body.respCode).toBe('20000');
      const pending = await detail(sb, 'onerway', cardId);
      expect(pending.state).toBe('ACTIVE');
      expect(pending.pending).toEqual([
        { kind: 'operateRecord', id: String(res.body.data.operateRecordId), since: expect.any(Number), outcomes: ['success', 'failed'] },
      ]);

      const [{ kind, id }] = pending.pending;
      await control(sb).post('/outcomes', { vendor: 'onerway', kind, id, outcome: 'success' }).expect(200);
      const frozen = await detail(sb, 'onerway', cardId);
      expect(frozen).toMatchObject({ state: 'FROZEN', pending: [] });
      expect(frozen.actions.map((a: any) => a.name)).toEqual(['unfreeze', 'terminate']);
      expect(BASE).toBe(freeze.path.slice(0, BASE.length));
    });

    it("openapi-cn: a physical card's freeze action works through the vendor's API; a virtual card offers cancel only", async () => {
      const sb = await showcase();
      const cards = (await list(sb, `?vendor=openapi-cn&tenant=${OPENAPI.tenant}&state=ACTIVE&size=500`)).cards;
      const details = await Promise.all(cards.map((c: any) => detail(sb, 'openapi-cn', c.cardId, `?tenant=${c.tenant}`)));
      const physical = details.find((d) => d.actions.some((a: any) => a.name === 'freeze'));
      const virtual = details.find((d) => !d.actions.some((a: any) => a.name === 'freeze'));
      expect(physical).toBeDefined();
      expect(virtual?.actions.map((a: any) => a.name)).toEqual(['cancel']);
      const freeze = physical.actions.find((a: any) => a.name === 'freeze');
      const res = await request(sb.app)
        .post(freeze.path)
        .send({ customer_id: OPENAPI.customer_id, app_id: OPENAPI.app_id, key: OPENAPI.key, ...freeze.body })
        .expect(200);
      expect(res.body.code).toBe(0);
      const after = await detail(sb, 'openapi-cn', physical.cardId, `?tenant=${physical.tenant}`);
      expect(after.state).toBe(freeze.to);
      expect(after.actions.map((a: any) => a.name)).toEqual(['unfreeze', 'cancel']);
    });

    it('finext: a submitted KYC and a preparing card are pending on the card', async () => {
      const sb = await showcase();
      const all = (await list(sb, '?vendor=finext&size=500')).cards;
      const details = await Promise.all(all.map((c: any) => detail(sb, 'finext', c.cardId, `?tenant=${c.tenant}`)));
      expect(details.every((d) => d.masked === null && d.last4 === null)).toBe(true);
      const pendingKinds = details.flatMap((d) => d.pending.map((p: any) => `${p.kind}:${d.state}`));
      expect(pendingKinds).toEqual(expect.arrayContaining(['card:PREPARING', 'kyc:AWAITING_KYC']));
      // Forcing the preparing card's mailing through /outcomes clears it from pending and moves the card.
      const preparing = details.find((d) => d.state === 'PREPARING' && d.pending.length > 0);
      const [{ kind, id }] = preparing.pending;
      await control(sb).post('/outcomes', { vendor: 'finext', kind, id, outcome: 'mailed', tenant: preparing.tenant }).expect(200);
      const mailed = await detail(sb, 'finext', preparing.cardId, `?tenant=${preparing.tenant}`);
      expect(mailed).toMatchObject({ state: 'MAILED', pending: [] });
      expect(mailed.actions.map((a: any) => a.name)).toEqual(['activate', 'block', 'report issue']);
    });

    it("reads a kind's pending records by its pendingWhile: every record its pendingOn finds pending has those values", async () => {
      const sb = await showcase();
      const pendingKinds: string[] = [];
      for (const vendor of VENDORS)
        for (const [kind, k] of Object.entries(vendor.outcomes ?? {})) {
          if (!k.pendingOn || !k.pendingWhile) continue;
          const records = await sb.store.read(k.collection);
          const pending = await readAcross(sb.store, (view) => records.filter((r) => k.pendingOn!(r, view) !== undefined));
          for (const r of pending) expect(pick(r, Object.keys(k.pendingWhile)), `${vendor.slug} ${kind} ${r.id}`).toEqual(k.pendingWhile);
          if (pending.length > 0) pendingKinds.push(`${vendor.slug} ${kind}`);
        }
      // The showcase leaves records pending of every kind that declares pendingWhile: none is checked over nothing.
      expect(pendingKinds).toEqual(['onerway operateRecord', 'finext kyc', 'finext card', 'finext topup', 'openapi-cn order']);
    });

    it('refuses an unknown vendor, an unknown card and an id two merchants share without ?tenant=', async () => {
      const sb = await makeSandbox();
      await refused(sb, '/cards/nobank/1', 404, 'route_not_found', 'vendor');
      await refused(sb, '/cards/onerway/999999', 404, 'card_not_found', 'cardId');
      await refused(sb, '/cards/onerway/100001?foo=1', 400, 'invalid_param', 'foo');
      // A merchant created from the default scenario holds copies of its cards, under the same ids.
      const copy = (await control(sb).post('/tenants', { vendor: 'openapi-cn', scenario: 'default' }).expect(201)).body.id;
      const [card] = (await list(sb, `?vendor=openapi-cn&tenant=${copy}`)).cards;
      await refused(sb, `/cards/openapi-cn/${card.cardId}`, 409, 'duplicate_resource', 'tenant');
      expect(await detail(sb, 'openapi-cn', card.cardId, `?tenant=${copy}`)).toMatchObject({ ...card, tenant: copy });
      expect((await detail(sb, 'openapi-cn', card.cardId, `?tenant=${OPENAPI.tenant}`)).tenant).toBe(OPENAPI.tenant);
    });

    it('needs the admin token as a bearer, like every route', async () => {
      const sb = await makeSandbox({ adminToken: 'cards-admin-token-0001' });
      for (const path of ['/cards', '/cards/openapi-cn/cid_fBWWMWm8aUUYy3sd']) {
        expect((await control(sb).get(path).expect(401)).body.error.code).toBe('unauthenticated');
        await request(sb.app).get(`/__sandbox${path}`).set('Authorization', 'Bearer cards-admin-token-0001').expect(200);
      }
    });
  });
});
