/** INFERRED: calling codes for the calling_code ↔ calling_country_code check (a subset; unlisted countries are not checked). */
export const CALLING_CODES: Record<string, string> = {
  US: '1', CA: '1', GB: '44', IN: '91', CN: '86', HK: '852', SG: '65', JP: '81', KR: '82', DE: '49', FR: '33', ES: '34', IT: '39',
  AU: '61', NZ: '64', AE: '971', SA: '966', PH: '63', MY: '60', TH: '66', ID: '62', VN: '84', BR: '55', MX: '52', NG: '234', ZA: '27',
};
