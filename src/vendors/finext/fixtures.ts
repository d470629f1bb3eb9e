/**
 * Finext's part of the scenario packs: two funded merchants (all the `empty` pack has) and, in the
 * default pack, what each of the docs' example requests needs, in the state it needs. The docs'
 * credentials are the default merchant's (api_key fd01a53d…, secret 16388ce4…), and the webhook and
 * create-transaction examples' pair is a second merchant.
 * - `lili12` (approved): card 4b7e1f659b2f413e8863ec88004ba1f8 (kit 2000000001, active: the seed's
 *   modifyOpStatus example blocks it) and kit 111111, mailed (the activate example activates it).
 * - `lili111`: kit 111111, active with 10.22 (the balance and top-up examples), and kit
 *   2000001791317913, active (both transaction examples; no transactions yet). Its KYC is at 3,
 *   resubmission asked, with the ID proof on file and the address proof sent back, so the update-ID-proof
 *   example and both address-proof examples (add and update: the same request) are each accepted.
 * - The second merchant's `lili111` holds kit 2000001791317913 too (the create-transaction example).
 * INFERRED: the docs give kit 111111 to both lili12 and lili111, so here a kit number is unique per
 * account, not per merchant.
 */
import type { Faker } from '@faker-js/faker';
import { openAccount, post } from '../../core/ledger.js';
import { randomHex, setNextSeq } from '../../core/ids.js';
import type { Transaction } from '../../core/store.js';
import { putMerchant } from '../../core/tenants.js';
import type { CardState } from './machines/card.js';
import type { KycState } from './machines/kyc.js';
import { ACCOUNTS, CARDS, CURRENCY, LEDGER, SEQ, SLUG, TOPUPS, type Account, type Card, type IdProof, type Topup } from './model.js';

export const DEFAULT_MERCHANTS = [
  {
    id: 'finext-default',
    name: 'Finext sandbox merchant',
    api_key: 'fd01a53d7834b06c080cd1024ae9c60a',
    secret: '16388ce4331b35e8e0d32777ba57d7d9',
    balance: 100_000_000,
  },
  {
    id: 'finext-webhooks',
    name: "Finext second merchant (the webhook examples' keys)",
    api_key: 'ac97c403062e94a094131aa332df6458',
    secret: 'a446b6660552582e08b043b84634e1fe',
    balance: 1_000_000,
  },
] as const;

interface SeedCard {
  card_id: string;
  kit_number: string;
  state: CardState;
  balance: number;
}
interface SeedAccount {
  tenant: number;
  username: string;
  kyc: KycState;
  kycRejectReason?: string;
  idProof?: IdProof;
  cards: SeedCard[];
}

/** A Passport on file, as the update-ID-proof example replaces it. */
const LILI111_ID_PROOF: IdProof = {
  id_type: 'Passport',
  id_number: 'P7654321',
  issued_by: 'US',
  issued_date: '2020-01-15',
  expiration_date: '2030-01-15',
  language: 'English',
  id_front_extension: 'jpeg',
  id_back_extension: null,
};

const SEED_ACCOUNTS: SeedAccount[] = [
  {
    tenant: 0,
    username: 'lili12',
    kyc: 'APPROVED',
    cards: [
      { card_id: '4b7e1f659b2f413e8863ec88004ba1f8', kit_number: '2000000001', state: 'ACTIVE', balance: 0 },
      { card_id: '6a0c7e21d8f94b53a2e4c1b9f07d3e15', kit_number: '111111', state: 'MAILED', balance: 0 },
    ],
  },
  {
    tenant: 0,
    username: 'lili111',
    kyc: 'RESUBMIT',
    kycRejectReason: 'Address proof is not legible, please send a new one',
    idProof: LILI111_ID_PROOF,
    cards: [
      { card_id: '9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f', kit_number: '111111', state: 'ACTIVE', balance: 1022 },
      { card_id: 'd3f5a7c9e1b24680a2c4e6f8b0d2f4a6', kit_number: '2000001791317913', state: 'ACTIVE', balance: 0 },
    ],
  },
  {
    tenant: 1,
    username: 'lili111',
    kyc: 'APPROVED',
    cards: [{ card_id: 'f0e1d2c3b4a5968778695a4b3c2d1e0f', kit_number: '2000001791317913', state: 'ACTIVE', balance: 0 }],
  },
];

/** The default merchants: credentials and funded ledger accounts; no other records. */
export function seedMerchants(tx: Transaction): void {
  for (const m of DEFAULT_MERCHANTS) {
    putMerchant(tx, SLUG, m.id, m.name, { api_key: m.api_key, secret: m.secret });
    openAccount(tx, m.id, LEDGER.merchant, CURRENCY, m.balance);
    openAccount(tx, m.id, LEDGER.fees, CURRENCY);
  }
}

