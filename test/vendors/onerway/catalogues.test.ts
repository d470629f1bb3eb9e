/**
 * Onerway's lookup lists and enumerations agree with the operations that take them: every value the
 * sandbox offers in one place is accepted wherever it is asked for. One test per catalogue; the lists
 * are read over HTTP.
 */
import { describe, expect, it } from 'vitest';
import { PRODUCTS, type Product } from '../../../src/vendors/onerway/model.js';
import { DEFAULT_TENANT, cardholderBody, onerway, requestId, settle, simulate } from '../../helpers/onerway.js';
import { makeSandbox, describeStores } from '../../helpers/sandbox.js';

type Api = ReturnType<typeof onerway>;
interface City {
  regionCode: string;
  parentCode: string | null;
  cityCode: string;
  cityName: string;
}

const ok = (res: { body: { respCode: string }; headers: Record<string, string> }, what: string) =>
  expect(res.body.respCode, `${what}: ${res.headers['x-sandbox-diagnostic'] ?? ''}`).toBe('20000');

/** Every city of a region at every level: the top level, then each listed code as a parentCode. */
async function everyCity(api: Api, regionCode: string): Promise<City[]> {
  const all: City[] = [];
  const queue: Array<string | undefined> = [undefined];
  while (queue.length > 0) {
    const parentCode = queue.shift();
    const cities: City[] = (await api.cityList(parentCode === undefined ? { regionCode } : { regionCode, parentCode })).body.data;
    for (const city of cities) {
      expect(city).toMatchObject({ regionCode, parentCode: parentCode ?? null });
      all.push(city);
      queue.push(city.cityCode);
    }
  }
  return all;
}

describeStores('onerway catalogues', () => {
  describe('onerway inferred catalogues', () => {
    it('common/regionList: createCardholder and updateCardholder accept every region, with its calling code', async () => {
      const api = onerway(await makeSandbox());
      const areaCodes = new Map<string, string>((await api.mobileAreaCodeList()).body.data.map((a: any) => [a.regionCode, a.areaCode]));
      const regions = (await api.regionList()).body.data as Array<{ regionCode: string }>;
      expect(regions.length).toBeGreaterThanOrEqual(10);
      const { cardholderId } = (await api.createCardholder(cardholderBody({ cityCode: undefined }))).body.data;
      for (const { regionCode } of regions) {
        const created = await api.createCardholder(cardholderBody({ regionCode, mobileAreaCode: areaCodes.get(regionCode), cityCode: undefined }));
        ok(created, `createCardholder ${regionCode}`);
        ok(
          await api.updateCardholder({ clientRequestId: requestId('UPD'), cardholderId, regionCode, mobileAreaCode: areaCodes.get(regionCode) }),
          `updateCardholder ${regionCode}`,
        );
        expect((await api.getCardholder({ cardholderId })).body.data.regionCode).toBe(regionCode);
        expect((await api.getCardholder({ cardholderId: created.body.data.cardholderId })).body.data.regionCode).toBe(regionCode);
      }
    });

    it('common/mobileAreaCodeList: createCardholder accepts every calling code it lists', async () => {
      const api = onerway(await makeSandbox());
      for (const { regionCode, areaCode } of (await api.mobileAreaCodeList()).body.data) {
        ok(await api.createCardholder(cardholderBody({ regionCode, mobileAreaCode: areaCode, cityCode: undefined })), `createCardholder ${areaCode}`);
      }
    });

    it("common/cityList: createCardholder accepts every city at every level of every region, the docs' CN/GD/SZ/GZ included", async () => {
      const api = onerway(await makeSandbox());
      const areaCodes = (await api.mobileAreaCodeList()).body.data as Array<{ regionCode: string; areaCode: string }>;
      const seen: string[] = [];
      for (const { regionCode, areaCode } of areaCodes) {
        for (const city of await everyCity(api, regionCode)) {
          const res = await api.createCardholder(cardholderBody({ regionCode, mobileAreaCode: areaCode, cityCode: city.cityCode }));
          ok(res, `createCardholder ${regionCode} ${city.cityCode}`);
          expect((await api.getCardholder({ cardholderId: res.body.data.cardholderId })).body.data.cityCode).toBe(city.cityCode);
          seen.push(`${regionCode}/${city.cityCode}`);
        }
      }
      expect(seen).toEqual(expect.arrayContaining(['CN/GD', 'CN/SZ', 'CN/GZ', 'US/US-CA-SFO']));
    });

    it('card products: createCard accepts every product the default scenario offers, at its smallest deposit', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const products = (await sb.store.read(PRODUCTS, DEFAULT_TENANT)) as unknown as Product[];
      expect(products.map((p) => p.productId)).toEqual([1, 2]);
      for (const p of products) {
        const res = await api.createCard({ clientRequestId: requestId('CREATE'), cardholderId: 300001, productId: p.productId, amount: p.minDeposit / 100 });
        ok(res, `createCard product ${p.productId}`);
      }
      await settle(sb);
      expect((await api.records({ type: 'CREATE' })).map((r) => r.status)).toEqual(['S', 'S']);
    });

    it('operate record types: getOperateRecordList filters by every type a record can carry', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const cardId = await api.activeCard(100);
      await settle(sb);
      await api.deposit({ clientRequestId: requestId('DEP'), cardId, amount: 10 });
      for (const type of ['FREEZE', 'UNFREEZE', 'TERMINATE']) {
        ok(await api.operate({ clientRequestId: requestId(type), cardId, type }), `operate ${type}`);
        await settle(sb);
      }
      for (const type of ['CREATE', 'DEPOSIT', 'FREEZE', 'UNFREEZE', 'TERMINATE']) {
        const records = await api.records({ cardId, type });
        expect(
          records.map((r) => [r.type, r.status]),
          type,
        ).toEqual([[type, 'S']]);
      }
    });

    it('transaction types and statuses: queryTxnList filters by every txnType and txnStatus its records carry', async () => {
      const sb = await makeSandbox();
      const api = onerway(sb);
      const cardId = await api.activeCard(100);
      await settle(sb);
      await simulate(sb, 'authorize', { cardId, amount: 40 }).expect(200);
      const clearing = (await simulate(sb, 'clear', { cardId, amount: 40 }).expect(200)).body.transaction;
      await simulate(sb, 'refund', { cardId, amount: 5, transactionId: clearing.id }).expect(200);
      await simulate(sb, 'authorize', { cardId, amount: 10 }).expect(200);
      await simulate(sb, 'reverse', { cardId }).expect(200);
      await simulate(sb, 'authorize', { cardId, amount: 0 }).expect(200);
      await simulate(sb, 'authorize', { cardId, amount: 5000 }).expect(200);
      const all = (await api.queryTxnList({ pageNum: 1, pageSize: 100 })).body.data.records as Array<{ txnType: string; txnStatus: string }>;
      const types = [...new Set(all.map((t) => t.txnType))];
      const statuses = [...new Set(all.map((t) => t.txnStatus))];
      expect(types.sort()).toEqual(['AUTHORIZATION', 'CLEARING', 'REFUND', 'REVERSAL', 'VERIFICATION']);
      for (const txnType of types)
        expect((await api.queryTxnList({ txnType, pageNum: 1, pageSize: 100 })).body.data.totalRecords).toBe(all.filter((t) => t.txnType === txnType).length);
      for (const txnStatus of statuses)
        expect((await api.queryTxnList({ txnStatus, pageNum: 1, pageSize: 100 })).body.data.totalRecords).toBe(
          all.filter((t) => t.txnStatus === txnStatus).length,
        );
    });
  });
});
