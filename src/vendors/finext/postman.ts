/**
 * Finext's collection: the merchant's api_key, secret and authorization token as variables, and a
 * collection-level pre-request script that stamps each request (timestamp, a fresh request_id) and signs
 * it as the sandbox checks it (src/vendors/finext/auth.ts): MD5 of the operation's form, the form per
 * path from the table the server reads (SIGN_FORM_BY_PATH, as the document's `x-sign-form` shows it). The bodies are Finext's documented examples where its pages
 * give one (docs/vendors/finext.md, test/vendors/finext/documented-examples.test.ts), else the fields
 * its contracts require, on the default scenario's accounts (lili12, lili111).
 */
import { SIGN_FORM_BY_PATH } from './auth.js';
import { SIGN_FIELDS } from './sign.js';
import type { PostmanProfile } from '../../core/vendor.js';

/** A tiny valid base64 PNG, for the KYC proofs. */
const IMAGE = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
/** An address proof must be at most 90 days old on the sandbox clock: ten days before now. */
const RECENT_DATE = [`pm.variables.set('recent_date', new Date(Date.now() - 10 * 86400000).toISOString().slice(0, 10));`];
/** getAllTransactions takes a range of at most 4 months: the last 60 days. */
const LAST_60_DAYS = [
  `pm.variables.set('start_date', new Date(Date.now() - 60 * 86400000).toISOString().slice(0, 10));`,
  `pm.variables.set('end_date', new Date().toISOString().slice(0, 10));`,
];

function signingScript(): string[] {
  const byPath = Object.fromEntries(Object.entries(SIGN_FORM_BY_PATH).filter(([, form]) => form !== 'user'));
  return [
    '// Finext signs every request: sign = lowercase hex MD5 of a plain concatenation of body values and the',
    "// merchant's secret, in the operation's form (x-sign-form in openapi/finext.json). This script stamps the",
    '// request (timestamp, a fresh request_id) and signs it; the body refers to them as {{timestamp}},',
    '// {{request_id}} and {{sign}}.',
    `var FORMS = ${JSON.stringify(SIGN_FIELDS)};`,
    `var FORM_BY_PATH = ${JSON.stringify(byPath)};`,
    'var timestamp = String(Date.now());',
    "var requestId = pm.variables.replaceIn('{{$guid}}').replace(/-/g, '');",
    "pm.variables.set('timestamp', timestamp);",
    "pm.variables.set('request_id', requestId);",
    "var path = '/' + pm.request.url.getPath().split('/').filter(Boolean).join('/');",
    "var form = 'user';",
    'Object.keys(FORM_BY_PATH).forEach(function (p) { if (path.endsWith(p)) form = FORM_BY_PATH[p]; });',
    'var body = JSON.parse(pm.variables.replaceIn(pm.request.body.raw));',
    "var values = { api_key: body.api_key, username: body.username, timestamp: timestamp, secret: pm.variables.get('secret'), request_id: requestId, amount: body.amount };",
    "var text = FORMS[form].map(function (f) { return values[f] === undefined || values[f] === null ? '' : String(values[f]); }).join('');",
    "pm.variables.set('sign', CryptoJS.MD5(text).toString());",
  ];
}

