/** How the cross-cutting suites drive the OPEN-API platform (test/helpers/registered.ts). */
import type { VendorProfile } from '../../helpers/registered.js';
import { MERCHANT, SEED_EXAMPLES } from '../../helpers/openapi-cn.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const CARD = SEED_EXAMPLES[1].card_id;

export const profile: VendorProfile = {
  slug: 'openapi-cn',
  credentials: {
    tenant: MERCHANT.tenant,
    base: '/v1/openApi',
    sign: (_sb, _op, fields, mode) => {
      const creds = { customer_id: MERCHANT.customer_id, app_id: MERCHANT.app_id, key: mode === 'valid' ? MERCHANT.key : 'f'.repeat(32) };
      return { headers: { ...JSON_TYPE }, fields: mode === 'missing' ? fields : { ...fields, ...creds } };
    },
  },
  signAs: (_sb, _op, fields, credentials) => ({
    headers: { ...JSON_TYPE },
    fields: { ...fields, customer_id: Number(credentials.customer_id), app_id: Number(credentials.app_id), key: credentials.key },
  }),
  probe: { operation: 'cardDetail', fields: { card_id: CARD } },
  activeCard: () => Promise.resolve(CARD),
  keyedBodies: {
    cardCancel: () => ({ card_id: CARD, request_no: 'DEEP-CANCEL' }),
    paymentCreate: () => ({
      payee_id: 'pye_0000000000000000',
      amount: '1.00',
      currency: 'USD',
      fee_mode: 'OUR',
      reason: 'GOODS_TRADE',
      request_no: 'DEEP-PAY',
    }),
    orderOpenCard: () => ({ bin_id: 'bin_0000000000000000', holder_id: 'hld_0000000000000000', request_no: 'DEEP-OPEN' }),
    orderRecharge: () => ({ card_id: CARD, amount: '1.00', request_no: 'DEEP-RECHARGE' }),
  },
};
