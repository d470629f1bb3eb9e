/**
 * Accounts [DOC: /reference/readme/account/create-account, get-account-details]. Field rules are in the
 * request schemas; the ones a schema cannot say (age from the sandbox clock, calling code against
 * country, uniqueness) are here. INFERRED: create answers the username and the card_id reserved for the
 * card that is applied for once KYC is approved (the docs say card_id comes "from Create Account").
 */
import { SandboxError, invalidParam } from '../../../core/errors.js';
import { available, getAccount } from '../../../core/ledger.js';
import { formatAmount } from '../../../core/money.js';
import type { Transaction } from '../../../core/store.js';
import type { Tenant } from '../../../core/tenants.js';
import { defineOperation } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { issueCard, renderCard } from '../cards.js';
import { KYC_STATUS } from '../machines/kyc.js';
import { findAll } from '../../../core/records.js';
import { ACCOUNTS, CARDS, LEDGER, findAccount, type Account, type Card } from '../model.js';
import { CALLING_CODES } from '../reference-data.js';

/** The fields create stores and getAccountDetails echoes, in the docs' order. */
export const PROFILE_FIELDS = [
  'card_type',
  'card_level',
  'first_name',
  'middle_name',
  'last_name',
  'username',
  'title',
  'email',
  'mobile_number',
  'gender',
  'card_holder_name',
  'country_code',
  'country',
  'date_of_birth',
  'calling_code',
  'calling_country_code',
  'state',
  'city',
  'postal_code',
  'address',
  'secondary_address',
] as const;

export const createAccount = defineOperation<Wire.CreateAccountRequest, Wire.CreateAccountResponse>({
  name: 'createAccount',
  path: '/account/create',
  handler(ctx) {
    const { tx, tenant, now, body } = ctx;
    checkAge(body.date_of_birth, now);
    const expected = CALLING_CODES[body.calling_country_code];
    if (expected && expected !== body.calling_code) {
      throw invalidParam(
        'calling_code',
        `does not match calling_country_code ${body.calling_country_code}`,
        `calling_code ${body.calling_code} is not ${body.calling_country_code}'s (${expected})`,
      );
    }
    assertUnique(tx, tenant, body);
    const profile = Object.fromEntries(PROFILE_FIELDS.map((f) => [f, (body as unknown as Record<string, unknown>)[f] ?? null])) as Account['profile'];
    const account: Account = {
      id: body.username,
      tenantId: tenant.id,
      username: body.username,
      profile,
      kycState: 'NONE',
      kycRejectReason: '',
      idProof: null,
      addressProof: null,
      reviewOutcome: null,
      reviewReason: '',
      createdAt: now,
      history: [],
    };
    tx.put(ACCOUNTS, account);
    const card = issueCard(ctx, account, body.card_type, body.card_level);
    return { username: account.username, card_id: card.card_id };
  },
});

export const getAccountDetails = defineOperation<Wire.GetAccountDetailsRequest, Wire.GetAccountDetailsResponse>({
  name: 'getAccountDetails',
  path: '/account/getAccountDetails',
  readOnly: true,
  handler({ tx, tenant, body }) {
    const account = findAccount(tx, tenant, body.username);
    const cards = findAll<Card>(tx, tenant, CARDS, { username: account.username });
    return {
      ...(account.profile as unknown as Wire.AccountProfile),
      kyc_status: KYC_STATUS[account.kycState],
      kyc_reject_reason: account.kycRejectReason,
      cards: cards.map((c) => renderCard(c, formatAmount(available(getAccount(tx, tenant.id, LEDGER.card(c.card_id)))))),
    };
  },
});

function checkAge(dateOfBirth: string, now: number): void {
  const born = new Date(`${dateOfBirth}T00:00:00Z`);
  if (Number.isNaN(born.getTime())) throw invalidParam('date_of_birth', 'must be a date YYYY-MM-DD');
  const today = new Date(now);
  const adult = new Date(Date.UTC(born.getUTCFullYear() + 18, born.getUTCMonth(), born.getUTCDate()));
  if (adult.getTime() > Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())) {
    throw invalidParam(
      'date_of_birth',
      'must be at least 18 years ago',
      `date_of_birth ${dateOfBirth}: the holder is under 18 on ${today.toISOString().slice(0, 10)} (sandbox clock)`,
    );
  }
}

function assertUnique(tx: Transaction, tenant: Tenant, body: Wire.CreateAccountRequest): void {
  for (const field of ['username', 'email', 'mobile_number'] as const) {
    // Over the list: the rule compares each stored value as a string (String()), a number too, where a
    // query's caseless match (record-query.ts) matches strings only. Accounts grow with sign-ups, not money.
    const taken = tx.list<Account>(ACCOUNTS, tenant.id).find((a) => String(a.profile[field]).toLowerCase() === String(body[field]).toLowerCase());
    if (taken)
      throw new SandboxError('duplicate_resource', {
        field,
        detail: `${field} already exists`,
        diagnostic: `${field} ${body[field]} is already used by account ${taken.username}`,
      });
  }
}
