/**
 * INFERRED: the BINs every merchant of the default scenario holds (卡Bin). The docs name Bin Type
 * (virtual/physical), Bin Mode (prepaid/shared balance) and Bin Status, fees (开卡费, recharge fee rate)
 * and limits; prefixes, amounts and names here are the sandbox's own. Amounts are minor units, rates
 * basis points. Ids are per merchant, so both merchants hold the same ids.
 */
import { BIN_MODE, BIN_STATUS, BIN_TYPE } from './inferred.js';

export interface BinTerms {
  bin_id: string;
  bin: string;
  name: string;
  brand: 'Visa' | 'Mastercard';
  bin_type: (typeof BIN_TYPE)[keyof typeof BIN_TYPE];
  bin_mode: (typeof BIN_MODE)[keyof typeof BIN_MODE];
  status: (typeof BIN_STATUS)[keyof typeof BIN_STATUS];
  currency: string;
  /** Charged once per card opened. */
  open_fee: number;
  /** Basis points of each recharge (150 = 1.50%). */
  recharge_fee_rate: number;
  min_recharge: number;
  max_recharge: number;
  /** Cards one holder may hold on this BIN. */
  card_limit: number;
  /** Largest single card transaction, and card spend per day. */
  single_limit: number;
  daily_limit: number;
}

export const SEED_BINS: readonly BinTerms[] = [
  {
    bin_id: 'bin_v_usd',
    bin: '48580200',
    name: 'Visa Virtual USD Prepaid',
    brand: 'Visa',
    bin_type: BIN_TYPE.VIRTUAL,
    bin_mode: BIN_MODE.PREPAID,
    status: BIN_STATUS.ENABLED,
    currency: 'USD',
    open_fee: 100,
    recharge_fee_rate: 150,
    min_recharge: 1_000,
    max_recharge: 1_000_000,
    card_limit: 10,
    single_limit: 500_000,
    daily_limit: 1_000_000,
  },
  {
    bin_id: 'bin_p_usd',
    bin: '53165800',
    name: 'Mastercard Physical USD Prepaid',
    brand: 'Mastercard',
    bin_type: BIN_TYPE.PHYSICAL,
    bin_mode: BIN_MODE.PREPAID,
    status: BIN_STATUS.ENABLED,
    currency: 'USD',
    open_fee: 1_000,
    recharge_fee_rate: 100,
    min_recharge: 2_000,
    max_recharge: 5_000_000,
    card_limit: 2,
    single_limit: 1_000_000,
    daily_limit: 2_000_000,
  },
  {
    bin_id: 'bin_v_hkd',
    bin: '49372100',
    name: 'Visa Virtual HKD Prepaid',
    brand: 'Visa',
    bin_type: BIN_TYPE.VIRTUAL,
    bin_mode: BIN_MODE.PREPAID,
    status: BIN_STATUS.ENABLED,
    currency: 'HKD',
    open_fee: 800,
    recharge_fee_rate: 150,
    min_recharge: 10_000,
    max_recharge: 8_000_000,
    card_limit: 10,
    single_limit: 4_000_000,
    daily_limit: 8_000_000,
  },
  {
    bin_id: 'bin_s_usd',
    bin: '55667700',
    name: 'Mastercard Virtual USD Shared Balance',
    brand: 'Mastercard',
    bin_type: BIN_TYPE.VIRTUAL,
    bin_mode: BIN_MODE.SHARED_BALANCE,
    status: BIN_STATUS.ENABLED,
    currency: 'USD',
    open_fee: 200,
    recharge_fee_rate: 0,
    min_recharge: 1_000,
    max_recharge: 1_000_000,
    card_limit: 20,
    single_limit: 500_000,
    daily_limit: 1_000_000,
  },
  {
    bin_id: 'bin_off',
    bin: '41111100',
    name: 'Visa Virtual USD Prepaid (retired)',
    brand: 'Visa',
    bin_type: BIN_TYPE.VIRTUAL,
    bin_mode: BIN_MODE.PREPAID,
    status: BIN_STATUS.DISABLED,
    currency: 'USD',
    open_fee: 100,
    recharge_fee_rate: 200,
    min_recharge: 1_000,
    max_recharge: 500_000,
    card_limit: 5,
    single_limit: 200_000,
    daily_limit: 500_000,
  },
];
