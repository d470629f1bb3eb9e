/**
 * INFERRED: Onerway publishes no card-status enum. PROCESSING until the CREATE record settles, then
 * ACTIVE or FAILED; FREEZE/UNFREEZE toggle FROZEN; TERMINATE is final. DEPOSIT and AUTHORIZE are
 * self-loops that state where money may move (deposits on ACTIVE and FROZEN, authorizations on ACTIVE).
 */
import { defineMachine } from '../../../core/state-machine.js';

export const CARD_MACHINE = defineMachine({
  name: 'card',
  states: ['PROCESSING', 'ACTIVE', 'FROZEN', 'TERMINATED', 'FAILED'],
  events: ['CREATE_SUCCEEDED', 'CREATE_FAILED', 'FREEZE', 'UNFREEZE', 'TERMINATE', 'DEPOSIT', 'AUTHORIZE'],
  table: {
    PROCESSING: { CREATE_SUCCEEDED: 'ACTIVE', CREATE_FAILED: 'FAILED' },
    ACTIVE: { FREEZE: 'FROZEN', TERMINATE: 'TERMINATED', DEPOSIT: 'ACTIVE', AUTHORIZE: 'ACTIVE' },
    FROZEN: { UNFREEZE: 'ACTIVE', TERMINATE: 'TERMINATED', DEPOSIT: 'FROZEN' },
    TERMINATED: {},
    FAILED: {},
  },
});

export type CardStatus = (typeof CARD_MACHINE.states)[number];
export type CardEvent = (typeof CARD_MACHINE.events)[number];
