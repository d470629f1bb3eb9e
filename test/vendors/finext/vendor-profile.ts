/** How the cross-cutting suites drive Finext (test/helpers/registered.ts). */
import type { VendorProfile } from '../../helpers/registered.js';
import { AUTHORIZATION, LILI12, MERCHANT, activeCard, finext, settle, signedBody, type OperationName } from '../../helpers/finext.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const AUTH_FIELDS = ['api_key', 'request_id', 'timestamp', 'sign'];

function withoutAuth(fields: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...fields };
  for (const k of AUTH_FIELDS) delete rest[k];
  return rest;
}

export const profile: VendorProfile = {
  slug: 'finext',
  credentials: {
    tenant: MERCHANT.tenant,
    base: '/api/v1',
    sign: (sb, op, fields, mode) => {
      const rest = withoutAuth(fields);
      if (mode === 'missing') return { headers: { ...JSON_TYPE }, fields: rest };
      const overrides = mode === 'stale' ? { timestamp: String(sb.clock.now() - 10 * 60_000) } : {};
      const body = signedBody(sb, MERCHANT, op.name as OperationName, { ...rest, ...overrides });
      if (mode === 'wrong') body.sign = '0'.repeat(32);
      return { headers: { ...JSON_TYPE, authorization: AUTHORIZATION }, fields: body };
    },
  },
  signAs: (sb, op, fields, credentials) => {
    const merchant = { tenant: '', api_key: credentials.api_key, secret: credentials.secret };
    const headers = { ...JSON_TYPE, authorization: credentials.authorization ?? AUTHORIZATION };
    return { headers, fields: signedBody(sb, merchant, op.name as OperationName, withoutAuth(fields)) };
  },
  probe: { operation: 'getAccountDetails', fields: { username: LILI12.username } },
  // A new account's card, activated and topped up (the docs' example cards hold nothing).
  async activeCard(sb) {
    const card = await activeCard(sb);
    await finext(sb).topup(card.username, card.kit_number, '20.00');
    await settle(sb);
    return card.card_id;
  },
  keyedBodies: {
    topup: () => ({ username: LILI12.username, kit_number: LILI12.kit_number, amount: '1.00', transaction_id: 'DEEP_TOPUP_0000000000001' }),
  },
};
