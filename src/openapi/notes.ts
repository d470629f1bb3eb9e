/**
 * What the contracts do not say about a vendor and its OpenAPI document needs: how a request
 * authenticates (OpenAPI's securitySchemes where the scheme fits one; prose where credentials travel in
 * the body or a body `sign` is needed), and how its webhooks are signed and acknowledged. A vendor not
 * listed here (one defined outside the package) gets a document without them.
 */
import { SIGN_FIELDS, type SignForm } from '../vendors/finext/sign.js';
import { SIGN_FORM_BY_PATH } from '../vendors/finext/auth.js';
import type { Schema } from './schemas.js';

export interface VendorNotes {
  /** Markdown for info.description: how to authenticate. */
  auth: string;
  securitySchemes: Record<string, Schema>;
  /** The security requirement of every operation ([] when credentials are in the body only). */
  security: Array<Record<string, string[]>>;
  /** A note added to one operation's description (Finext: which fields its `sign` covers). */
  operationNote?(path: string): string | undefined;
  /** Extensions added to one operation (Finext: `x-sign-form`). */
  operationExtensions?(path: string): Record<string, string>;
  /** Markdown: how a webhook is signed and how the receiver acknowledges it. */
  webhooks: string;
}

const finextForm = (path: string): SignForm => SIGN_FORM_BY_PATH[path] ?? 'user';

export const NOTES: Record<string, VendorNotes> = {
  onerway: {
    auth: "Every request carries the merchant's API key in the `ApiKey` header (`X-Onerway-ApiKey` is accepted too). A missing or unknown key answers HTTP 401 with respCode 81000. There is no request signature. Mutations are idempotent on `clientRequestId`.",
    securitySchemes: {
      ApiKey: { type: 'apiKey', in: 'header', name: 'ApiKey', description: "The merchant's API key (default merchant: onerway-test-apikey-0001)." },
    },
    security: [{ ApiKey: [] }],
    webhooks:
      'POSTed as JSON with headers `x-timestamp` (unix seconds) and `x-signature` = hex HMAC-SHA256 under the merchant\'s webhook secret of `x-timestamp + "." + body`. Acknowledge with HTTP 2xx and `{"respCode":"20000"}`; anything else is retried every 15 s, 10 times.',
  },
  finext: {
    auth: [
      'Every request carries an `authorization` header (an opaque merchant token; INFERRED, as its format is unpublished) and, in the JSON body, `api_key` (names the merchant), `request_id` (20–64 characters, single use), `timestamp` (13-digit milliseconds, within ±30 s of the sandbox clock) and `sign`.',
      '',
      '`sign` is the lowercase hex MD5 of a plain concatenation (no separators) of body values and the merchant secret, in one of three forms, given per operation as `x-sign-form`:',
      '',
      ...(Object.entries(SIGN_FIELDS) as Array<[SignForm, readonly string[]]>).map(([form, fields]) => `- \`${form}\`: MD5(${fields.join(' + ')})`),
      '',
      'Fields outside the form (card_id, pin, kit_number, …) are not signed. A wrong sign answers code 10401 `sign error`; the `X-Sandbox-Diagnostic` header shows the string that should have been signed, credentials masked.',
    ].join('\n'),
    securitySchemes: {
      authorization: {
        type: 'apiKey',
        in: 'header',
        name: 'authorization',
        description: 'The merchant token; the body also carries api_key, request_id, timestamp and the MD5 sign (see the description).',
      },
    },
    security: [{ authorization: [] }],
    operationNote: (path) => {
      const form = finextForm(path);
      return `Sign form \`${form}\`: sign = MD5(${SIGN_FIELDS[form].join(' + ')}).`;
    },
    operationExtensions: (path) => ({ 'x-sign-form': finextForm(path) }),
    webhooks:
      'POSTed as JSON with an `authorization` header; the body carries `api_key`, `request_id`, `timestamp` and `sign` (no-user form: MD5(api_key + timestamp + secret + request_id)) around the event\'s fields. Acknowledge with `{"code":10200}`; anything else is retried after 30 s, 1, 5, 15 and 60 min, then 2 h.',
  },
  'openapi-cn': {
    auth: 'Credentials travel in the JSON body of every request, not in a header: `customer_id`, `app_id` and `key` (the app key). There is no request signature (INFERRED). OpenAPI has no security scheme for body fields, so every request schema lists them and no `security` is declared.',
    securitySchemes: {},
    security: [],
    webhooks:
      'POSTed as `{customer_id, app_id, type, data}`, signed (INFERRED) with an `X-Signature` header = hex HMAC-SHA256 of the raw body under the app key, or unsigned per merchant setting. Acknowledge with `{"code":0}`.',
  },
};
