/** How Finext authenticates and signs its webhooks, for its OpenAPI document (src/openapi): what its contracts do not say. */
import type { OpenApiNotes } from '../../core/vendor.js';
import { SIGN_FORM_BY_PATH } from './auth.js';
import { SIGN_FIELDS, type SignForm } from './sign.js';

const finextForm = (path: string): SignForm => SIGN_FORM_BY_PATH[path] ?? 'user';

export const OPENAPI_NOTES: OpenApiNotes = {
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
  // The fields too, so that a client reading the document (the docs page) signs without a copy of the rule.
  operationExtensions: (path) => ({ 'x-sign-form': finextForm(path), 'x-sign-fields': SIGN_FIELDS[finextForm(path)] }),
  webhooks:
    'POSTed as JSON with an `authorization` header; the body carries `api_key`, `request_id`, `timestamp` and `sign` (no-user form: MD5(api_key + timestamp + secret + request_id)) around the event\'s fields. Acknowledge with `{"code":10200}`; anything else is retried after 30 s, 1, 5, 15 and 60 min, then 2 h.',
};
