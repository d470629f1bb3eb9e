/** How the cross-cutting suites drive Onerway (test/helpers/registered.ts). */
import type { VendorProfile } from '../../helpers/registered.js';
import { API_KEY, BASE, DEFAULT_TENANT, cardholderBody, onerway } from '../../helpers/onerway.js';

const JSON_TYPE = { 'content-type': 'application/json' };

export const profile: VendorProfile = {
  slug: 'onerway',
  credentials: {
    tenant: DEFAULT_TENANT,
    base: BASE,
    // Onerway has no timestamp: a stale key is a key that was valid once (another merchant's, revoked).
    sign: (_sb, _op, fields, mode) => ({
      headers: mode === 'missing' ? { ...JSON_TYPE } : { ...JSON_TYPE, apikey: mode === 'valid' ? API_KEY : `${API_KEY}-revoked` },
      fields,
    }),
  },
  signAs: (_sb, _op, fields, credentials) => ({ headers: { ...JSON_TYPE, apikey: credentials.apiKey }, fields }),
  probe: { operation: 'getCardholder', fields: { cardholderId: 300001 } },
  activeCard: async (sb) => String(await onerway(sb).activeCard()),
  keyedBodies: {
    createCardholder: () => cardholderBody({ clientRequestId: 'DEEP_HOLDER' }),
    updateCardholder: () => ({ clientRequestId: 'DEEP_UPDATE', cardholderId: 300001, firstName: 'Ada' }),
    createCard: () => ({ clientRequestId: 'DEEP_CREATE', cardholderId: 300001, productId: 1, amount: 10 }),
    operate: () => ({ clientRequestId: 'DEEP_OPERATE', cardId: 100001, type: 'FREEZE' }),
    deposit: () => ({ clientRequestId: 'DEEP_DEPOSIT', cardId: 100001, amount: 10 }),
  },
};
