/**
 * INFERRED (VENDORS.md §A.4, §A.6): payment/create debits the wallet and writes PENDING; the rail
 * picks it up (PROCESSING) and settles it SUCCESS or FAILED (the wallet is refunded); a paid payment
 * may later come back RETURNED (the principal is refunded, the fee is not).
 * State names are the keys of PAYMENT_STATUS (inferred.ts), which gives their wire numbers.
 */
import { defineMachine } from '../../../core/state-machine.js';
import type { PAYMENT_STATUS } from '../inferred.js';

export const PAYMENT_MACHINE = defineMachine({
  name: 'payment',
  states: ['PENDING', 'PROCESSING', 'SUCCESS', 'FAILED', 'RETURNED'],
  events: ['PROCESS', 'SUCCEED', 'FAIL', 'RETURN'],
  table: {
    PENDING: { PROCESS: 'PROCESSING' },
    PROCESSING: { SUCCEED: 'SUCCESS', FAIL: 'FAILED' },
    SUCCESS: { RETURN: 'RETURNED' },
    FAILED: {},
    RETURNED: {},
  },
});

export type PaymentState = (typeof PAYMENT_MACHINE.states)[number] & keyof typeof PAYMENT_STATUS;
export type PaymentEvent = (typeof PAYMENT_MACHINE.events)[number];
