/**
 * A card's state changes sent to the vendor's own API from the page, as a client of that vendor sends
 * them. GET /__sandbox/cards/<vendor>/<id> names each change's path and the body fields that pick the
 * card; this adds what a client adds, the vendor's way: Onerway's ApiKey header and clientRequestId, the
 * OPEN-API's credentials in the body, Finext's request_id, timestamp (from the sandbox clock, which its
 * ±30 s window is checked against) and MD5 `sign`.
 */
import { md5 } from 'js-md5';
import type { CardAction } from './types.js';

export interface SignedRequest {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

type Signer = (action: CardAction, credentials: Record<string, string>, now: number) => SignedRequest;

/** A nonce no other request of this page used (the vendors refuse a reused one). */
export function nonce(prefix: string, length: number): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${prefix}${Date.now()}${random}`.slice(0, length);
}

/** Finext's signed fields [DOC]: MD5 of a plain concatenation, lowercase hex; the top-up form adds amount, the no-user form drops username. */
const FINEXT_FORMS: Record<string, string[]> = {
  user: ['api_key', 'username', 'timestamp', 'secret', 'request_id'],
  topup: ['api_key', 'username', 'timestamp', 'secret', 'request_id', 'amount'],
  none: ['api_key', 'timestamp', 'secret', 'request_id'],
};

export function finextSign(form: keyof typeof FINEXT_FORMS, values: Record<string, unknown>): string {
  return md5(FINEXT_FORMS[form].map((field) => String(values[field] ?? '')).join(''));
}

const SIGNERS: Record<string, Signer> = {
  onerway: (action, credentials) => ({
    path: action.path,
    headers: { ApiKey: credentials.apiKey ?? '' },
    body: { clientRequestId: nonce('UI', 32), ...action.body },
  }),
  'openapi-cn': (action, credentials) => ({
    path: action.path,
    headers: {},
    body: {
      customer_id: credentials.customer_id,
      app_id: credentials.app_id,
      key: credentials.key,
      ...(action.operation === 'cardCancel' ? { request_no: nonce('UI', 32) } : {}),
      ...action.body,
    },
  }),
  finext: (action, credentials, now) => {
    const body: Record<string, unknown> = { api_key: credentials.api_key, request_id: nonce('ui', 32), timestamp: String(now), ...action.body };
    const form = action.path.endsWith('/card/topup') ? 'topup' : 'username' in body ? 'user' : 'none';
    body.sign = finextSign(form, { ...body, secret: credentials.secret });
    // INFERRED (as the sandbox does): the authorization header's format is unpublished, so any token
    // passes, unless the merchant pins one among its credentials.
    return { path: action.path, headers: { authorization: credentials.authorization ?? 'card-sandbox-dashboard' }, body };
  },
};

/** Whether the page knows how to sign for `vendor` (a vendor it does not know gets no buttons). */
export function canSign(vendor: string): boolean {
  return Object.hasOwn(SIGNERS, vendor);
}

export function signedRequest(vendor: string, action: CardAction, credentials: Record<string, string>, now: number): SignedRequest {
  const signer = SIGNERS[vendor];
  if (!signer) throw new Error(`the dashboard cannot sign ${vendor} requests`);
  return signer(action, credentials, now);
}
