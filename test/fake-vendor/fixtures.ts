/** Fakebank's part of the scenario packs: one funded merchant (the `empty` pack), and one issued card (the `default` pack). */
import type { Faker } from '@faker-js/faker';
import { randomHex } from '../../src/core/ids.js';
import { openAccount, transfer } from '../../src/core/ledger.js';
import type { Transaction } from '../../src/core/store.js';
import { putMerchant } from '../../src/core/tenants.js';
import { LEDGER, CARDS, SLUG, type Card } from './model.js';

export const MERCHANT = { id: 'fakebank-default', key: 'fk_test_key_0001', secret: 'fk_test_secret_0001' } as const;
/** The default scenario's card: ACTIVE, 25.00 on it. */
export const SEED_CARD = 'fk_seed_0001';

export function seedMerchants(tx: Transaction): void {
  putMerchant(tx, SLUG, MERCHANT.id, 'Fakebank test merchant', { key: MERCHANT.key, secret: MERCHANT.secret });
  openAccount(tx, MERCHANT.id, LEDGER.merchant, 'USD', 1_000_00);
}

export function seed(tx: Transaction, faker: Faker, refDate: number): void {
  seedMerchants(tx);
  tx.put<Card>(CARDS, {
    id: SEED_CARD,
    tenantId: MERCHANT.id,
    cardId: SEED_CARD,
    holderName: faker.person.fullName(),
    currency: 'USD',
    status: 'ACTIVE',
    initialAmount: 25_00,
    createdAt: refDate,
    history: [{ from: 'PENDING', to: 'ACTIVE', event: 'ISSUE', at: refDate }],
  });
  openAccount(tx, MERCHANT.id, LEDGER.card(SEED_CARD), 'USD');
  transfer(tx, { tenantId: MERCHANT.id, from: LEDGER.merchant, to: LEDGER.card(SEED_CARD), amount: 25_00, kind: 'issue', ref: SEED_CARD, at: refDate });
}

export function newCredentials(): Record<string, string> {
  return { key: `fk_test_key_${randomHex(8)}`, secret: `fk_test_secret_${randomHex(16)}` };
}
