import { describe, expect, it } from 'vitest';
import { cardholderBody, onerway } from '../../helpers/onerway.js';
import { makeSandbox, describeStores } from '../../helpers/sandbox.js';

describeStores('onerway common', () => {
  describe('onerway common/regionList', () => {
    it('lists regions as ISO-3166 alpha-2 codes with names, each once', async () => {
      const { body } = await onerway(await makeSandbox()).regionList();
      expect(body.data).toEqual(
        expect.arrayContaining([
          { regionCode: 'US', regionName: 'United States' },
          { regionCode: 'HK', regionName: 'Hong Kong' },
        ]),
      );
      const codes = body.data.map((r: any) => r.regionCode);
      expect(new Set(codes).size).toBe(codes.length);
    });
  });

  describe('onerway common/mobileAreaCodeList', () => {
    it('gives every region of regionList its calling code, as "+86" for CN', async () => {
      const api = onerway(await makeSandbox());
      const regions = (await api.regionList()).body.data;
      const areaCodes = (await api.mobileAreaCodeList()).body.data;
      expect(areaCodes.map((a: any) => ({ regionCode: a.regionCode, regionName: a.regionName }))).toEqual(regions);
      expect(areaCodes.find((a: any) => a.regionCode === 'CN')).toEqual({ regionCode: 'CN', regionName: 'China', areaCode: '+86' });
    });
  });

  describe('onerway common/cityList', () => {
    it("lists a region's top-level subdivisions when parentCode is left out", async () => {
      const { body } = await onerway(await makeSandbox()).cityList({ regionCode: 'US' });
      expect(body.data.map((c: any) => c.cityCode)).toEqual(['US-CA', 'US-NY']);
      expect(body.data.every((c: any) => c.regionCode === 'US' && c.parentCode === null)).toBe(true);
    });

    it('lists the cities under parentCode', async () => {
      const { body } = await onerway(await makeSandbox()).cityList({ regionCode: 'US', parentCode: 'US-CA' });
      expect(body.data).toEqual([
        { regionCode: 'US', parentCode: 'US-CA', cityCode: 'US-CA-SFO', cityName: 'San Francisco' },
        { regionCode: 'US', parentCode: 'US-CA', cityCode: 'US-CA-LAX', cityName: 'Los Angeles' },
      ]);
    });

    it("answers the older docs' form of the example, with their required merchantNo, the same (merchantNo is ignored)", async () => {
      const api = onerway(await makeSandbox());
      const current = await api.cityList({ regionCode: 'CN', parentCode: 'GD' });
      const older = await api.cityList({ merchantNo: 800079, regionCode: 'CN', parentCode: 'GD' });
      expect(older.text).toBe(current.text);
      expect(older.body.data.map((c: any) => c.cityCode)).toEqual(['SZ', 'GZ']);
    });

    it('answers an empty list for a parentCode of another region', async () => {
      const { body } = await onerway(await makeSandbox()).cityList({ regionCode: 'GB', parentCode: 'US-CA' });
      expect(body).toEqual({ respCode: '20000', respMsg: 'success', data: [] });
    });

    it.each([
      ['missing', {}],
      ['three letters', { regionCode: 'USA' }],
      ['a number', { regionCode: 840 }],
    ])('answers 40000 naming regionCode when it is %s', async (_case, body) => {
      const res = await onerway(await makeSandbox()).cityList(body);
      expect(res.body.respCode).toBe('40000');
      expect(res.body.respMsg).toContain('regionCode');
    });
  });

  describe('onerway common lists and createCardholder', () => {
    it('accepts in createCardholder every region, calling code and top-level city the lists return', async () => {
      const api = onerway(await makeSandbox());
      for (const { regionCode, areaCode } of (await api.mobileAreaCodeList()).body.data) {
        const [city] = (await api.cityList({ regionCode })).body.data;
        const res = await api.createCardholder(cardholderBody({ regionCode, mobileAreaCode: areaCode, cityCode: city?.cityCode }));
        expect(res.body.respCode, `${regionCode} ${areaCode} ${city?.cityCode}`).toBe('20000');
      }
    });
  });
});
