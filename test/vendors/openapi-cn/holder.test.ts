import { describe, expect, it } from 'vitest';
import { CARD_STATUS } from '../../../src/vendors/openapi-cn/inferred.js';
import { COLLECTIONS } from '../../../src/vendors/openapi-cn/model.js';
import type { Sandbox } from '../../../src/sandbox.js';
import { MERCHANT, SECOND, openapi } from '../../helpers/openapi-cn.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const holderBody = (overrides: Record<string, unknown> = {}) => ({
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  mobile_area_code: '+44',
  mobile: '7700900123',
  country: 'GB',
  city: 'London',
  address: '12 St James Sq',
  ...overrides,
});

async function seededHolders(sb: Sandbox, merchant = MERCHANT) {
  return (await openapi(sb, merchant).ok('holderList', '/holder/list')).list as Array<Record<string, any>>;
}

/** Gives the merchant a card of `holderId` in `status`, as the card module stores it. */
async function putCard(sb: Sandbox, holderId: string, status: number, id = 'cid_holderTest0001') {
  const tx = sb.store.begin();
  tx.put(COLLECTIONS.cards, { id, tenantId: MERCHANT.tenant, card_id: id, holder_id: holderId, status });
  await sb.store.commit(tx);
}

describeStores('openapi-cn holder', () => {
  describe('openapi-cn holder/create', () => {
    it('creates a holder that holder/detail shows with every field, optional ones null', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { holder_id } = await api.ok('holderCreate', '/holder/create', holderBody());
      expect(holder_id).toMatch(/^hid_[0-9a-f]{16}$/);
      const detail = await api.ok('holderDetail', '/holder/detail', { holder_id });
      expect(detail).toEqual({
        holder_id,
        ...holderBody(),
        birthday: null,
        id_type: null,
        id_number: null,
        state: null,
        postcode: null,
        created_at: T0,
        updated_at: T0,
      });
      expect(await sb.store.lookup(COLLECTIONS.holders, MERCHANT.tenant, holder_id)).toMatchObject({ email: 'ada@example.com' });
    });

    it('stores the optional birthday, identity document, state and postcode', async () => {
      const api = openapi(await makeSandbox());
      const extra = { birthday: '1990-12-10', id_type: 'passport', id_number: 'P1234567', state: 'Greater London', postcode: 'SW1Y 4LE' };
      const { holder_id } = await api.ok('holderCreate', '/holder/create', holderBody(extra));
      expect(await api.ok('holderDetail', '/holder/detail', { holder_id })).toMatchObject(extra);
    });

    it.each(['ada@example.com', 'ADA@EXAMPLE.COM'])('answers 3003 when %s is already used by a holder of the merchant', async (email) => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      await api.ok('holderCreate', '/holder/create', holderBody());
      const res = await api.call('holderCreate', '/holder/create', holderBody({ email, first_name: 'Other' }));
      expect(res.body).toEqual({ code: 3003, message: 'duplicate request: email already exists' });
      expect((await sb.store.read(COLLECTIONS.holders, MERCHANT.tenant)).filter((h) => (h as any).first_name === 'Other')).toEqual([]);
    });

    it('lets another merchant use an email the first merchant already uses', async () => {
      const sb = await makeSandbox();
      const [seeded] = await seededHolders(sb);
      const { holder_id } = await openapi(sb, SECOND).ok('holderCreate', '/holder/create', holderBody({ email: seeded.email }));
      expect(await sb.store.lookup(COLLECTIONS.holders, SECOND.tenant, holder_id)).toMatchObject({ email: seeded.email });
    });

    it.each(['first_name', 'last_name', 'email', 'mobile_area_code', 'mobile', 'country', 'city', 'address'])(
      'answers 1001 naming %s when it is missing',
      async (field) => {
        const sb = await makeSandbox();
        const res = await openapi(sb).call('holderCreate', '/holder/create', holderBody({ [field]: undefined }));
        expect(res.body.code).toBe(1001);
        expect(res.body.message).toContain(field);
        expect(await sb.store.read(COLLECTIONS.holders, MERCHANT.tenant)).toHaveLength(2);
      },
    );

    it.each([
      ['email', 'not-an-email'],
      ['mobile_area_code', '0044-'],
      ['mobile', '77-00'],
      ['country', 'gb'],
      ['birthday', '10/12/1990'],
      ['birthday', '2026-03-02'],
      ['id_type', 'visa'],
      ['first_name', ''],
      ['address', 42],
    ])('answers 1001 naming %s when it is %j', async (field, value) => {
      const res = await openapi(await makeSandbox()).call('holderCreate', '/holder/create', holderBody({ [field]: value }));
      expect(res.body.code).toBe(1001);
      expect(res.body.message).toContain(field);
    });

    it.each([
      ['id_number', { id_type: 'passport' }],
      ['id_type', { id_number: 'P1234567' }],
    ])('answers 1001 naming %s when the identity document comes half (%j)', async (field, half) => {
      const res = await openapi(await makeSandbox()).call('holderCreate', '/holder/create', holderBody(half));
      expect(res.body).toMatchObject({ code: 1001, message: expect.stringContaining(field) });
    });
  });

  describe('openapi-cn holder/edit', () => {
    it('changes only the fields it is given and moves updated_at', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const [before] = await seededHolders(sb);
      await control(sb).advance(5_000);
      expect(await api.ok('holderEdit', '/holder/edit', { holder_id: before.holder_id, city: 'Oakland', postcode: '94607' })).toEqual({
        holder_id: before.holder_id,
      });
      const after = await api.ok('holderDetail', '/holder/detail', { holder_id: before.holder_id });
      expect(after).toEqual({ ...before, city: 'Oakland', postcode: '94607', updated_at: T0 + 5_000 });
    });

    it('answers 3003 when the new email belongs to another holder, and changes nothing', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const [first, second] = await seededHolders(sb);
      const res = await api.call('holderEdit', '/holder/edit', { holder_id: first.holder_id, email: second.email.toUpperCase(), city: 'Changed' });
      expect(res.body.code).toBe(3003);
      expect(await api.ok('holderDetail', '/holder/detail', { holder_id: first.holder_id })).toEqual(first);
    });

    it('lets a holder keep its own email with another case', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const [holder] = await seededHolders(sb);
      await api.ok('holderEdit', '/holder/edit', { holder_id: holder.holder_id, email: holder.email.toUpperCase() });
      expect((await api.ok('holderDetail', '/holder/detail', { holder_id: holder.holder_id })).email).toBe(holder.email.toUpperCase());
    });

    it.each([
      ['holder_id', { city: 'X' }],
      ['country', { country: 'USA' }],
    ])('answers 1001 naming %s (%j)', async (field, fields) => {
      const sb = await makeSandbox();
      const [holder] = await seededHolders(sb);
      const res = await openapi(sb).call('holderEdit', '/holder/edit', { ...(field === 'holder_id' ? {} : { holder_id: holder.holder_id }), ...fields });
      expect(res.body).toMatchObject({ code: 1001, message: expect.stringContaining(field) });
    });
  });

  describe('openapi-cn holder/detail, edit and delete of unknown holders', () => {
    it.each([
      ['holderDetail', '/holder/detail'],
      ['holderEdit', '/holder/edit'],
      ['holderDelete', '/holder/delete'],
    ])("%s answers 1004 for an unknown holder_id and for another merchant's holder", async (operation, path) => {
      const sb = await makeSandbox();
      const [theirs] = await seededHolders(sb, SECOND);
      const api = openapi(sb);
      expect((await api.call(operation, path, { holder_id: 'hid_0000000000000000' })).body).toEqual({
        code: 1004,
        message: 'resource not found: holder_id not found',
      });
      expect((await api.call(operation, path, { holder_id: theirs.holder_id })).body.code).toBe(1004);
      expect(await sb.store.lookup(COLLECTIONS.holders, SECOND.tenant, theirs.holder_id)).toMatchObject({ email: theirs.email });
    });
  });

  describe('openapi-cn holder/list', () => {
    it("lists the merchant's holders newest first, paged", async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const seeded = await seededHolders(sb);
      expect(seeded).toHaveLength(2);
      const { holder_id } = await api.ok('holderCreate', '/holder/create', holderBody());
      const first = await api.ok('holderList', '/holder/list', { page: 1, page_size: 2 });
      expect({ ...first, list: first.list.map((h: any) => h.holder_id) }).toEqual({ list: [holder_id, seeded[0].holder_id], total: 3, page: 1, page_size: 2 });
      const second = await api.ok('holderList', '/holder/list', { page: 2, page_size: 2 });
      expect(second.list).toEqual([seeded[1]]);
    });

    it('filters by email in any case and by a part of the name', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const [, other] = await seededHolders(sb);
      await api.ok('holderCreate', '/holder/create', holderBody());
      expect((await api.ok('holderList', '/holder/list', { email: 'ADA@example.com' })).list.map((h: any) => h.first_name)).toEqual(['Ada']);
      expect((await api.ok('holderList', '/holder/list', { name: 'a lovel' })).list.map((h: any) => h.email)).toEqual(['ada@example.com']);
      expect((await api.ok('holderList', '/holder/list', { name: other.last_name.toUpperCase() })).list.map((h: any) => h.holder_id)).toContain(
        other.holder_id,
      );
      expect(await api.ok('holderList', '/holder/list', { email: 'nobody@example.com' })).toEqual({ list: [], total: 0, page: 1, page_size: 20 });
    });

    it("shows neither merchant the other's holders", async () => {
      const sb = await makeSandbox();
      await openapi(sb).ok('holderCreate', '/holder/create', holderBody());
      const mine = (await seededHolders(sb)).map((h) => h.holder_id);
      const theirs = (await seededHolders(sb, SECOND)).map((h) => h.holder_id);
      expect(mine).toHaveLength(3);
      expect(theirs).toHaveLength(2);
      expect(mine.filter((id) => theirs.includes(id))).toEqual([]);
    });

    it.each([
      ['page', 0],
      ['page_size', 101],
      ['page_size', 0],
    ])('answers 1001 naming %s when it is %j', async (field, value) => {
      const res = await openapi(await makeSandbox()).call('holderList', '/holder/list', { [field]: value });
      expect(res.body).toMatchObject({ code: 1001, message: expect.stringContaining(field) });
    });
  });

  describe('openapi-cn holder/delete', () => {
    it('deletes a holder without cards; holder/detail then answers 1004', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { holder_id } = await api.ok('holderCreate', '/holder/create', holderBody());
      expect((await api.call('holderDelete', '/holder/delete', { holder_id })).body).toEqual({ code: 0, message: 'success' });
      expect(await sb.store.lookup(COLLECTIONS.holders, MERCHANT.tenant, holder_id)).toBeUndefined();
      expect((await api.call('holderDetail', '/holder/detail', { holder_id })).body.code).toBe(1004);
    });

    it.each(Object.entries(CARD_STATUS).filter(([name]) => !['CANCELLED', 'FAILED'].includes(name)))(
      'answers 2002 while the holder has a card in status %s (%i)',
      async (_name, status) => {
        const sb = await makeSandbox();
        const api = openapi(sb);
        const { holder_id } = await api.ok('holderCreate', '/holder/create', holderBody());
        await putCard(sb, holder_id, status);
        const res = await api.call('holderDelete', '/holder/delete', { holder_id });
        expect(res.body).toEqual({ code: 2002, message: 'card status not allowed: holder has cards that are not cancelled' });
        expect(await sb.store.lookup(COLLECTIONS.holders, MERCHANT.tenant, holder_id)).toBeDefined();
      },
    );

    it('names each of the holder’s cards that blocks the deletion, oldest first, and only those', async () => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { holder_id } = await api.ok('holderCreate', '/holder/create', holderBody());
      await putCard(sb, holder_id, CARD_STATUS.FROZEN, 'cid_holderTest0001');
      await putCard(sb, holder_id, CARD_STATUS.CANCELLED, 'cid_holderTest0002');
      await putCard(sb, 'hid_someoneElse000', CARD_STATUS.ACTIVE, 'cid_holderTest0003');
      await putCard(sb, holder_id, CARD_STATUS.OPENING, 'cid_holderTest0004');
      await putCard(sb, holder_id, CARD_STATUS.FAILED, 'cid_holderTest0005');
      const res = await api.call('holderDelete', '/holder/delete', { holder_id });
      expect(res.body.code).toBe(2002);
      expect(res.headers['x-sandbox-diagnostic']).toBe(
        `invalid_state: holder ${holder_id} still has 2 card(s) not cancelled or failed: cid_holderTest0001 (status 2), cid_holderTest0004 (status 0)`,
      );
    });

    it("answers 2002 for the holder of the seed's active card cid_fBWWMWm8aUUYy3sd", async () => {
      const sb = await makeSandbox();
      const card = (await sb.store.lookup(COLLECTIONS.cards, MERCHANT.tenant, 'cid_fBWWMWm8aUUYy3sd')) as unknown as { holder_id: string; status: number };
      expect(card.status).toBe(CARD_STATUS.ACTIVE);
      const res = await openapi(sb).call('holderDelete', '/holder/delete', { holder_id: card.holder_id });
      expect(res.body.code).toBe(2002);
      expect(await sb.store.lookup(COLLECTIONS.holders, MERCHANT.tenant, card.holder_id)).toBeDefined();
    });

    it.each([CARD_STATUS.CANCELLED, CARD_STATUS.FAILED])('deletes a holder whose only card is in final status %i', async (status) => {
      const sb = await makeSandbox();
      const api = openapi(sb);
      const { holder_id } = await api.ok('holderCreate', '/holder/create', holderBody());
      await putCard(sb, holder_id, status);
      await putCard(sb, 'hid_someoneElse000', CARD_STATUS.ACTIVE, 'cid_holderTest0002');
      await api.ok('holderDelete', '/holder/delete', { holder_id });
      expect(await sb.store.lookup(COLLECTIONS.holders, MERCHANT.tenant, holder_id)).toBeUndefined();
    });

    it('answers 1001 naming holder_id when it is missing', async () => {
      const res = await openapi(await makeSandbox()).call('holderDelete', '/holder/delete');
      expect(res.body).toMatchObject({ code: 1001, message: expect.stringContaining('holder_id') });
    });
  });
});
