/**
 * Holders (持卡人): list, create, edit, detail, delete. The seed names the five pages only; the fields,
 * the filters and both rules below are INFERRED: an email is unique per merchant (3003), and a holder
 * with a card that is not cancelled or failed cannot be deleted (2002).
 */
import type { Faker } from '@faker-js/faker';
import { SandboxError, invalidParam } from '../../../core/errors.js';
import { sequenceHex } from '../../../core/ids.js';
import type { Transaction } from '../../../core/store.js';
import type { Tenant } from '../../../core/tenants.js';
import { defineOperation } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { CARD_STATUS, PATHS } from '../inferred.js';
import { COLLECTIONS, findOwned, page } from '../model.js';
import { assertEmailFree as assertFree, sameEmail, usingEmail } from '../../../core/records.js';

export type HolderView = Wire.HolderDetailResponse['data'];

/** A stored holder is its wire form owned by a merchant; `id` is the holder_id. */
export interface Holder extends HolderView {
  id: string;
  tenantId: string;
}

const FIELDS = [
  'first_name',
  'last_name',
  'email',
  'mobile_area_code',
  'mobile',
  'birthday',
  'id_type',
  'id_number',
  'country',
  'state',
  'city',
  'address',
  'postcode',
] as const;
type HolderFields = Pick<HolderView, (typeof FIELDS)[number]>;

/** INFERRED: the statuses of a card that blocks its holder's deletion: all but cancelled and failed. */
const BLOCKING_CARD_STATUSES = Object.values(CARD_STATUS).filter((s) => s !== CARD_STATUS.CANCELLED && s !== CARD_STATUS.FAILED);

export function renderHolder(h: Holder): HolderView {
  const { id: _id, tenantId: _tenantId, ...view } = h;
  return view;
}

/** The merchant's holder, or 1004 naming holder_id (order/openCard uses it too). */
export function findHolder(tx: Transaction, tenant: Tenant, holderId: unknown): Holder {
  return findOwned<Holder>(tx, tenant, COLLECTIONS.holders, holderId, 'holder_id');
}

export const holderCreate = defineOperation<Wire.HolderCreateRequest, Wire.HolderCreateResponse>({
  name: 'holderCreate',
  path: PATHS.holderCreate,
  handler({ tx, tenant, now, body }) {
    const fields = checked(pickFields(body, emptyHolder()), now);
    assertEmailFree(tx, tenant, fields.email);
    // INFERRED: holder ids follow the seed's card id style (`cid_` + 16 characters).
    const holderId = `hid_${sequenceHex(tx, 'openapi-cn.holder', now, 8)}`;
    tx.put<Holder>(COLLECTIONS.holders, { id: holderId, tenantId: tenant.id, holder_id: holderId, ...fields, created_at: now, updated_at: now });
    return { holder_id: holderId };
  },
});

export const holderEdit = defineOperation<Wire.HolderEditRequest, Wire.HolderEditResponse>({
  name: 'holderEdit',
  path: PATHS.holderEdit,
  handler({ tx, tenant, now, body }) {
    const holder = findHolder(tx, tenant, body.holder_id);
    const fields = checked(pickFields(body, holder), now);
    if (!sameEmail(fields.email, holder.email)) assertEmailFree(tx, tenant, fields.email, holder.holder_id);
    tx.put<Holder>(COLLECTIONS.holders, { ...holder, ...fields, updated_at: now });
    return { holder_id: holder.holder_id };
  },
});

export const holderDetail = defineOperation<Wire.HolderDetailRequest, Wire.HolderDetailResponse>({
  name: 'holderDetail',
  path: PATHS.holderDetail,
  readOnly: true,
  handler: ({ tx, tenant, body }) => renderHolder(findHolder(tx, tenant, body.holder_id)),
});

export const holderList = defineOperation<Wire.HolderListRequest, Wire.HolderListResponse>({
  name: 'holderList',
  path: PATHS.holderList,
  readOnly: true,
  handler({ tx, tenant, body }) {
    // INFERRED: email matches exactly (any case), name matches a part of "first last" (any case).
    const name = body.name?.toLowerCase();
    const holders = tx
      .list<Holder>(COLLECTIONS.holders, tenant.id)
      .filter((h) => body.email === undefined || sameEmail(h.email, body.email))
      .filter((h) => name === undefined || `${h.first_name} ${h.last_name}`.toLowerCase().includes(name))
      .sort((a, b) => b.created_at - a.created_at);
    return page(holders, body, renderHolder);
  },
});

