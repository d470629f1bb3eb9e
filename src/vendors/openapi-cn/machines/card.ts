/**
 * INFERRED (VENDORS.md §A.6): the card's life. An open-card order settles OPENING as ACTIVE (virtual)
 * or INACTIVE (physical, until card/active) or FAILED; freeze and unfreeze toggle ACTIVE ⇄ FROZEN
 * (physical cards only: operations/card.ts refuses virtual ones before the table is asked); card/cancel
 * starts CANCELLING and the cancel order's settlement ends it CANCELLED. RECHARGE and AUTHORIZE are
 * self-loops that say where money may move (recharges on ACTIVE and FROZEN, authorizations on ACTIVE).
 * State names are the keys of CARD_STATUS (inferred.ts), which gives their wire numbers.
 */
import { defineMachine } from '../../../core/state-machine.js';

export const CARD_MACHINE = defineMachine({
  name: 'card',
  states: ['OPENING', 'ACTIVE', 'FROZEN', 'CANCELLING', 'CANCELLED', 'FAILED', 'INACTIVE'],
  events: ['OPENED_VIRTUAL', 'OPENED_PHYSICAL', 'OPEN_FAILED', 'ACTIVATE', 'FREEZE', 'UNFREEZE', 'CANCEL', 'CANCEL_SETTLED', 'RECHARGE', 'AUTHORIZE'],
  table: {
    OPENING: { OPENED_VIRTUAL: 'ACTIVE', OPENED_PHYSICAL: 'INACTIVE', OPEN_FAILED: 'FAILED' },
    INACTIVE: { ACTIVATE: 'ACTIVE' },
    ACTIVE: { FREEZE: 'FROZEN', CANCEL: 'CANCELLING', RECHARGE: 'ACTIVE', AUTHORIZE: 'ACTIVE' },
    FROZEN: { UNFREEZE: 'ACTIVE', CANCEL: 'CANCELLING', RECHARGE: 'FROZEN' },
    CANCELLING: { CANCEL_SETTLED: 'CANCELLED' },
    CANCELLED: {},
    FAILED: {},
  },
});

export type CardState = (typeof CARD_MACHINE.states)[number];
export type CardEvent = (typeof CARD_MACHINE.events)[number];
