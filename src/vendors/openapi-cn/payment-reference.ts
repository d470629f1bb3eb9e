/** The payment module's lookup table and magic values, all INFERRED (only the page 付款原因 survives). */
import type { MagicValue } from '../../core/magic.js';
import { PAYMENT_STATUS } from './inferred.js';
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
 * Sandbox test values, magic amounts by their cents: x.13 is refused by the beneficiary's bank (FAILED,
 * the wallet is refunded); x.14 is paid and then comes back (SUCCESS, then RETURNED one settle delay later).
 */
export const MAGIC_VALUES = [
  {
    operation: 'paymentCreate',
    field: 'amount',
    value: '*.13',
    outcome: `status ${PAYMENT_STATUS.FAILED} (failed)`,
    settles: 'failed',
    description: "refused by the beneficiary's bank: the payment fails and the wallet gets the amount and the fee back",
  },
  {
    operation: 'paymentCreate',
    field: 'amount',
    value: '*.14',
    outcome: `status ${PAYMENT_STATUS.SUCCESS} (success), then ${PAYMENT_STATUS.RETURNED} (returned)`,
    settles: 'returned',
    description: 'paid, then returned one settle delay later: the principal comes back to the wallet, the fee stays charged',
  },
] as const satisfies ReadonlyArray<MagicValue & { settles: 'failed' | 'returned' }>;

export const FAIL_REASONS = {
  rejected: 'rejected by the beneficiary bank',
  returned: 'returned by the beneficiary bank',
} as const;
