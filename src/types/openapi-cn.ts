/** `card-sandbox/types/openapi-cn`: the request, response and webhook types of its contracts (contracts/openapi-cn/). */
export type * from '../vendors/openapi-cn/contract-types.js';
