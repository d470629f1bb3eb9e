/**
 * Finext's part of the scenario packs: two funded merchants (all the `empty` pack has) and, in the
 * default pack, the docs' example accounts. The docs' credentials are the default merchant's (api_key
 * fd01a53d…, secret 16388ce4…), and the webhook examples' pair is a second merchant. Accounts `lili12`
 * (card 4b7e1f659b2f413e8863ec88004ba1f8, active: the seed's modifyOpStatus example blocks it) and
 * `lili111` (an active card holding 10.22, the balance example's answer) are KYC-approved.
 */
import type { Faker } from '@faker-js/faker';
import { openAccount, post } from '../../core/ledger.js';
import { randomHex, setNextSeq } from '../../core/ids.js';
import type { Transaction } from '../../core/store.js';
import { TENANTS, type Tenant } from '../../core/tenants.js';
import type { KycState } from './machines/kyc.js';
import { ACCOUNTS, CARDS, CURRENCY, LEDGER, SEQ, SLUG, TOPUPS, type Account, type Card, type Topup } from './model.js';

export const DEFAULT_MERCHANTS = [
  { id: 'finext-default', name: 'Finext sandbox merchant', api_key: 'fd01a53d7834b06c080cd1024ae9c60a', secret: '16388ce4331b35e8e0d32777ba57d7d9', balance: 100_000_000 },
  { id: 'finext-webhooks', name: 'Finext second merchant (the webhook examples\' keys)', api_key: 'ac97c403062e94a094131aa332df6458', secret: 'a446b6660552582e08b043b84634e1fe', balance: 1_000_000 },
] as const;

const ACCOUNTS_OF_DEFAULT = [
  { username: 'lili12', card_id: '4b7e1f659b2f413e8863ec88004ba1f8', kit_number: '2000000001', balance: 0 },
  { username: 'lili111', card_id: '9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f', kit_number: '2000000002', balance: 1022 },
];

/** The default merchants: credentials and funded ledger accounts; no other records. */
export function seedMerchants(tx: Transaction): void {
  for (const m of DEFAULT_MERCHANTS) {
    const tenant: Tenant = { id: m.id, tenantId: m.id, vendor: SLUG, name: m.name, credentials: { api_key: m.api_key, secret: m.secret }, webhookUrl: null, settings: {} };
    tx.put(TENANTS, tenant);
    openAccount(tx, m.id, LEDGER.merchant, CURRENCY, m.balance);
    openAccount(tx, m.id, LEDGER.fees, CURRENCY);
  }
}

export function seed(tx: Transaction, faker: Faker, refDate: number): void {
  seedMerchants(tx);
  const tenantId = DEFAULT_MERCHANTS[0].id;
  for (const a of ACCOUNTS_OF_DEFAULT) {
    tx.put<Account>(ACCOUNTS, fakeAccount(faker, tenantId, a.username, 'APPROVED', refDate));
    tx.put<Card>(CARDS, {
      id: a.card_id, tenantId, card_id: a.card_id, kit_number: a.kit_number, username: a.username, card_type: 1, card_level: 1,
      state: 'ACTIVE', replaces: null, pin: '1234', opCause: null, createdAt: refDate, history: [],
    });
    openAccount(tx, tenantId, LEDGER.card(a.card_id), CURRENCY);
    if (a.balance) {
      post(tx, { tenantId, accountId: LEDGER.merchant, amount: -a.balance, kind: 'opening', ref: a.card_id, at: refDate });
      post(tx, { tenantId, accountId: LEDGER.card(a.card_id), amount: a.balance, kind: 'opening', ref: a.card_id, at: refDate });
    }
  }
  setNextSeq(tx, SEQ.kit, 2000000003);
  seedDevelopmentCard(tx, faker, refDate);
}

/**
 * The second merchant's account `frfrfr` [DOC: the get-topup-status example] with two active cards: kit
 * 2000001785317853, holding that example's top-up (48.29 received as 50 USDT on chain, pending on the
 * card), and kit 2000001791317913, the create-card-transaction example's, empty. INFERRED: that the
 * second kit is frfrfr's, both card_ids, and the top-up's pending state (the docs' answer is card_status 1).
 */
function seedDevelopmentCard(tx: Transaction, faker: Faker, refDate: number): void {
  const tenantId = DEFAULT_MERCHANTS[1].id;
  tx.put<Account>(ACCOUNTS, fakeAccount(faker, tenantId, 'frfrfr', 'APPROVED', refDate));
  const cards = [
    { card_id: '3a9e7c5b1d2f4a6c8e0b2d4f6a8c0e13', kit_number: '2000001785317853' },
    { card_id: '5d0f6a2b8c4e4f7a9b1c3d5e7f9a1b2c', kit_number: '2000001791317913' },
  ];
  for (const { card_id, kit_number } of cards) {
    tx.put<Card>(CARDS, {
      id: card_id, tenantId, card_id, kit_number, username: 'frfrfr', card_type: 1, card_level: 1,
      state: 'ACTIVE', replaces: null, pin: '1234', opCause: null, createdAt: refDate, history: [],
    });
    openAccount(tx, tenantId, LEDGER.card(card_id), CURRENCY);
  }
  tx.put<Topup>(TOPUPS, {
    id: 'e25ff5a4f219456ab79504dafb480dbb', tenantId, card_id: cards[0].card_id, kit_number: cards[0].kit_number, amount: 4829, fund_source: null,
    status: 'PENDING', failReason: null, chain: { token_type: 'USDT', token_amount: '50', transaction_hash: '53a49700738721ed4f3dd49b324f350b2f1e417b4b1c6b2dc96d9bff55dc6691' },
    createdAt: 1721901242605, settledAt: null,
  });
}

/** A new merchant's api_key and secret: 32 lowercase hex digits each, like the docs' pair. */
export function newCredentials(): Record<string, string> {
  return { api_key: randomHex(16), secret: randomHex(16) };
}

function fakeAccount(faker: Faker, tenantId: string, username: string, kycState: KycState, at: number): Account {
  const first_name = faker.person.firstName().replace(/[^A-Za-z ]/g, '').slice(0, 12);
  const last_name = faker.person.lastName().replace(/[^A-Za-z ]/g, '').slice(0, 12);
  return {
    id: username,
    tenantId,
    username,
    profile: {
      card_type: 1, card_level: 1, first_name, middle_name: null, last_name, username, title: 'Ms',
      email: `${username}@example.com`, mobile_number: faker.string.numeric(10), gender: 'Female',
      card_holder_name: `${first_name} ${last_name}`.slice(0, 23), country_code: 'US', country: 'United States',
      date_of_birth: faker.date.birthdate({ mode: 'age', min: 21, max: 60, refDate: at }).toISOString().slice(0, 10),
      calling_code: '1', calling_country_code: 'US', state: 'California', city: 'San Francisco', postal_code: faker.location.zipCode('#####'),
      address: faker.location.streetAddress().replace(/[^A-Za-z0-9#.\-()/, ]/g, ''), secondary_address: null,
    },
    kycState,
    kycRejectReason: '',
    idProof: null,
    addressProof: null,
    reviewOutcome: null,
    reviewReason: '',
    createdAt: at,
    history: [],
  };
}