export const POSTMAN: PostmanProfile = {
  variables: (credentials) => ({
    api_key: credentials.api_key ?? '',
    secret: credentials.secret ?? '',
    // INFERRED: the header's format is unpublished; any value passes unless the merchant pins one.
    authorization: credentials.authorization ?? 'Bearer finext-sandbox-token',
    // lili12 and her active card, from the default scenario.
    username: 'lili12',
    kit_number: '2000000001',
    card_id: '4b7e1f659b2f413e8863ec88004ba1f8',
    new_username: 'postman01',
    new_card_id: '',
    transaction_id: '16820748744051682074874405',
  }),
  headers: [{ key: 'authorization', value: '{{authorization}}' }],
  bodyFields: { api_key: '{{api_key}}', request_id: '{{request_id}}', timestamp: '{{timestamp}}', sign: '{{sign}}' },
  prerequest: signingScript,
  success: { field: 'code', value: 10200 },
  steps: [
    { operation: 'getAccountDetails', body: { username: '{{username}}' } },
    {
      operation: 'createAccount',
      body: {
        card_type: 1,
        card_level: 1,
        first_name: 'Ada',
        last_name: 'Lovelace',
        username: '{{new_username}}',
        title: 'Ms',
        email: 'ada@example.com',
        mobile_number: '4155550100',
        gender: 'Female',
        card_holder_name: 'Ada Lovelace',
        country_code: 'US',
        country: 'United States',
        date_of_birth: '1990-12-10',
        calling_code: '1',
        calling_country_code: 'US',
        state: 'California',
        city: 'San Francisco',
        postal_code: '94105',
        address: '12 Market St #4',
      },
      save: { new_card_id: 'data.card_id' },
    },
    {
      operation: 'addIDProof',
      body: {
        username: '{{new_username}}',
        id_type: 'Passport',
        id_number: 'P12345678',
        issued_by: 'US',
        issued_date: '2020-01-15',
        expiration_date: '2035-01-15',
        language: 'English',
        id_front: IMAGE,
        id_front_extension: 'png',
        id_back_extension: 'png',
      },
    },
    {
      operation: 'addAddressProof',
      prerequest: RECENT_DATE,
      body: {
        username: '{{new_username}}',
        address_type: 'Utility Bill',
        address_issued_by: 'PG and E',
        address_issued_date: '{{recent_date}}',
        address_language: 'English',
        address_proof_front: IMAGE,
        address_proof_front_extension: 'jpeg',
      },
    },
    {
      operation: 'updateIDProof',
      body: {
        username: 'lili111',
        id_type: 'Passport',
        id_number: '12234',
        issued_by: 'aaa',
        issued_date: '2021-07-10',
        expiration_date: '2029-07-10',
        language: 'English',
        id_front: '',
        id_back: '',
        id_front_extension: 'jpeg',
        id_back_extension: 'jpeg',
      },
    },
    {
      operation: 'updateAddressProof',
      prerequest: RECENT_DATE,
      body: {
        username: 'lili111',
        address_type: 'Utility Bill',
        address_issued_by: 'aaa',
        address_issued_date: '{{recent_date}}',
        address_language: 'English',
        address_proof_front: 'xxx',
        address_proof_front_extension: 'jpeg',
        address_proof_back: 'xxx',
        address_proof_back_extension: 'jpeg',
      },
    },
    { operation: 'activeCard', body: { username: '{{username}}', kit_number: '111111', pin: '1213' } },
    { operation: 'balance', body: { username: '{{username}}', kit_number: '{{kit_number}}' } },
    {
      operation: 'topup',
      // A transaction_id is single use: a fresh one each time, kept for getTopupTransaction.
      prerequest: [`pm.collectionVariables.set('transaction_id', 'PM' + Date.now() + String(Math.random()).slice(2, 12));`],
      body: { username: '{{username}}', kit_number: '{{kit_number}}', amount: '10.22', transaction_id: '{{transaction_id}}' },
    },
    { operation: 'getTopupTransaction', body: { username: '{{username}}', kit_number: '{{kit_number}}', transaction_id: '{{transaction_id}}' } },
    { operation: 'createTransaction', body: { kit_number: '{{kit_number}}', category: 'CR REFUND', amount: '5.00', origin_type: 1, origin_id: '' } },
    { operation: 'getAllTransactionsOfCards', body: { kit_numbers: ['{{kit_number}}'], page: 1, start_time: '1672531200000', end_time: '4102444800000' } },
    {
      operation: 'getAllTransactions',
      prerequest: LAST_60_DAYS,
      body: { username: '{{username}}', kit_number: '{{kit_number}}', start_date: '{{start_date}}', end_date: '{{end_date}}' },
    },
    { operation: 'modifyOpStatus', body: { username: '{{username}}', card_id: '{{card_id}}' } },
    { operation: 'replaceCard', body: { username: '{{username}}', kit_number: '{{kit_number}}', replace: 1 } },
    { operation: 'cancelCard', body: { username: 'lili111', kit_number: '2000001791317913' } },
  ],
};
