/** `card-sandbox/types/onerway`: the request, response and webhook types of its contracts (contracts/onerway/). */
export type * from '../vendors/onerway/contract-types.js';
