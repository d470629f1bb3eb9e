/**
 * INFERRED (VENDORS.md §A.4, §A.6): an order (open card, recharge, cancel card) is written PENDING,
 * submitted at once to PROCESSING once its money is taken, and settled by a scheduled job as SUCCESS or
 * FAILED. State names are the keys of ORDER_STATUS (inferred.ts), which gives their wire numbers.
 */
import { defineMachine } from '../../../core/state-machine.js';

export const ORDER_MACHINE = defineMachine({
  name: 'order',
  states: ['PENDING', 'PROCESSING', 'SUCCESS', 'FAILED'],
  events: ['SUBMIT', 'SUCCEED', 'FAIL'],
  table: {
    PENDING: { SUBMIT: 'PROCESSING' },
    PROCESSING: { SUCCEED: 'SUCCESS', FAIL: 'FAILED' },
    SUCCESS: {},
    FAILED: {},
  },
});

export type OrderState = (typeof ORDER_MACHINE.states)[number];
export type OrderEvent = (typeof ORDER_MACHINE.events)[number];
