/**
 * OPEN-API's part of the scenario packs: two merchants with funded USD and HKD wallets and the BIN
 * catalogue (all the `empty` pack has) and, in the default pack, holders and cards. The seed's two
 * freeze examples name two merchants (customer 10000011 / app 100001, and customer 10001004 / app
 * 100006) and a physical card of each (`9790d83fbb935e1d134e03bb505c2de5`, `cid_fBWWMWm8aUUYy3sd`);
 * both are active, so both examples freeze them as written.
 */
import { randomInt } from 'node:crypto';
import type { Faker } from '@faker-js/faker';
import { randomHex } from '../../core/ids.js';
import { openAccount } from '../../core/ledger.js';
import type { Transaction } from '../../core/store.js';
import { putMerchant } from '../../core/tenants.js';
import { LEDGER, SLUG } from './model.js';
import { seedBins } from './operations/bin.js';
import { seedCards } from './operations/card.js';
import { seedHolders } from './operations/holder.js';
import { seedWallets } from './operations/wallet.js';

export const DEFAULT_MERCHANTS = [
  {
    id: 'openapi-cn-default',
    name: 'OPEN-API sandbox merchant',
    customer_id: '10001004',
    app_id: '100006',
    key: '0408ab79eb214e7d81d9fd447b5916a2',
    exampleCard: 'cid_fBWWMWm8aUUYy3sd',
  },
  {
    id: 'openapi-cn-second',
    name: 'OPEN-API second merchant',
    customer_id: '10000011',
    app_id: '100001',
    key: 'ae9ae3f5ad284ef4836de18aa3d41c47',
    exampleCard: '9790d83fbb935e1d134e03bb505c2de5',
  },
] as const;

export const WALLET_OPENING: Record<string, number> = { USD: 10_000_000, HKD: 5_000_000 };

/** The default merchants: credentials, funded wallets and the BIN catalogue; no holders or cards. */
export function seedMerchants(tx: Transaction, refDate: number): void {
  for (const m of DEFAULT_MERCHANTS) seedMerchant(tx, m, refDate);
}

export function seed(tx: Transaction, faker: Faker, refDate: number): void {
  for (const m of DEFAULT_MERCHANTS) {
    seedMerchant(tx, m, refDate);
    const holders = seedHolders(tx, m.id, faker, refDate);
    seedCards(tx, m.id, faker, refDate, { cardId: m.exampleCard, holderId: holders[0] });
  }
}

function seedMerchant(tx: Transaction, m: (typeof DEFAULT_MERCHANTS)[number], refDate: number): void {
  putMerchant(tx, SLUG, m.id, m.name, { customer_id: m.customer_id, app_id: m.app_id, key: m.key });
  for (const [currency, balance] of Object.entries(WALLET_OPENING)) {
    openAccount(tx, m.id, LEDGER.wallet(currency), currency, balance);
    for (const account of [LEDGER.fees(currency), LEDGER.transit(currency), LEDGER.payouts(currency)]) openAccount(tx, m.id, account, currency);
  }
  seedWallets(tx, m.id, refDate);
  seedBins(tx, m.id);
}

/** A new merchant's triplet: an 8-digit customer_id and a 6-digit app_id like the seed's, and a 32-hex key. */
export function newCredentials(): Record<string, string> {
  return { customer_id: String(randomInt(10_000_000, 100_000_000)), app_id: String(randomInt(100_000, 1_000_000)), key: randomHex(16) };
}
