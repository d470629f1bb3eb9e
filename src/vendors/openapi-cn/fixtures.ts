/**
 * OPEN-API's part of the default scenario. The seed's two freeze examples name two merchants
 * (customer 10000011 / app 100001, and customer 10001004 / app 100006) and a physical card of each
 * (`9790d83fbb935e1d134e03bb505c2de5`, `cid_fBWWMWm8aUUYy3sd`); both are active, so both examples
 * freeze them as written. Each merchant has funded USD and HKD wallets; modules add their own records.
 */
import type { Faker } from '@faker-js/faker';
import { openAccount } from '../../core/ledger.js';
import type { Transaction } from '../../core/store.js';
import { TENANTS, type Tenant } from '../../core/tenants.js';
import { LEDGER, SLUG } from './model.js';
import { seedBins } from './operations/bin.js';
import { seedCards } from './operations/card.js';
import { seedHolders } from './operations/holder.js';
import { seedWallets } from './operations/wallet.js';

export const DEFAULT_MERCHANTS = [
  { id: 'openapi-cn-default', name: 'OPEN-API sandbox merchant', customer_id: '10001004', app_id: '100006', key: '0408ab79eb214e7d81d9fd447b5916a2', exampleCard: 'cid_fBWWMWm8aUUYy3sd' },
  { id: 'openapi-cn-second', name: 'OPEN-API second merchant', customer_id: '10000011', app_id: '100001', key: 'ae9ae3f5ad284ef4836de18aa3d41c47', exampleCard: '9790d83fbb935e1d134e03bb505c2de5' },
] as const;

export const WALLET_OPENING: Record<string, number> = { USD: 10_000_000, HKD: 5_000_000 };

export function seed(tx: Transaction, faker: Faker, refDate: number): void {
  for (const m of DEFAULT_MERCHANTS) {
    const tenant: Tenant = { id: m.id, tenantId: m.id, vendor: SLUG, name: m.name, credentials: { customer_id: m.customer_id, app_id: m.app_id, key: m.key }, webhookUrl: null, settings: {} };
    tx.put(TENANTS, tenant);
    for (const [currency, balance] of Object.entries(WALLET_OPENING)) {
      openAccount(tx, m.id, LEDGER.wallet(currency), currency, balance);
      for (const account of [LEDGER.fees(currency), LEDGER.transit(currency), LEDGER.payouts(currency)]) openAccount(tx, m.id, account, currency);
    }
    seedWallets(tx, m.id, refDate);
    seedBins(tx, m.id);
    const holders = seedHolders(tx, m.id, faker, refDate);
    seedCards(tx, m.id, faker, refDate, { cardId: m.exampleCard, holderId: holders[0] });
  }
}
