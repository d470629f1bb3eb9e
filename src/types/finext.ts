/** `card-sandbox/types/finext`: the request, response and webhook types of its contracts (contracts/finext/). */
export type * from '../vendors/finext/contract-types.js';
