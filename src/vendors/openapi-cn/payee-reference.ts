/**
 * The payee module's lookup tables, all INFERRED (only the page names 运营资金来源列表 and 预期付款目的列表
 * survive): operating fund sources, expected payment purposes, and, for the rails a payee may use,
 * what each needs and what a payment on it costs. The currencies a rail carries are payMethod/list's
 * (operations/pay-method.ts), so the list and the payee checks cannot disagree.
 */
import type { Minor } from '../../core/money.js';

export interface CodeName {
  code: string;
  name: string;
}

export const FUND_SOURCES: readonly CodeName[] = [
  { code: 'BUSINESS_INCOME', name: 'Business income' },
  { code: 'SALES_PROCEEDS', name: 'Sales proceeds' },
  { code: 'INVESTMENT', name: 'Investment returns' },
  { code: 'LOAN', name: 'Loan' },
  { code: 'SHAREHOLDER_CAPITAL', name: 'Shareholder capital' },
  { code: 'OTHER', name: 'Other' },
];

export const PAYMENT_PURPOSES: readonly CodeName[] = [
  { code: 'GOODS_TRADE', name: 'Payment for goods' },
  { code: 'SERVICE_TRADE', name: 'Payment for services' },
  { code: 'SALARY', name: 'Salary and payroll' },
  { code: 'LOGISTICS', name: 'Logistics and freight' },
  { code: 'ADVERTISING', name: 'Advertising and marketing' },
  { code: 'OTHER', name: 'Other' },
];

export interface Rail {
  /** Bank countries the rail reaches; null: any. */
  countries: readonly string[] | null;
  /** The bank identifier the rail routes on. */
  needs: 'swift_code' | 'routing_code';
  /** A local routing code's shape (ABA routing number, HK bank code). */
  routing?: RegExp;
  /** The fixed fee per payment, in the payment's minor units. */
  fee: Minor;
}

/** INFERRED: SWIFT 15.00 to anywhere; local rails 1.00 (ACH: USD to US banks; FPS: HKD to HK banks). */
export const RAILS = {
  SWIFT: { countries: null, needs: 'swift_code', fee: 1500 },
  LOCAL_ACH: { countries: ['US'], needs: 'routing_code', routing: /^\d{9}$/, fee: 100 },
  FPS: { countries: ['HK'], needs: 'routing_code', routing: /^\d{3}$/, fee: 100 },
} as const satisfies Record<string, Rail>;

export type PayMethod = keyof typeof RAILS;
