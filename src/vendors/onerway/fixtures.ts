/**
 * Onerway's part of the scenario packs: merchant `onerway-test-apikey-0001` with a funded USD balance
 * and card products 1 and 2 (the `empty` pack stops there), and in the default pack cardholder 300001,
 * so that the seed's examples (createCard for cardholder 300001 with product 1, then FREEZE and deposit
 * on the new card) work as written. A second merchant with a small balance exists for isolation and
 * 80007 tests.
 */
import type { Faker } from '@faker-js/faker';
import { nextSeq, randomHex } from '../../core/ids.js';
import { openAccount } from '../../core/ledger.js';
import type { Transaction } from '../../core/store.js';
import { putMerchant } from '../../core/tenants.js';
import { LEDGER, CARDHOLDERS, FIRST_ID, PRODUCTS, SEQ, SLUG, type Cardholder, type Product } from './model.js';

export const DEFAULT_MERCHANTS = [
  {
    id: 'onerway-default',
    name: 'Onerway sandbox merchant',
    apiKey: 'onerway-test-apikey-0001',
    webhookSecret: 'whsec_onerway_test_0001',
    balance: 100_000_000,
  },
  { id: 'onerway-second', name: 'Onerway second merchant', apiKey: 'onerway-test-apikey-0002', webhookSecret: 'whsec_onerway_test_0002', balance: 50_000 },
] as const;

const PRODUCT_TEMPLATES: Array<Omit<Product, 'id' | 'tenantId'>> = [
  {
    productId: 1,
    productName: 'Virtual Visa USD',
    currency: 'USD',
    bin: '428852',
    createFee: 100,
    depositFeeBps: 100,
    minDeposit: 100,
    maxDeposit: 1_000_000,
    maxCardsPerCardholder: 5,
  },
  {
    productId: 2,
    productName: 'Virtual Mastercard USD',
    currency: 'USD',
    bin: '535429',
    createFee: 200,
    depositFeeBps: 150,
    minDeposit: 2_000,
    maxDeposit: 5_000_000,
    maxCardsPerCardholder: 3,
  },
];

/** The default merchants: credentials, funded ledger accounts and card products; no other records. */
export function seedMerchants(tx: Transaction): void {
  for (const m of DEFAULT_MERCHANTS) {
    putMerchant(tx, SLUG, m.id, m.name, { apiKey: m.apiKey, webhookSecret: m.webhookSecret });
    openAccount(tx, m.id, LEDGER.merchant('USD'), 'USD', m.balance);
    openAccount(tx, m.id, LEDGER.transit('USD'), 'USD');
    openAccount(tx, m.id, LEDGER.fees('USD'), 'USD');
    for (const p of PRODUCT_TEMPLATES) tx.put<Product>(PRODUCTS, { ...p, id: String(p.productId), tenantId: m.id });
  }
}

export function seed(tx: Transaction, faker: Faker, refDate: number): void {
  seedMerchants(tx);
  for (const m of DEFAULT_MERCHANTS) tx.put<Cardholder>(CARDHOLDERS, fakeCardholder(faker, m.id, nextSeq(tx, SEQ.cardholder, FIRST_ID.cardholder), refDate));
}

/** A new merchant's key and webhook secret, shaped like the default ones. */
export function newCredentials(): Record<string, string> {
  return { apiKey: `onerway-test-apikey-${randomHex(12)}`, webhookSecret: `whsec_onerway_${randomHex(16)}` };
}

function fakeCardholder(faker: Faker, tenantId: string, cardholderId: number, at: number): Cardholder {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  return {
    id: String(cardholderId),
    tenantId,
    cardholderId,
    firstName,
    lastName,
    email: faker.internet.email({ firstName, lastName, provider: 'example.com' }).toLowerCase(),
    mobileAreaCode: '+1',
    mobile: faker.string.numeric(10),
    regionCode: 'US',
    cityCode: 'US-CA-SFO',
    address: faker.location.streetAddress(),
    postCode: faker.location.zipCode('#####'),
    birthday: faker.date.birthdate({ mode: 'age', min: 21, max: 65 }).toISOString().slice(0, 10),
    createTime: at,
    updateTime: at,
  };
}
