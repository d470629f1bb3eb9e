/** How the cross-cutting suites drive Fakebank (test/helpers/registered.ts). */
import { send, type VendorProfile } from '../helpers/registered.js';
import { control } from '../helpers/sandbox.js';
import { fakebank } from './index.js';
import { signRequest } from './auth.js';
import { MERCHANT, SEED_CARD } from './fixtures.js';

const JSON_TYPE = { 'content-type': 'application/json' };

export const profile: VendorProfile = {
  slug: 'fakebank',
  credentials: {
    tenant: MERCHANT.id,
    base: '/fk/v1',
    sign(sb, op, fields, mode) {
      if (mode === 'missing') return { headers: JSON_TYPE, fields };
      const now = mode === 'stale' ? sb.clock.now() - 10 * 60_000 : sb.clock.now();
      const headers = signRequest(MERCHANT.key, MERCHANT.secret, op.path, now);
      if (mode === 'wrong') headers['x-fake-signature'] = '0'.repeat(64);
      return { headers: { ...JSON_TYPE, ...headers }, fields };
    },
  },
  signAs: (sb, op, fields, credentials) => ({
    headers: { ...JSON_TYPE, ...signRequest(credentials.key, credentials.secret, op.path, sb.clock.now()) },
    fields,
  }),
  probe: { operation: 'getCard', fields: { cardId: SEED_CARD } },
  activeCard: () => Promise.resolve(SEED_CARD),
  magicDrivers: {
    async 'createCard holderName *_DECLINE'(sb, entry) {
      const { cardId } = (
        await send(sb, fakebank, 'createCard', { reference: 'MAGIC', holderName: entry.value.replace('*', 'Ada'), amount: '1.00' }).expect(200)
      ).body.data;
      await control(sb).advance(0);
      return `card ${(await send(sb, fakebank, 'getCard', { cardId }).expect(200)).body.data.status}`;
    },
  },
  keyedBodies: {
    createCard: () => ({ reference: 'DEEP-CREATE', holderName: 'Ada Lovelace', amount: '1.00' }),
    loadCard: () => ({ reference: 'DEEP-LOAD', cardId: SEED_CARD, amount: '1.00' }),
  },
};
