/**
 * INFERRED (VENDORS.md §A.6): a payee is written as DRAFT, payee/apply submits it for REVIEWING, and the
 * review settles it APPROVED or REJECTED. EDIT and DELETE are allowed in DRAFT and REJECTED only (an
 * edit of a rejected payee returns it to DRAFT, to be applied again); a rejected payee may also be
 * re-applied as it is. PAY is a self-loop saying that only an APPROVED payee can be paid.
 * State names are the keys of PAYEE_STATUS (inferred.ts), which gives their wire numbers.
 */
import { defineMachine } from '../../../core/state-machine.js';
import type { PAYEE_STATUS } from '../inferred.js';

export const PAYEE_MACHINE = defineMachine({
  name: 'payee',
  states: ['DRAFT', 'REVIEWING', 'APPROVED', 'REJECTED'],
  events: ['EDIT', 'APPLY', 'DELETE', 'APPROVE', 'REJECT', 'PAY'],
  table: {
    DRAFT: { EDIT: 'DRAFT', APPLY: 'REVIEWING', DELETE: 'DRAFT' },
    REVIEWING: { APPROVE: 'APPROVED', REJECT: 'REJECTED' },
    APPROVED: { PAY: 'APPROVED' },
    REJECTED: { EDIT: 'DRAFT', APPLY: 'REVIEWING', DELETE: 'REJECTED' },
  },
});

export type PayeeState = (typeof PAYEE_MACHINE.states)[number] & keyof typeof PAYEE_STATUS;
export type PayeeEvent = (typeof PAYEE_MACHINE.events)[number];