export function seed(tx: Transaction, faker: Faker, refDate: number): void {
  seedMerchants(tx);
  for (const a of SEED_ACCOUNTS) {
    const tenantId = DEFAULT_MERCHANTS[a.tenant].id;
    tx.put<Account>(ACCOUNTS, {
      ...fakeAccount(faker, tenantId, a.username, a.kyc, refDate),
      kycRejectReason: a.kycRejectReason ?? '',
      idProof: a.idProof ?? null,
    });
    for (const c of a.cards) seedCard(tx, tenantId, a.username, c, refDate);
  }
  setNextSeq(tx, SEQ.kit, 2000000003);
  seedDevelopmentCard(tx, faker, refDate);
}

/**
 * The second merchant's account `frfrfr` [DOC: the get-topup-status example] with an active card, kit
 * 2000001785317853, holding that example's top-up (48.29 received as 50 USDT on chain, pending on the
 * card). INFERRED: its card_id, and the top-up's pending state (the docs' answer is card_status 1).
 */
function seedDevelopmentCard(tx: Transaction, faker: Faker, refDate: number): void {
  const tenantId = DEFAULT_MERCHANTS[1].id;
  tx.put<Account>(ACCOUNTS, fakeAccount(faker, tenantId, 'frfrfr', 'APPROVED', refDate));
  const cards = [{ card_id: '3a9e7c5b1d2f4a6c8e0b2d4f6a8c0e13', kit_number: '2000001785317853' }];
  for (const { card_id, kit_number } of cards) {
    tx.put<Card>(CARDS, {
      id: card_id,
      tenantId,
      card_id,
      kit_number,
      username: 'frfrfr',
      card_type: 1,
      card_level: 1,
      state: 'ACTIVE',
      replaces: null,
      pin: '1234',
      opCause: null,
      createdAt: refDate,
      history: [],
    });
    openAccount(tx, tenantId, LEDGER.card(card_id), CURRENCY);
  }
  tx.put<Topup>(TOPUPS, {
    id: 'e25ff5a4f219456ab79504dafb480dbb',
    tenantId,
    card_id: cards[0].card_id,
    kit_number: cards[0].kit_number,
    amount: 4829,
    fund_source: null,
    status: 'PENDING',
    failReason: null,
    chain: { token_type: 'USDT', token_amount: '50', transaction_hash: '53a49700738721ed4f3dd49b324f350b2f1e417b4b1c6b2dc96d9bff55dc6691' },
    createdAt: 1721901242605,
    settledAt: null,
  });
}

function seedCard(tx: Transaction, tenantId: string, username: string, c: SeedCard, refDate: number): void {
  tx.put<Card>(CARDS, {
    id: c.card_id,
    tenantId,
    card_id: c.card_id,
    kit_number: c.kit_number,
    username,
    card_type: 1,
    card_level: 1,
    state: c.state,
    replaces: null,
    pin: c.state === 'ACTIVE' ? '1234' : null,
    opCause: null,
    createdAt: refDate,
    history: [],
  });
  openAccount(tx, tenantId, LEDGER.card(c.card_id), CURRENCY);
  if (c.balance) {
    post(tx, { tenantId, accountId: LEDGER.merchant, amount: -c.balance, kind: 'opening', ref: c.card_id, at: refDate });
    post(tx, { tenantId, accountId: LEDGER.card(c.card_id), amount: c.balance, kind: 'opening', ref: c.card_id, at: refDate });
  }
}

/** A new merchant's api_key and secret: 32 lowercase hex digits each, like the docs' pair. */
export function newCredentials(): Record<string, string> {
  return { api_key: randomHex(16), secret: randomHex(16) };
}

function fakeAccount(faker: Faker, tenantId: string, username: string, kycState: KycState, at: number): Account {
  const first_name = faker.person
    .firstName()
    .replace(/[^A-Za-z ]/g, '')
    .slice(0, 12);
  const last_name = faker.person
    .lastName()
    .replace(/[^A-Za-z ]/g, '')
    .slice(0, 12);
  return {
    id: username,
    tenantId,
    username,
    profile: {
      card_type: 1,
      card_level: 1,
      first_name,
      middle_name: null,
      last_name,
      username,
      title: 'Ms',
      email: `${username}@example.com`,
      mobile_number: faker.string.numeric(10),
      gender: 'Female',
      card_holder_name: `${first_name} ${last_name}`.slice(0, 23),
      country_code: 'US',
      country: 'United States',
      date_of_birth: faker.date.birthdate({ mode: 'age', min: 21, max: 60, refDate: at }).toISOString().slice(0, 10),
      calling_code: '1',
      calling_country_code: 'US',
      state: 'California',
      city: 'San Francisco',
      postal_code: faker.location.zipCode('#####'),
      address: faker.location.streetAddress().replace(/[^A-Za-z0-9#.\-()/, ]/g, ''),
      secondary_address: null,
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
