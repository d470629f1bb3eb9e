import { describe, expect, it } from 'vitest';
import { SandboxError } from '../../../src/core/errors.js';
import { inTenant } from '../../../src/core/runtime.js';
import { rethrowSuspend } from '../../../src/core/store-port.js';
import { getTenant } from '../../../src/core/tenants.js';
import { openapiCn } from '../../../src/vendors/openapi-cn/index.js';
import { findBin, findUsableBin, rechargeFee, type Bin } from '../../../src/vendors/openapi-cn/operations/bin.js';
import { MERCHANT, SECOND, openapi } from '../../helpers/openapi-cn.js';
import { makeSandbox, describeStores } from '../../helpers/sandbox.js';

const BINS = 'openapi-cn.bins';
const SEEDED = ['bin_off', 'bin_s_usd', 'bin_v_hkd', 'bin_p_usd', 'bin_v_usd'];
const ids = (data: { list: { bin_id: string }[] }) => data.list.map((b) => b.bin_id);

describeStores('openapi-cn bin', () => {
  describe('openapi-cn bin/list', () => {
    it('lists the five seeded BINs newest first, the disabled bin_off among them with status 0', async () => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('binList', '/bin/list');
      expect(data).toMatchObject({ total: 5, page: 1, page_size: 20 });
      expect(ids(data)).toEqual(SEEDED);
      expect(data.list[0]).toEqual({
        bin_id: 'bin_off',
        bin: '41111100',
        name: 'Visa Virtual USD Prepaid (retired)',
        brand: 'Visa',
        card_type: 1,
        bin_type: 1,
        bin_mode: 1,
        currency: 'USD',
        status: 0,
      });
    });

    it.each([
      [{ bin_type: 2 }, ['bin_p_usd']],
      [{ bin_mode: 2 }, ['bin_s_usd']],
      [{ status: 0 }, ['bin_off']],
      [{ currency: 'HKD' }, ['bin_v_hkd']],
      [{ bin_type: 1, currency: 'USD', status: 1 }, ['bin_s_usd', 'bin_v_usd']],
      [{ currency: 'EUR' }, []],
    ])('filters by %j', async (filter, expected) => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('binList', '/bin/list', filter);
      expect(ids(data)).toEqual(expected);
      expect(data.total).toBe(expected.length);
    });

    it('pages: page 3 of size 2 holds the oldest BIN, total 5', async () => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('binList', '/bin/list', { page: 3, page_size: 2 });
      expect(data).toMatchObject({ total: 5, page: 3, page_size: 2 });
      expect(ids(data)).toEqual(['bin_v_usd']);
    });

    it('pages past the end: page 2 of the enabled virtual BINs, size 3, is empty and the total stays 3', async () => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('binList', '/bin/list', { bin_type: 1, status: 1, page: 2, page_size: 3 });
      expect(data).toEqual({ total: 3, page: 2, page_size: 3, list: [] });
    });

    it.each([
      ['bin_type', { bin_type: 3 }],
      ['bin_mode', { bin_mode: 0 }],
      ['status', { status: 2 }],
      ['currency', { currency: 'US' }],
      ['page_size', { page_size: 0 }],
    ])('answers 1001 naming %s when it is not allowed', async (field, fields) => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call('binList', '/bin/list', fields);
      expect(res.body.code).toBe(1001);
      expect(res.body.message).toContain(field);
    });

    it('keeps merchants apart: a BIN added for the first merchant is not listed for the second', async () => {
      const sb = await makeSandbox();
      await inTenant(sb.runtime, openapiCn, getTenant(sb.store, MERCHANT.tenant)!, ({ tx, tenant }) => {
        tx.put(BINS, { ...findBin(tx, tenant, 'bin_v_usd'), id: 'bin_extra', bin_id: 'bin_extra' });
      });
      expect((await openapi(sb).ok('binList', '/bin/list')).total).toBe(6);
      expect(ids(await openapi(sb, SECOND).ok('binList', '/bin/list'))).toEqual(SEEDED);
      expect((await openapi(sb, SECOND).call('binDetail', '/bin/detail', { bin_id: 'bin_extra' })).body.code).toBe(1004);
    });
  });

  describe('openapi-cn bin/detail', () => {
    it.each([
      ['bin_v_usd', { bin: '48580200', brand: 'Visa', bin_type: 1, card_type: 1, bin_mode: 1, currency: 'USD', status: 1 }],
      ['bin_p_usd', { bin: '53165800', brand: 'Mastercard', bin_type: 2, card_type: 2, bin_mode: 1, currency: 'USD', status: 1 }],
      ['bin_v_hkd', { bin: '49372100', brand: 'Visa', bin_type: 1, card_type: 1, bin_mode: 1, currency: 'HKD', status: 1 }],
      ['bin_s_usd', { bin: '55667700', brand: 'Mastercard', bin_type: 1, card_type: 1, bin_mode: 2, currency: 'USD', status: 1 }],
      ['bin_off', { bin: '41111100', brand: 'Visa', bin_type: 1, card_type: 1, bin_mode: 1, currency: 'USD', status: 0 }],
    ])('answers %s with its type, mode, brand and a card_type that follows bin_type', async (bin_id, expected) => {
      const sb = await makeSandbox();
      const data = await openapi(sb).ok('binDetail', '/bin/detail', { bin_id });
      expect(data).toMatchObject({ bin_id, ...expected });
    });

    it("shows the store's current status: a BIN disabled in the store answers status 0 for its merchant only", async () => {
      const sb = await makeSandbox();
      await inTenant(sb.runtime, openapiCn, getTenant(sb.store, MERCHANT.tenant)!, ({ tx, tenant }) => {
        tx.put<Bin>(BINS, { ...findBin(tx, tenant, 'bin_v_hkd'), status: 0 });
      });
      expect(await openapi(sb).ok('binDetail', '/bin/detail', { bin_id: 'bin_v_hkd' })).toMatchObject({ status: 0 });
      expect(await openapi(sb, SECOND).ok('binDetail', '/bin/detail', { bin_id: 'bin_v_hkd' })).toMatchObject({ status: 1 });
    });
  });

  describe('openapi-cn bin/fee and bin/limit', () => {
    it.each([
      ['bin_v_usd', { currency: 'USD', open_fee: '1.00', recharge_fee_rate: '0.0150' }],
      ['bin_p_usd', { currency: 'USD', open_fee: '10.00', recharge_fee_rate: '0.0100' }],
      ['bin_v_hkd', { currency: 'HKD', open_fee: '8.00', recharge_fee_rate: '0.0150' }],
      ['bin_s_usd', { currency: 'USD', open_fee: '2.00', recharge_fee_rate: '0.0000' }],
      ['bin_off', { currency: 'USD', open_fee: '1.00', recharge_fee_rate: '0.0200' }],
    ])('answers the fees of %s: open fee and recharge fee rate as a fraction', async (bin_id, expected) => {
      const sb = await makeSandbox();
      expect(await openapi(sb).ok('binFee', '/bin/fee', { bin_id })).toEqual({ bin_id, ...expected });
    });

    it.each([
      ['bin_v_usd', { currency: 'USD', min_recharge: '10.00', max_recharge: '10000.00', card_limit: 10, single_limit: '5000.00', daily_limit: '10000.00' }],
      ['bin_p_usd', { currency: 'USD', min_recharge: '20.00', max_recharge: '50000.00', card_limit: 2, single_limit: '10000.00', daily_limit: '20000.00' }],
      ['bin_v_hkd', { currency: 'HKD', min_recharge: '100.00', max_recharge: '80000.00', card_limit: 10, single_limit: '40000.00', daily_limit: '80000.00' }],
    ])('answers the limits of %s: recharge bounds, cards per holder, single and daily spend', async (bin_id, expected) => {
      const sb = await makeSandbox();
      expect(await openapi(sb).ok('binLimit', '/bin/limit', { bin_id })).toEqual({ bin_id, ...expected });
    });
  });

  describe.each([
    ['binDetail', '/bin/detail'],
    ['binFee', '/bin/fee'],
    ['binLimit', '/bin/limit'],
  ])('openapi-cn %s errors', (operation, path) => {
    it('answers 1004 for an unknown bin_id', async () => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call(operation, path, { bin_id: 'bin_nope' });
      expect(res.body).toEqual({ code: 1004, message: 'resource not found: bin_id not found' });
    });

    it('answers 1001 naming bin_id when it is missing', async () => {
      const sb = await makeSandbox();
      const res = await openapi(sb).call(operation, path);
      expect(res.body).toEqual({ code: 1001, message: "param error: bin_id must have required property 'bin_id'" });
    });
  });

  describe('openapi-cn bin helpers for orders', () => {
    it('findUsableBin refuses the disabled bin_off as invalid bin_id and hands back an enabled BIN', async () => {
      const sb = await makeSandbox();
      // In a read-only run of the merchant's, so that a store with a working set loads what the helpers read.
      const [usable, refusal] = await sb.store.run(MERCHANT.tenant, (tx) => {
        const tenant = getTenant(tx, MERCHANT.tenant)!;
        const found = findUsableBin(tx, tenant, 'bin_p_usd');
        try {
          findUsableBin(tx, tenant, 'bin_off');
          return [found, undefined] as const;
        } catch (e) {
          rethrowSuspend(e);
          return [found, e] as const;
        }
      });
      expect(usable).toMatchObject({ bin_id: 'bin_p_usd', card_type: 2, open_fee: 1_000, recharge_fee_rate: 100 });
      expect(refusal).toBeInstanceOf(SandboxError);
      expect(refusal).toMatchObject({ code: 'invalid_param', field: 'bin_id', detail: 'bin_id is disabled' });
    });

    it.each([
      ['bin_v_usd', 10_000, 150],
      ['bin_v_usd', 3_333, 50],
      ['bin_p_usd', 12_345, 123],
      ['bin_s_usd', 10_000, 0],
    ])('rechargeFee on %s of %i minor units is %i (basis points, rounded half up)', async (binId, amount, fee) => {
      const sb = await makeSandbox();
      const bin = await sb.store.run(MERCHANT.tenant, (tx) => findBin(tx, getTenant(tx, MERCHANT.tenant)!, binId));
      expect(rechargeFee(bin, amount)).toBe(fee);
    });
  });
});
