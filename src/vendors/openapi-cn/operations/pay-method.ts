/**
 * PayMethod (付款方式): the payout rails a payment may use. INFERRED throughout: the docs' list did not
 * survive, so the sandbox offers a fixed table of common rails with the currencies each carries and the
 * Fee Modes it accepts (local rails share fees; only SWIFT lets the payer choose OUR or BEN). The same
 * table says what payee/create needs for each rail and what payment/create charges on it, so every rail
 * payMethod/list offers is one a payee can use (test/vendors/openapi-cn/catalogues.test.ts).
 */
import type { Minor } from '../../../core/money.js';
import { defineOperation } from '../../../core/vendor.js';
import type * as Wire from '../contract-types.js';
import { FEE_MODE, PATHS } from '../inferred.js';
import { page } from '../model.js';

export interface PayMethod {
  pay_method: string;
  name: string;
  region: string;
  currencies: string[];
  fee_modes: (typeof FEE_MODE)[number][];
  arrival: string;
  /** Bank countries the rail reaches; null: any. */
  countries: readonly string[] | null;
  /** The bank identifier the rail routes on (payee/create requires it). */
  needs: 'swift_code' | 'routing_code';
  /** A local routing code's shape (ABA routing number, HK bank code, UK sort code, SG bank code). */
  routing?: RegExp;
  /** The fixed fee per payment, in the payment's minor units. */
  fee: Minor;
}

const SHA_ONLY: PayMethod['fee_modes'] = ['SHA'];
/** INFERRED: the SEPA zone's bank countries (EU members and the EEA/SEPA members outside the EU). */
const SEPA_COUNTRIES = [
  'AT',
  'BE',
  'BG',
  'CH',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IS',
  'IT',
  'LI',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'NO',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
];

/** INFERRED: SWIFT 15.00 to anywhere, Fedwire and CHATS 10.00 and 5.00, the instant and batch rails 1.00. */
export const PAY_METHODS: readonly PayMethod[] = [
  {
    pay_method: 'SWIFT',
    name: 'SWIFT international wire',
    region: 'GLOBAL',
    currencies: ['USD', 'HKD', 'CNY', 'EUR', 'GBP', 'SGD'],
    fee_modes: [...FEE_MODE],
    arrival: '1-3 business days',
    countries: null,
    needs: 'swift_code',
    fee: 1500,
  },
  {
    pay_method: 'LOCAL_ACH',
    name: 'US ACH',
    region: 'US',
    currencies: ['USD'],
    fee_modes: SHA_ONLY,
    arrival: '1-2 business days',
    countries: ['US'],
    needs: 'routing_code',
    routing: /^\d{9}$/,
    fee: 100,
  },
  {
    pay_method: 'FEDWIRE',
    name: 'US Fedwire',
    region: 'US',
    currencies: ['USD'],
    fee_modes: SHA_ONLY,
    arrival: 'same day',
    countries: ['US'],
    needs: 'routing_code',
    routing: /^\d{9}$/,
    fee: 1000,
  },
  {
    pay_method: 'FPS',
    name: 'Hong Kong Faster Payment System',
    region: 'HK',
    currencies: ['HKD', 'CNY'],
    fee_modes: SHA_ONLY,
    arrival: 'real time',
    countries: ['HK'],
    needs: 'routing_code',
    routing: /^\d{3}$/,
    fee: 100,
  },
  {
    pay_method: 'CHATS',
    name: 'Hong Kong CHATS',
    region: 'HK',
    currencies: ['HKD', 'USD', 'CNY', 'EUR'],
    fee_modes: SHA_ONLY,
    arrival: 'same day',
    countries: ['HK'],
    needs: 'routing_code',
    routing: /^\d{3}$/,
    fee: 500,
  },
  {
    pay_method: 'SEPA',
    name: 'SEPA credit transfer',
    region: 'EU',
    currencies: ['EUR'],
    fee_modes: SHA_ONLY,
    arrival: '1 business day',
    countries: SEPA_COUNTRIES,
    needs: 'swift_code',
    fee: 100,
  },
  {
    pay_method: 'UK_FPS',
    name: 'UK Faster Payments',
    region: 'GB',
    currencies: ['GBP'],
    fee_modes: SHA_ONLY,
    arrival: 'real time',
    countries: ['GB'],
    needs: 'routing_code',
    routing: /^\d{6}$/,
    fee: 100,
  },
  {
    pay_method: 'SG_FAST',
    name: 'Singapore FAST',
    region: 'SG',
    currencies: ['SGD'],
    fee_modes: SHA_ONLY,
    arrival: 'real time',
    countries: ['SG'],
    needs: 'routing_code',
    routing: /^\d{4}$/,
    fee: 100,
  },
];

/** The rail with this code, or undefined. */
export function findPayMethod(code: string): PayMethod | undefined {
  return PAY_METHODS.find((m) => m.pay_method === code);
}

/** The rail a stored payee or payment names (its code was checked when it was stored). */
export function payMethodOf(code: string): PayMethod {
  const method = findPayMethod(code);
  if (!method) throw new Error(`pay_method ${code} is not in PAY_METHODS`);
  return method;
}

export const payMethodList = defineOperation<Wire.PayMethodListRequest, Wire.PayMethodListResponse>({
  name: 'payMethodList',
  path: PATHS.payMethodList,
  readOnly: true,
  handler({ body }) {
    const methods = PAY_METHODS.filter((m) => body.currency === undefined || m.currencies.includes(body.currency));
    return page(methods, body, (m) => ({
      pay_method: m.pay_method,
      name: m.name,
      region: m.region,
      currencies: [...m.currencies],
      fee_modes: [...m.fee_modes],
      arrival: m.arrival,
    }));
  },
});

export const payMethodOperations = [payMethodList];
