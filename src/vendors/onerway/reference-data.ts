/**
 * Lookup tables behind common/regionList, cityList and mobileAreaCodeList. INFERRED: a representative
 * subset (the real lists are the vendor's); codes are ISO-3166 and ITU calling codes.
 */
export const REGIONS = [
  // [DOC] the regionList and mobileAreaCodeList examples begin CN, US, HK.
  { regionCode: 'CN', regionName: 'China', areaCode: '+86' },
  { regionCode: 'US', regionName: 'United States', areaCode: '+1' },
  { regionCode: 'HK', regionName: 'Hong Kong', areaCode: '+852' },
  { regionCode: 'GB', regionName: 'United Kingdom', areaCode: '+44' },
  { regionCode: 'SG', regionName: 'Singapore', areaCode: '+65' },
  { regionCode: 'JP', regionName: 'Japan', areaCode: '+81' },
  { regionCode: 'DE', regionName: 'Germany', areaCode: '+49' },
  { regionCode: 'FR', regionName: 'France', areaCode: '+33' },
  { regionCode: 'AU', regionName: 'Australia', areaCode: '+61' },
  { regionCode: 'CA', regionName: 'Canada', areaCode: '+1' },
] as const;

/**
 * Cities: `parentCode` is null for top-level subdivisions and names the subdivision for cities below it.
 * China's codes are the docs' own (GD, SZ, GZ); the others are the sandbox's ISO-3166-2-style codes.
 */
export const CITIES: ReadonlyArray<{ regionCode: string; parentCode: string | null; cityCode: string; cityName: string }> = [
  { regionCode: 'US', parentCode: null, cityCode: 'US-CA', cityName: 'California' },
  { regionCode: 'US', parentCode: 'US-CA', cityCode: 'US-CA-SFO', cityName: 'San Francisco' },
  { regionCode: 'US', parentCode: 'US-CA', cityCode: 'US-CA-LAX', cityName: 'Los Angeles' },
  { regionCode: 'US', parentCode: null, cityCode: 'US-NY', cityName: 'New York' },
  { regionCode: 'US', parentCode: 'US-NY', cityCode: 'US-NY-NYC', cityName: 'New York City' },
  { regionCode: 'GB', parentCode: null, cityCode: 'GB-LND', cityName: 'London' },
  { regionCode: 'GB', parentCode: null, cityCode: 'GB-MAN', cityName: 'Manchester' },
  { regionCode: 'HK', parentCode: null, cityCode: 'HK-HK', cityName: 'Hong Kong Island' },
  { regionCode: 'HK', parentCode: null, cityCode: 'HK-KLN', cityName: 'Kowloon' },
  { regionCode: 'SG', parentCode: null, cityCode: 'SG-SG', cityName: 'Singapore' },
  { regionCode: 'CN', parentCode: null, cityCode: 'SH', cityName: 'Shanghai' },
  // [DOC] the cityList example: parentCode GD answers SZ Shenzhen and GZ Guangzhou, in that order.
  { regionCode: 'CN', parentCode: null, cityCode: 'GD', cityName: 'Guangdong' },
  { regionCode: 'CN', parentCode: 'GD', cityCode: 'SZ', cityName: 'Shenzhen' },
  { regionCode: 'CN', parentCode: 'GD', cityCode: 'GZ', cityName: 'Guangzhou' },
  { regionCode: 'JP', parentCode: null, cityCode: 'JP-13', cityName: 'Tokyo' },
  { regionCode: 'DE', parentCode: null, cityCode: 'DE-BE', cityName: 'Berlin' },
  { regionCode: 'FR', parentCode: null, cityCode: 'FR-75', cityName: 'Paris' },
  { regionCode: 'AU', parentCode: null, cityCode: 'AU-NSW', cityName: 'New South Wales' },
  { regionCode: 'CA', parentCode: null, cityCode: 'CA-ON', cityName: 'Ontario' },
];
