import { describe, expect, it } from 'vitest';
import { DEFAULT_TENANT, SECOND_API_KEY, cardholderBody, onerway } from '../../helpers/onerway.js';
import { T0, control, makeSandbox, describeStores } from '../../helpers/sandbox.js';

describeStores('onerway cardholder', () => {
  describe('onerway cardholder/createCardholder', () => {
    it('creates a cardholder numbered after the seeded ones and stores every field', async () => {
      const sb = await makeSandbox();
      const body = cardholderBody();
      const res = await onerway(sb).createCardholder(body);
      expect(res.body).toEqual({ respCode: '20000', respMsg: 'success', data: { cardholderId: 300003 } });
      const { clientRequestId: _id, ...fields } = body;
      expect(await sb.store.lookup('onerway.cardholders', DEFAULT_TENANT, '300003')).toMatchObject({
        ...fields,
        cardholderId: 300003,
        createTime: T0,
        updateTime: T0,
      });
    });

    it('stores the optional cityCode, postCode and birthday as null when they are left out', async () => {
      const api = onerway(await makeSandbox());
      const { body } = await api.createCardholder(cardholderBody({ cityCode: undefined, postCode: undefined, birthday: undefined }));
      const holder = (await api.getCardholder({ cardholderId: body.data.cardholderId })).body.data;
      expect(holder).toMatchObject({ cityCode: null, postCode: null, birthday: null });
    });

    it.each(['ada@example.com', 'ADA@EXAMPLE.COM', 'Ada@Example.Com'])('answers 80002 when %s is already used, whatever its case', async (email) => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      expect((await api.createCardholder(cardholderBody({ email: 'ada@example.com' }))).body.respCode).toBe('20000');
      const res = await api.createCardholder(cardholderBody({ email }));
      expect(res.body).toEqual({ respCode: '80002', respMsg: 'Cardholder email already exists', data: null });
      expect(await sb.store.read('onerway.cardholders', DEFAULT_TENANT)).toHaveLength(2);
    });

    it('lets another merchant register an email the first merchant already uses', async () => {
      const sb = await makeSandbox();
      expect((await onerway(sb).createCardholder(cardholderBody({ email: 'shared@example.com' }))).body.respCode).toBe('20000');
      const res = await onerway(sb, SECOND_API_KEY).createCardholder(cardholderBody({ email: 'shared@example.com' }));
      expect(res.body.respCode).toBe('20000');
    });

    it.each(['clientRequestId', 'firstName', 'lastName', 'email', 'mobileAreaCode', 'mobile', 'regionCode', 'address'])(
      'answers 40000 naming %s when it is missing',
      async (field) => {
        const sb = await makeSandbox();
        const res = await onerway(sb).createCardholder(cardholderBody({ [field]: undefined }));
        expect(res.body.respCode).toBe('40000');
        expect(res.body.respMsg).toContain(field);
        expect(await sb.store.read('onerway.cardholders', DEFAULT_TENANT)).toHaveLength(1);
      },
    );

    it.each([
      ['email', 'not-an-email'],
      ['mobileAreaCode', '44'],
      ['mobile', '77-00'],
      ['regionCode', 'gb'],
      ['birthday', '10/12/1990'],
      ['firstName', ''],
      ['address', 42],
    ])('answers 40000 naming %s when it is %j', async (field, value) => {
      const res = await onerway(await makeSandbox()).createCardholder(cardholderBody({ [field]: value }));
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain(field);
    });

    it.each([
      ['regionCode', { regionCode: 'ZZ' }],
      ['mobileAreaCode', { mobileAreaCode: '+999' }],
      ['cityCode', { cityCode: 'XX-NOWHERE' }],
      ['cityCode', { regionCode: 'US', mobileAreaCode: '+1', cityCode: 'GB-LND' }],
    ])('answers 40000 naming %s for a code the common lists do not have (%j)', async (field, overrides) => {
      const res = await onerway(await makeSandbox()).createCardholder(cardholderBody(overrides));
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain(field);
    });
  });

  describe('onerway cardholder/updateCardholder', () => {
    it('changes only the fields it is given and moves updateTime', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const before = (await api.getCardholder({ cardholderId: 300001 })).body.data;
      await control(sb).advance(5_000);
      const res = await api.updateCardholder({ clientRequestId: 'UPD_1', cardholderId: 300001, address: '1 Market St', postCode: '94105' });
      expect(res.body).toEqual({ respCode: '20000', respMsg: 'success', data: { cardholderId: 300001 } });
      const after = (await api.getCardholder({ cardholderId: 300001 })).body.data;
      expect(after).toEqual({ ...before, address: '1 Market St', postCode: '94105', updateTime: T0 + 5_000 });
    });

    it('answers 40000 naming clientRequestId when it is missing, as every documented mutation does, and changes nothing', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const before = (await api.getCardholder({ cardholderId: 300001 })).body.data;
      const res = await api.updateCardholder({ cardholderId: 300001, firstName: 'Changed' });
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain('clientRequestId');
      expect((await api.getCardholder({ cardholderId: 300001 })).body.data).toEqual(before);
    });

    it('answers 80001 for a cardholder id that does not exist', async () => {
      const res = await onerway(await makeSandbox()).updateCardholder({ clientRequestId: 'UPD_2', cardholderId: 399999, firstName: 'X' });
      expect(res.body).toEqual({ respCode: '80001', respMsg: 'Cardholder not found', data: null });
    });

    it('answers 80002 when the new email belongs to another cardholder, in any case, and changes nothing', async () => {
      const api = onerway(await makeSandbox());
      const { body } = await api.createCardholder(cardholderBody({ email: 'grace@example.com' }));
      const res = await api.updateCardholder({ clientRequestId: 'UPD_3', cardholderId: 300001, email: 'Grace@Example.com', firstName: 'Changed' });
      expect(res.body.respCode).toBe('80002');
      expect((await api.getCardholder({ cardholderId: 300001 })).body.data.firstName).not.toBe('Changed');
      expect((await api.getCardholder({ cardholderId: body.data.cardholderId })).body.data.email).toBe('grace@example.com');
    });

    it('lets a cardholder keep its own email with a different case', async () => {
      const api = onerway(await makeSandbox());
      const { body } = await api.createCardholder(cardholderBody({ email: 'Jane.Doe@Example.com' }));
      const res = await api.updateCardholder({ clientRequestId: 'UPD_4', cardholderId: body.data.cardholderId, email: 'jane.doe@example.com' });
      expect(res.body.respCode).toBe('20000');
      expect((await api.getCardholder({ cardholderId: body.data.cardholderId })).body.data.email).toBe('jane.doe@example.com');
    });

    it('answers 40000 naming cityCode when a new regionCode leaves the old city in another country', async () => {
      const api = onerway(await makeSandbox());
      const res = await api.updateCardholder({ clientRequestId: 'UPD_5', cardholderId: 300001, regionCode: 'GB', mobileAreaCode: '+44' });
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain('cityCode');
      expect((await api.getCardholder({ cardholderId: 300001 })).body.data.regionCode).toBe('US');
    });

    it('answers 40000 naming cardholderId when it is missing', async () => {
      const res = await onerway(await makeSandbox()).updateCardholder({ clientRequestId: 'UPD_6', firstName: 'X' });
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain('cardholderId');
    });
  });

  describe('onerway cardholder/getCardholder', () => {
    it('returns the seeded cardholder 300001 with every documented field', async () => {
      const res = await onerway(await makeSandbox()).getCardholder({ cardholderId: 300001 });
      expect(res.body.data).toMatchObject({
        cardholderId: 300001,
        regionCode: 'US',
        mobileAreaCode: '+1',
        cityCode: 'US-CA-SFO',
        createTime: Date.UTC(2026, 0, 1),
      });
      expect(Object.keys(res.body.data)).not.toContain('tenantId');
    });

    it('answers 80001 for an unknown cardholder id', async () => {
      const res = await onerway(await makeSandbox()).getCardholder({ cardholderId: 123 });
      expect(res.body).toEqual({ respCode: '80001', respMsg: 'Cardholder not found', data: null });
    });
  });

  describe('onerway cardholder/getCardholderList', () => {
    async function withHolders(n: number) {
      const sb = await makeSandbox();
      const api = onerway(sb);
      for (let i = 0; i < n; i++) expect((await api.createCardholder(cardholderBody())).body.respCode).toBe('20000');
      return api;
    }

    it('pages with totalRecords, totalPages, pageNum and current, newest first', async () => {
      const api = await withHolders(4);
      const res = await api.getCardholderList({ pageNum: 2, pageSize: 2 });
      expect(res.body.data).toMatchObject({ totalRecords: 5, totalPages: 3, pageNum: 2, current: 2, pageSize: 2 });
      expect(res.body.data.records.map((h: any) => h.cardholderId)).toEqual([300004, 300003]);
    });

    it('returns an empty last-plus-one page with the totals intact', async () => {
      const api = await withHolders(1);
      const res = await api.getCardholderList({ pageNum: 3, pageSize: 1 });
      expect(res.body.data).toMatchObject({ totalRecords: 2, totalPages: 2, pageNum: 3, records: [] });
    });

    it('filters by email, ignoring case as the duplicate rule does', async () => {
      const api = await withHolders(0);
      await api.createCardholder(cardholderBody({ email: 'Alan.Turing@Example.com' }));
      const res = await api.getCardholderList({ pageNum: 1, pageSize: 10, email: 'alan.turing@example.com' });
      expect(res.body.data.totalRecords).toBe(1);
      expect(res.body.data.records[0].email).toBe('Alan.Turing@Example.com');
    });

    it.each([
      ['pageSize', { pageNum: 1, pageSize: 101 }],
      ['pageSize', { pageNum: 1, pageSize: 0 }],
      ['pageNum', { pageNum: 0, pageSize: 10 }],
      ['pageNum', { pageSize: 10 }],
    ])('answers 40000 naming %s for %j', async (field, body) => {
      const res = await onerway(await makeSandbox()).getCardholderList(body);
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain(field);
    });
  });
});
