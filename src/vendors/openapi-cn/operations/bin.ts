/**
 * Bin (卡Bin列表 / 详情 / 费用 / 限制): the card products a merchant may open cards on. Paths and fields
 * are INFERRED (VENDORS.md §A.3); the seeded BINs are in bin-catalog.ts. A disabled BIN is still listed
 * and answered, with status 0; opening cards on it is refused (findUsableBin).
 */
import { invalidParam } from '../../../core/errors.js';
import { applyBasisPoints, formatAmount, type Minor } from '../../../core/money.js';
import type { Transaction } from '../../../core/store.js';
import type { Tenant } from '../../../core/tenants.js';
import { defineOperation } from '../../../core/vendor.js';
import { SEED_BINS, type BinTerms } from '../bin-catalog.js';
import type * as Wire from '../contract-types.js';
import { BIN_STATUS, BIN_TYPE, CARD_TYPE, PATHS } from '../inferred.js';
import { COLLECTIONS, findOwned, recordPage } from '../model.js';

/** A stored BIN: its terms (amounts in minor units, recharge_fee_rate in basis points) and the Card Type it issues. */
export interface Bin extends BinTerms {
  id: string;
  tenantId: string;
  card_type: (typeof CARD_TYPE)[keyof typeof CARD_TYPE];
}

export function seedBins(tx: Transaction, tenantId: string): void {
  for (const terms of SEED_BINS) {
    tx.put<Bin>(COLLECTIONS.bins, {
      id: terms.bin_id,
      tenantId,
      ...terms,
      card_type: terms.bin_type === BIN_TYPE.PHYSICAL ? CARD_TYPE.PHYSICAL : CARD_TYPE.VIRTUAL,
    });
  }
}

/** The merchant's BIN, enabled or not, or 1004 naming bin_id. */
export function findBin(tx: Transaction, tenant: Tenant, binId: unknown): Bin {
  return findOwned<Bin>(tx, tenant, COLLECTIONS.bins, binId, 'bin_id');
}

/** The merchant's BIN for a new card: INFERRED, a disabled BIN answers 1001 naming bin_id. */
export function findUsableBin(tx: Transaction, tenant: Tenant, binId: unknown): Bin {
  const bin = findBin(tx, tenant, binId);
  if (bin.status !== BIN_STATUS.ENABLED)
    throw invalidParam('bin_id', 'is disabled', `BIN ${bin.bin_id} (${bin.bin}) is disabled: cards cannot be opened on it`);
  return bin;
}

/** The recharge fee of `amount` on this BIN, rounded half up to a minor unit. */
export function rechargeFee(bin: Bin, amount: Minor): Minor {
  return applyBasisPoints(amount, bin.recharge_fee_rate);
}

/** Basis points as the vendor's fraction string: 150 → "0.0150". INFERRED format. */
export function formatRate(bps: number): string {
  return formatAmount(bps, 4);
}

function renderBin(b: Bin) {
  return {
    bin_id: b.bin_id,
    bin: b.bin,
    name: b.name,
    brand: b.brand,
    card_type: b.card_type,
    bin_type: b.bin_type,
    bin_mode: b.bin_mode,
    currency: b.currency,
    status: b.status,
  };
}

export const binList = defineOperation<Wire.BinListRequest, Wire.BinListResponse>({
  name: 'binList',
  path: PATHS.binList,
  readOnly: true,
  handler({ tx, tenant, body }) {
    const where = { bin_type: body.bin_type, bin_mode: body.bin_mode, status: body.status, currency: body.currency };
    return recordPage(tx, tenant, COLLECTIONS.bins, where, body, renderBin);
  },
});

export const binDetail = defineOperation<Wire.BinDetailRequest, Wire.BinDetailResponse>({
  name: 'binDetail',
  path: PATHS.binDetail,
  readOnly: true,
  handler: ({ tx, tenant, body }) => renderBin(findBin(tx, tenant, body.bin_id)),
});

export const binFee = defineOperation<Wire.BinFeeRequest, Wire.BinFeeResponse>({
  name: 'binFee',
  path: PATHS.binFee,
  readOnly: true,
  handler({ tx, tenant, body }) {
    const b = findBin(tx, tenant, body.bin_id);
    return { bin_id: b.bin_id, currency: b.currency, open_fee: formatAmount(b.open_fee), recharge_fee_rate: formatRate(b.recharge_fee_rate) };
  },
});

export const binLimit = defineOperation<Wire.BinLimitRequest, Wire.BinLimitResponse>({
  name: 'binLimit',
  path: PATHS.binLimit,
  readOnly: true,
  handler({ tx, tenant, body }) {
    const b = findBin(tx, tenant, body.bin_id);
    return {
      bin_id: b.bin_id,
      currency: b.currency,
      min_recharge: formatAmount(b.min_recharge),
      max_recharge: formatAmount(b.max_recharge),
      card_limit: b.card_limit,
      single_limit: formatAmount(b.single_limit),
      daily_limit: formatAmount(b.daily_limit),
    };
  },
});

export const binOperations = [binList, binDetail, binFee, binLimit];
