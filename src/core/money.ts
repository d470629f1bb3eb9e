/**
 * Exact amounts. Inside the sandbox an amount is an integer count of minor units (cents); decimal.js
 * converts at the edges, so no binary floating point ever touches a balance.
 */
import { Decimal } from 'decimal.js';
import { invalidParam } from './errors.js';

export type Minor = number;

const POWERS = Array.from({ length: 9 }, (_, i) => new Decimal(10).pow(i));
const unit = (scale: number): Decimal => POWERS[scale] ?? new Decimal(10).pow(scale);

export interface AmountRule {
  field: string;
  /** Decimal places the vendor allows (and the currency's minor unit). */
  scale?: number;
  /** Require > 0 (the default); with `false`, 0 is accepted but negatives never are. */
  positive?: boolean;
}

/** Parses a JSON number or decimal string into minor units, or throws invalid_param naming the field. */
export function parseAmount(value: unknown, { field, scale = 2, positive = true }: AmountRule): Minor {
  if (typeof value !== 'number' && typeof value !== 'string') throw invalidParam(field, 'must be a number');
  let d: Decimal;
  try {
    if (typeof value === 'string' && !/^\d+(\.\d+)?$/.test(value)) throw new Error('not decimal');
    d = new Decimal(value);
  } catch {
    throw invalidParam(field, 'must be a decimal number', `${field}=${JSON.stringify(value)} is not a decimal number`);
  }
  if (!d.isFinite()) throw invalidParam(field, 'must be a finite number');
  if (d.decimalPlaces() > scale) {
    throw invalidParam(
      field,
      `must have at most ${scale} decimal places`,
      `${field}=${String(value)} has ${d.decimalPlaces()} decimal places; at most ${scale} allowed`,
    );
  }
  if (positive ? d.lte(0) : d.lt(0)) throw invalidParam(field, positive ? 'must be greater than 0' : 'must not be negative');
  const minor = d.mul(unit(scale));
  if (minor.gt(Number.MAX_SAFE_INTEGER)) throw invalidParam(field, 'is too large');
  return minor.toNumber();
}

/** Minor units → fixed decimal string (`1022` → `"10.22"`). */
export function formatAmount(minor: Minor, scale = 2): string {
  return new Decimal(minor).div(unit(scale)).toFixed(scale);
}

/** Minor units → signed decimal string (`1023` → `"+10.23"`, `-10232` → `"-102.32"`). */
export function formatSigned(minor: Minor, scale = 2): string {
  return (minor >= 0 ? '+' : '') + formatAmount(minor, scale);
}

/** Minor units → JSON number with at most `scale` decimals (`10000` → `100`, `1022` → `10.22`). */
export function toDecimalNumber(minor: Minor, scale = 2): number {
  return new Decimal(minor).div(unit(scale)).toNumber();
}

/** Rate in basis points applied to an amount, rounded half up to a minor unit. */
export function applyBasisPoints(minor: Minor, bps: number): Minor {
  return new Decimal(minor).mul(bps).div(10_000).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}
