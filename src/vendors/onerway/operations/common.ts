/** Common lookups [DOC, older mirror]: common/regionList, common/cityList, common/mobileAreaCodeList. */
import type { Operation } from '../../types.js';
import { CITIES, REGIONS } from '../reference-data.js';

export const regionList: Operation = {
  name: 'regionList',
  path: '/common/regionList',
  handler: () => REGIONS.map(({ regionCode, regionName }) => ({ regionCode, regionName })),
};

export const cityList: Operation = {
  name: 'cityList',
  path: '/common/cityList',
  handler: ({ body }) =>
    CITIES.filter((c) => c.regionCode === body.regionCode && (body.parentCode === undefined ? c.parentCode === null : c.parentCode === body.parentCode)),
};

export const mobileAreaCodeList: Operation = {
  name: 'mobileAreaCodeList',
  path: '/common/mobileAreaCodeList',
  handler: () => REGIONS.map(({ regionCode, regionName, areaCode }) => ({ regionCode, regionName, areaCode })),
};
