/**
 * INFERRED: the exchange-rate table behind wallet/exchangeRate (获取兑换汇率). The docs' rates did not
 * survive, so the sandbox quotes fixed mid rates: units of each currency per 1 USD, cross rates derived
 * from them. Change the table here; a quote holds for RATE_QUOTE_TTL_MS.
 */
import { Decimal } from 'decimal.js';
import { invalidParam } from '../../core/errors.js';

export const USD_RATES: Readonly<Record<string, string>> = {
  USD: '1',
  HKD: '7.8100',
  CNY: '7.2500',
  EUR: '0.9200',
  GBP: '0.7900',
  SGD: '1.3400',
};

/** INFERRED: how long a quote is valid. */
export const RATE_QUOTE_TTL_MS = 5 * 60_000;

/** Decimal places of a quoted rate ("7.8100"). INFERRED. */
export const RATE_SCALE = 4;

function perUsd(currency: string, field: string): Decimal {
  const rate = USD_RATES[currency];
  if (!rate) throw invalidParam(field, 'is not a supported currency', `${field} ${currency}: the sandbox quotes ${Object.keys(USD_RATES).join(', ')}`);
  return new Decimal(rate);
}

/** 1 `from` = rate `to`, exact before rounding. */
function exactRate(from: string, to: string): Decimal {
  const base = perUsd(from, 'from_currency');
  return perUsd(to, 'to_currency').div(base);
}

/** The quoted rate as the vendor shows it: a decimal string with RATE_SCALE places, rounded half up. */
export function exchangeRate(from: string, to: string): string {
  return exactRate(from, to).toFixed(RATE_SCALE, Decimal.ROUND_HALF_UP);
}
