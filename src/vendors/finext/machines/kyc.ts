/**
 * KYC [DOC values, INFERRED moves]: kyc_status 1 submitted, 2 approved, 3 resubmission requested,
 * 4 rejected; NONE (no value published, shown as 0) until both proofs are on file.
 */
import { defineMachine } from '../../../core/state-machine.js';

export const KYC_MACHINE = defineMachine({
  name: 'kyc',
  states: ['NONE', 'SUBMITTED', 'APPROVED', 'RESUBMIT', 'REJECTED'],
  events: ['SUBMIT', 'APPROVE', 'ASK_RESUBMIT', 'REJECT', 'RESUBMIT'],
  table: {
    NONE: { SUBMIT: 'SUBMITTED' },
    SUBMITTED: { APPROVE: 'APPROVED', ASK_RESUBMIT: 'RESUBMIT', REJECT: 'REJECTED' },
    RESUBMIT: { RESUBMIT: 'SUBMITTED' },
    APPROVED: {},
    REJECTED: {},
  },
});

export type KycState = (typeof KYC_MACHINE.states)[number];
export type KycEvent = (typeof KYC_MACHINE.events)[number];

export const KYC_STATUS = { NONE: 0, SUBMITTED: 1, APPROVED: 2, RESUBMIT: 3, REJECTED: 4 } as const satisfies Record<KycState, number>;
