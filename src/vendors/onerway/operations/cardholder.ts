/**
 * Cardholders. Only `cardholder/createCardholder` and its 80002 duplicate-email rule are documented
 * (integration guide); the update/get/list paths and the field list are INFERRED (see index.ts).
 */
import { SandboxError } from '../../../core/errors.js';
import { nextSeq } from '../../../core/ids.js';
import type { Transaction } from '../../../core/store.js';
import type { Tenant } from '../../../core/tenants.js';
import { defineOperation } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { CARDHOLDERS, FIRST_ID, SEQ, findCardholder, page, type Cardholder } from '../model.js';
import { CITIES, REGIONS } from '../reference-data.js';
import { assertEmailFree as assertFree, usingEmail } from '../../../core/records.js';

const FIELDS = ['firstName', 'lastName', 'email', 'mobileAreaCode', 'mobile', 'regionCode', 'cityCode', 'address', 'postCode', 'birthday'] as const;

export function renderCardholder(h: Cardholder): Wire.Cardholder {
  const { id: _id, tenantId: _tenantId, ...fields } = h;
  return fields;
}

export const createCardholder = defineOperation<Wire.CreateCardholderRequest, Wire.CreateCardholderResponse>({
  name: 'createCardholder',
  path: '/cardholder/createCardholder',
  idempotencyKey: 'clientRequestId',
  handler({ tx, tenant, now, body }) {
    checkReferences(body);
    assertEmailFree(tx, tenant, body.email);
    const cardholderId = nextSeq(tx, SEQ.cardholder, FIRST_ID.cardholder);
    const holder: Cardholder = {
      id: String(cardholderId),
      tenantId: tenant.id,
      cardholderId,
      firstName: body.firstName,
      lastName: body.lastName,
      email: body.email,
      mobileAreaCode: body.mobileAreaCode,
      mobile: body.mobile,
      regionCode: body.regionCode,
      cityCode: body.cityCode || null,
      address: body.address,
      postCode: body.postCode || null,
      birthday: body.birthday ?? null,
      createTime: now,
      updateTime: now,
    };
    tx.put(CARDHOLDERS, holder);
    return { cardholderId };
  },
});

export const updateCardholder = defineOperation<Wire.UpdateCardholderRequest, Wire.UpdateCardholderResponse>({
  name: 'updateCardholder',
  path: '/cardholder/updateCardholder',
  idempotencyKey: 'clientRequestId',
  handler({ tx, tenant, now, body }) {
    const holder = findCardholder(tx, tenant, body.cardholderId);
    const merged = { ...holder, ...Object.fromEntries(FIELDS.filter((f) => body[f] !== undefined).map((f) => [f, body[f]])) };
    checkReferences(merged);
    if (merged.email !== holder.email) assertEmailFree(tx, tenant, merged.email, holder.cardholderId);
    tx.put(CARDHOLDERS, { ...merged, updateTime: now });
    return { cardholderId: holder.cardholderId };
  },
});

export const getCardholder = defineOperation<Wire.GetCardholderRequest, Wire.GetCardholderResponse>({
  name: 'getCardholder',
  path: '/cardholder/getCardholder',
  readOnly: true,
  handler: ({ tx, tenant, body }) => renderCardholder(findCardholder(tx, tenant, body.cardholderId)),
});

export const getCardholderList = defineOperation<Wire.GetCardholderListRequest, Wire.GetCardholderListResponse>({
  name: 'getCardholderList',
  path: '/cardholder/getCardholderList',
  readOnly: true,
  handler({ tx, tenant, body }) {
    const where = { email: body.email === undefined ? undefined : { caseless: body.email } };
    return page<Cardholder, Wire.Cardholder>(tx, CARDHOLDERS, tenant, where, body, renderCardholder);
  },
});

/** Emails are unique per merchant regardless of case; a cardholder may re-case its own. */
function assertEmailFree(tx: Transaction, tenant: Tenant, email: string, self?: number): void {
  assertFree(usingEmail<Cardholder>(tx, CARDHOLDERS, tenant.id, email), email, (h) => h.cardholderId, self, 'cardholder');
}

function checkReferences(h: { regionCode: string; cityCode?: string | null; mobileAreaCode: string }): void {
  if (!REGIONS.some((r) => r.regionCode === h.regionCode)) {
    throw new SandboxError('invalid_param', {
      field: 'regionCode',
      detail: 'regionCode is not supported',
      diagnostic: `regionCode ${h.regionCode} is not in common/regionList`,
    });
  }
  if (!REGIONS.some((r) => r.areaCode === h.mobileAreaCode)) {
    throw new SandboxError('invalid_param', {
      field: 'mobileAreaCode',
      detail: 'mobileAreaCode is not supported',
      diagnostic: `mobileAreaCode ${h.mobileAreaCode} is not in common/mobileAreaCodeList`,
    });
  }
  if (h.cityCode && !CITIES.some((c) => c.cityCode === h.cityCode && c.regionCode === h.regionCode)) {
    throw new SandboxError('invalid_param', {
      field: 'cityCode',
      detail: 'cityCode is not supported',
      diagnostic: `cityCode ${h.cityCode} is not in common/cityList for ${h.regionCode}`,
    });
  }
}
