/**
 * OPEN-API's collection: the merchant's customer_id, app_id and key as variables, carried in every body.
 * It reads the default scenario's wallet, BIN, holder and card, makes a holder, opens a card for it and
 * funds it, adds a payee and pays it, handing each new id to the next request through a variable.
 */
import type { PostmanProfile } from '../../core/vendor.js';

// The default scenario's records (fixtures/scenarios/default.json), the variables' defaults.
const WALLET = 'wal_04f4f45f002815ee';
const BIN = 'bin_v_usd';
/** A physical card opens inactive, so the new card can be activated. */
const PHYSICAL_BIN = 'bin_p_usd';
const HOLDER = 'hid_a58d0f50dec58d75';
const CARD = 'cid_fBWWMWm8aUUYy3sd';

const PAYEE = {
  payee_type: 'company',
  name: 'Acme Supplies Ltd',
  country: 'US',
  currency: 'USD',
  pay_method: 'LOCAL_ACH',
  account_name: 'ACME SUPPLIES LTD',
  account_number: '000123456789',
  bank_name: 'First Sandbox Bank',
  routing_code: '021000021',
  fund_source: 'BUSINESS_INCOME',
  payment_purpose: 'GOODS_TRADE',
};

export const POSTMAN: PostmanProfile = {
  variables: (credentials) => ({
    customer_id: credentials.customer_id ?? '',
    app_id: credentials.app_id ?? '',
    key: credentials.key ?? '',
    wallet_id: WALLET,
    bin_id: BIN,
    physical_bin_id: PHYSICAL_BIN,
    holder_id: HOLDER,
    card_id: CARD,
    new_holder_id: HOLDER,
    new_card_id: CARD,
    order_id: '',
    transaction_id: '',
    payee_id: '',
    payment_id: '',
    draft_payee_id: '',
  }),
  headers: [],
  bodyFields: { customer_id: '{{customer_id}}', app_id: '{{app_id}}', key: '{{key}}' },
  success: { field: 'code', value: 0 },
  steps: [
    { operation: 'walletList', body: { page: 1, page_size: 10 } },
    { operation: 'walletDetail', body: { wallet_id: '{{wallet_id}}' } },
    { operation: 'walletExchangeRate', body: { from_currency: 'USD', to_currency: 'HKD' } },
    { operation: 'binList', body: { page: 1, page_size: 10 } },
    { operation: 'binDetail', body: { bin_id: '{{bin_id}}' } },
    { operation: 'binFee', body: { bin_id: '{{bin_id}}' } },
    { operation: 'binLimit', body: { bin_id: '{{bin_id}}' } },
    { operation: 'holderList', body: { page: 1, page_size: 10 } },
    { operation: 'holderDetail', body: { holder_id: '{{holder_id}}' } },
    {
      operation: 'holderCreate',
      body: {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email: 'ada@example.com',
        mobile_area_code: '+1',
        mobile: '4155550100',
        birthday: '1990-12-10',
        id_type: 'passport',
        id_number: 'P12345678',
        country: 'US',
        state: 'CA',
        city: 'San Francisco',
        address: '12 Market St',
        postcode: '94105',
      },
      save: { new_holder_id: 'data.holder_id' },
    },
    { operation: 'holderEdit', body: { holder_id: '{{new_holder_id}}', address: '14 Market St' } },
    {
      operation: 'orderOpenCard',
      body: { bin_id: '{{physical_bin_id}}', holder_id: '{{new_holder_id}}', amount: '20', currency: 'USD' },
      save: { new_card_id: 'data.card_id', order_id: 'data.order_id' },
    },
    { operation: 'orderList', body: { page: 1, page_size: 10 } },
    { operation: 'orderDetail', body: { order_id: '{{order_id}}' } },
    { operation: 'cardList', body: { page: 1, page_size: 10 } },
    { operation: 'cardDetail', body: { card_id: '{{card_id}}' } },
    { operation: 'cardActive', body: { card_id: '{{new_card_id}}' } },
    { operation: 'orderRecharge', body: { card_id: '{{new_card_id}}', amount: '25' } },
    { operation: 'cardFreeze', body: { card_id: '{{card_id}}' } },
    { operation: 'cardUnfreeze', body: { card_id: '{{card_id}}' } },
    { operation: 'cardTradeList', body: { page: 1, page_size: 10 } },
    { operation: 'cardMerchantScore', body: { card_id: '{{card_id}}', merchant_name: 'AMAZON' } },
    { operation: 'walletTransactionList', body: { page: 1, page_size: 10 }, save: { transaction_id: 'data.list[0].transaction_id' } },
    { operation: 'walletTransactionDetail', body: { transaction_id: '{{transaction_id}}' } },
    { operation: 'payMethodList', body: { page: 1, page_size: 10 } },
    { operation: 'payeeFundSourceList', body: { page: 1, page_size: 10 } },
    { operation: 'payeePaymentPurposeList', body: { page: 1, page_size: 10 } },
    { operation: 'payeeCreate', body: PAYEE, save: { payee_id: 'data.payee_id' } },
    { operation: 'payeeEdit', body: { payee_id: '{{payee_id}}', bank_name: 'Example Bank NA' } },
    { operation: 'payeeApply', body: { payee_id: '{{payee_id}}' } },
    { operation: 'payeeList', body: { page: 1, page_size: 10 } },
    { operation: 'payeeDetail', body: { payee_id: '{{payee_id}}' } },
    { operation: 'paymentReasonList', body: { page: 1, page_size: 10 } },
    {
      operation: 'paymentCreate',
      body: { payee_id: '{{payee_id}}', amount: '10', currency: 'USD', fee_mode: 'OUR', reason: 'SUPPLIER_SETTLEMENT' },
      save: { payment_id: 'data.payment_id' },
    },
    { operation: 'paymentList', body: { page: 1, page_size: 10 } },
    { operation: 'paymentDetail', body: { payment_id: '{{payment_id}}' } },
    // Only a payee in draft (or rejected) can be deleted: a second one, never applied for.
    { operation: 'payeeCreate', title: 'a second payee, left in draft', body: PAYEE, save: { draft_payee_id: 'data.payee_id' } },
    { operation: 'payeeDelete', body: { payee_id: '{{draft_payee_id}}' } },
    { operation: 'cardCancel', body: { card_id: '{{new_card_id}}' } },
    { operation: 'holderDelete', body: { holder_id: '{{new_holder_id}}' } },
  ],
};
