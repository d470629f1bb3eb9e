/**
 * PayMethod (付款方式): the payout rails a payment may use. INFERRED throughout: the docs' list did not
 * survive, so the sandbox offers a fixed table of common rails with the currencies each carries and the
 * Fee Modes it accepts (local rails share fees; only SWIFT lets the payer choose OUR or BEN).
 */
import { defineOperation } from '../../types.js';
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
}

const SHA_ONLY: PayMethod['fee_modes'] = ['SHA'];

export const PAY_METHODS: readonly PayMethod[] = [
  { pay_method: 'SWIFT', name: 'SWIFT international wire', region: 'GLOBAL', currencies: ['USD', 'HKD', 'CNY', 'EUR', 'GBP', 'SGD'], fee_modes: [...FEE_MODE], arrival: '1-3 business days' },
  { pay_method: 'LOCAL_ACH', name: 'US ACH', region: 'US', currencies: ['USD'], fee_modes: SHA_ONLY, arrival: '1-2 business days' },
  { pay_method: 'FEDWIRE', name: 'US Fedwire', region: 'US', currencies: ['USD'], fee_modes: SHA_ONLY, arrival: 'same day' },
  { pay_method: 'FPS', name: 'Hong Kong Faster Payment System', region: 'HK', currencies: ['HKD', 'CNY'], fee_modes: SHA_ONLY, arrival: 'real time' },
  { pay_method: 'CHATS', name: 'Hong Kong CHATS', region: 'HK', currencies: ['HKD', 'USD', 'CNY', 'EUR'], fee_modes: SHA_ONLY, arrival: 'same day' },
  { pay_method: 'SEPA', name: 'SEPA credit transfer', region: 'EU', currencies: ['EUR'], fee_modes: SHA_ONLY, arrival: '1 business day' },
  { pay_method: 'UK_FPS', name: 'UK Faster Payments', region: 'GB', currencies: ['GBP'], fee_modes: SHA_ONLY, arrival: 'real time' },
  { pay_method: 'SG_FAST', name: 'Singapore FAST', region: 'SG', currencies: ['SGD'], fee_modes: SHA_ONLY, arrival: 'real time' },
];

/** The rail with this code, or undefined (for payment/create's checks). */
export function findPayMethod(code: string): PayMethod | undefined {
  return PAY_METHODS.find((m) => m.pay_method === code);
}

export const payMethodList = defineOperation<Wire.PayMethodListRequest, Wire.PayMethodListResponse>({
  name: 'payMethodList',
  path: PATHS.payMethodList,
  handler({ body }) {
    const methods = PAY_METHODS.filter((m) => body.currency === undefined || m.currencies.includes(body.currency));
    return page(methods, body, (m) => ({ ...m, currencies: [...m.currencies], fee_modes: [...m.fee_modes] }));
  },
});

export const payMethodOperations = [payMethodList];