export const holderDelete = defineOperation<Wire.HolderDeleteRequest, Wire.HolderDeleteResponse & { data?: undefined }>({
  name: 'holderDelete',
  path: PATHS.holderDelete,
  handler({ tx, tenant, body }) {
    const holder = findHolder(tx, tenant, body.holder_id);
    // Counted by the store; read only to name them in the refusal.
    const blocking = { where: { holder_id: holder.holder_id, status: { in: BLOCKING_CARD_STATUSES } }, offset: 0 };
    const { total } = tx.page(COLLECTIONS.cards, tenant.id, { ...blocking, limit: 0 });
    if (total > 0) {
      const cards = tx.page<{ id: string; tenantId: string; status: number }>(COLLECTIONS.cards, tenant.id, { ...blocking, limit: total }).records;
      throw new SandboxError('invalid_state', {
        field: 'holder_id',
        detail: 'holder has cards that are not cancelled',
        diagnostic: `holder ${holder.holder_id} still has ${cards.length} card(s) not cancelled or failed: ${cards.map((c) => `${c.id} (status ${c.status})`).join(', ')}`,
      });
    }
    tx.delete(COLLECTIONS.holders, tenant.id, holder.id);
    return undefined;
  },
});

export const holderOperations = [holderList, holderCreate, holderEdit, holderDetail, holderDelete];

/** Two or more holders per merchant, named by faker; the first holds the merchant's seeded cards. */
export function seedHolders(tx: Transaction, tenantId: string, faker: Faker, refDate: number): string[] {
  const countries = [
    { country: 'US', area: '+1', state: 'CA', city: 'San Francisco', postcode: '94105' },
    { country: 'HK', area: '+852', state: null, city: 'Hong Kong', postcode: null },
  ];
  return countries.map((place, i) => {
    const first_name = faker.person.firstName();
    const last_name = faker.person.lastName();
    const holderId = `hid_${faker.string.hexadecimal({ length: 16, casing: 'lower', prefix: '' })}`;
    const at = refDate - (countries.length - i) * 86_400_000;
    tx.put<Holder>(COLLECTIONS.holders, {
      id: holderId,
      tenantId,
      holder_id: holderId,
      first_name,
      last_name,
      email: faker.internet.email({ firstName: first_name, lastName: last_name, provider: 'example.com' }).toLowerCase(),
      mobile_area_code: place.area,
      mobile: faker.string.numeric(place.country === 'US' ? 10 : 8),
      birthday: faker.date.birthdate({ mode: 'age', min: 21, max: 65, refDate }).toISOString().slice(0, 10),
      id_type: 'passport',
      id_number: faker.string.alphanumeric({ length: 9, casing: 'upper' }),
      country: place.country,
      state: place.state,
      city: place.city,
      address: faker.location.streetAddress(),
      postcode: place.postcode,
      created_at: at,
      updated_at: at,
    });
    return holderId;
  });
}

function emptyHolder(): HolderFields {
  return {
    first_name: '',
    last_name: '',
    email: '',
    mobile_area_code: '',
    mobile: '',
    birthday: null,
    id_type: null,
    id_number: null,
    country: '',
    state: null,
    city: '',
    address: '',
    postcode: null,
  };
}

/** The request's holder fields over `base` (an edit changes only what it sends). */
function pickFields(body: Partial<Record<(typeof FIELDS)[number], unknown>>, base: HolderFields): HolderFields {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) out[f] = body[f] !== undefined ? body[f] : base[f];
  return out as HolderFields;
}

/** INFERRED: an identity document is a pair; a birthday is a real date in the past. */
function checked(h: HolderFields, now: number): HolderFields {
  if (h.id_type !== null && h.id_number === null) throw invalidParam('id_number', 'is required with id_type');
  if (h.id_number !== null && h.id_type === null) throw invalidParam('id_type', 'is required with id_number');
  if (h.birthday !== null && Date.parse(h.birthday) >= now) throw invalidParam('birthday', 'must be in the past');
  return h;
}

/** Emails are unique per merchant whatever their case; a holder may re-case its own. */
function assertEmailFree(tx: Transaction, tenant: Tenant, email: string, self?: string): void {
  assertFree(usingEmail<Holder>(tx, COLLECTIONS.holders, tenant.id, email), email, (h) => h.holder_id, self, 'holder', true);
}
