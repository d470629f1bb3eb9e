/** The payment module's lookup table and magic values, all INFERRED (only the page 付款原因 survives). */
import type { CodeName } from './payee-reference.js';

export const PAYMENT_REASONS: readonly CodeName[] = [
  { code: 'GOODS_PURCHASE', name: 'Purchase of goods' },
  { code: 'SERVICE_FEE', name: 'Service fees' },
  { code: 'PAYROLL', name: 'Payroll' },
  { code: 'RENT', name: 'Rent' },
  { code: 'SUPPLIER_SETTLEMENT', name: 'Supplier settlement' },
  { code: 'REFUND', name: 'Customer refund' },
  { code: 'OTHER', name: 'Other' },
];

/**
 * Magic amounts by their cents: x.13 is refused by the beneficiary's bank (FAILED, the wallet is
 * refunded); x.14 is paid and then comes back (SUCCESS, then RETURNED one settle delay later).
 */
export const MAGIC_CENTS = { fail: 13, returned: 14 } as const;

export const FAIL_REASONS = {
  rejected: 'rejected by the beneficiary bank',
  returned: 'returned by the beneficiary bank',
} as const;
