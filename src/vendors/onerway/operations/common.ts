/** Common lookups [DOC, older mirror]: common/regionList, common/cityList, common/mobileAreaCodeList. */
import { defineOperation } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { CITIES, REGIONS } from '../reference-data.js';

export const regionList = defineOperation<Wire.RegionListRequest, Wire.RegionListResponse>({
  name: 'regionList',
  path: '/common/regionList',
  readOnly: true,
  handler: () => REGIONS.map(({ regionCode, regionName }) => ({ regionCode, regionName })),
});

export const cityList = defineOperation<Wire.CityListRequest, Wire.CityListResponse>({
  name: 'cityList',
  path: '/common/cityList',
  readOnly: true,
  handler: ({ body }) =>
    CITIES.filter((c) => c.regionCode === body.regionCode && (body.parentCode === undefined ? c.parentCode === null : c.parentCode === body.parentCode)),
});

export const mobileAreaCodeList = defineOperation<Wire.MobileAreaCodeListRequest, Wire.MobileAreaCodeListResponse>({
  name: 'mobileAreaCodeList',
  path: '/common/mobileAreaCodeList',
  readOnly: true,
  handler: () => REGIONS.map(({ regionCode, regionName, areaCode }) => ({ regionCode, regionName, areaCode })),
});
