/**
 * Card op_status [DOC values 22 Preparing, 10 Mailed, 6 Active, 8 Block, 11 Card Issue]. INFERRED:
 * AWAITING_KYC (0) before the card is applied for, CANCELLED (9) and REPLACED (12), which Finext does
 * not publish; issues may be reported on a mailed card too (activation and delivery issues happen
 * there). BALANCE, TOPUP and AUTHORIZE are self-loops that say where money may move (active only).
 */
import { defineMachine } from '../../../core/state-machine.js';

export const CARD_MACHINE = defineMachine({
  name: 'card',
  states: ['AWAITING_KYC', 'PREPARING', 'MAILED', 'ACTIVE', 'BLOCKED', 'CARD_ISSUE', 'CANCELLED', 'REPLACED'],
  events: ['KYC_APPROVED', 'MAIL', 'ACTIVATE', 'BLOCK', 'REPORT_ISSUE', 'REPLACE', 'CANCEL', 'BALANCE', 'TOPUP', 'AUTHORIZE'],
  table: {
    AWAITING_KYC: { KYC_APPROVED: 'PREPARING' },
    PREPARING: { MAIL: 'MAILED' },
    MAILED: { ACTIVATE: 'ACTIVE', BLOCK: 'BLOCKED', REPORT_ISSUE: 'CARD_ISSUE' },
    ACTIVE: { BLOCK: 'BLOCKED', REPORT_ISSUE: 'CARD_ISSUE', CANCEL: 'CANCELLED', BALANCE: 'ACTIVE', TOPUP: 'ACTIVE', AUTHORIZE: 'ACTIVE' },
    BLOCKED: { REPLACE: 'REPLACED', CANCEL: 'CANCELLED' },
    CARD_ISSUE: { REPLACE: 'REPLACED' },
    CANCELLED: {},
    REPLACED: {},
  },
});

export type CardState = (typeof CARD_MACHINE.states)[number];
export type CardEvent = (typeof CARD_MACHINE.events)[number];

export const OP_STATUS = {
  AWAITING_KYC: 0,
  PREPARING: 22,
  MAILED: 10,
  ACTIVE: 6,
  BLOCKED: 8,
  CARD_ISSUE: 11,
  CANCELLED: 9,
  REPLACED: 12,
} as const satisfies Record<CardState, number>;

/** The op_status values the Card Status Notification documents [DOC: 22 Preparing, 10 Mailed, 6 Active, 8 Block]. */
export const NOTIFIED_OP_STATUS = [22, 10, 6, 8] as const;

export function isNotified(opStatus: number): opStatus is (typeof NOTIFIED_OP_STATUS)[number] {
  return (NOTIFIED_OP_STATUS as readonly number[]).includes(opStatus);
}
