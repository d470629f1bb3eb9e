/**
 * Everything about this vendor that is not in its surviving docs, in one place. Only the card/freeze
 * page survives (seed 000: path, body credentials, `{"code":0,"message":"success"}`, "physical cards
 * only"); every path, enum value and error code below is INFERRED (VENDORS.md §A.3–A.6). A user holding
 * the vendor's full docs can check this file and change what differs. The README lists it.
 * Request bounds are INFERRED too: the sandbox's 1 MiB body, at most 64 fields and 32 levels of nesting,
 * and every field length (a `$comment` beside each maxLength in contracts/openapi-cn).
 */

/**
 * Paths under /{version}/openApi, by operation. Only card/freeze is in the seed; the others follow the
 * seed's table of contents and the `<module>/<action>` pattern.
 */
export const PATHS = {
  walletList: '/wallet/list',
  walletDetail: '/wallet/detail',
  walletTransactionList: '/wallet/transaction/list',
  walletTransactionDetail: '/wallet/transaction/detail',
  walletExchangeRate: '/wallet/exchangeRate',
  binList: '/bin/list',
  binDetail: '/bin/detail',
  binFee: '/bin/fee',
  binLimit: '/bin/limit',
  cardList: '/card/list',
  cardDetail: '/card/detail',
  cardActive: '/card/active',
  cardFreeze: '/card/freeze', // [SEED]
  cardUnfreeze: '/card/unfreeze',
  cardCancel: '/card/cancel',
  cardTradeList: '/card/trade/list',
  cardMerchantScore: '/card/merchantScore',
  orderOpenCard: '/order/openCard',
  orderRecharge: '/order/recharge',
  orderList: '/order/list',
  orderDetail: '/order/detail',
  holderList: '/holder/list',
  holderCreate: '/holder/create',
  holderEdit: '/holder/edit',
  holderDetail: '/holder/detail',
  holderDelete: '/holder/delete',
  payMethodList: '/payMethod/list',
  payeeFundSourceList: '/payee/fundSourceList',
  payeePaymentPurposeList: '/payee/paymentPurposeList',
  payeeCreate: '/payee/create',
  payeeEdit: '/payee/edit',
  payeeApply: '/payee/apply',
  payeeDelete: '/payee/delete',
  payeeList: '/payee/list',
  payeeDetail: '/payee/detail',
  paymentReasonList: '/payment/reasonList',
  paymentCreate: '/payment/create',
  paymentList: '/payment/list',
  paymentDetail: '/payment/detail',
} as const;

/** Enum values [names from the seed's table of contents; values INFERRED]. */
export const WALLET_STATUS = { NORMAL: 1, FROZEN: 2 } as const;
export const IN_OUT = { IN: 1, OUT: 2 } as const;
export const WALLET_TXN_TYPE = ['recharge', 'open_card', 'card_recharge', 'card_cancel_refund', 'payment', 'fee', 'exchange'] as const;
export const TXN_STATUS = { PROCESSING: 0, SUCCESS: 1, FAILED: 2 } as const;
export const BIN_TYPE = { VIRTUAL: 1, PHYSICAL: 2 } as const;
export const BIN_MODE = { PREPAID: 1, SHARED_BALANCE: 2 } as const;
export const BIN_STATUS = { DISABLED: 0, ENABLED: 1 } as const;
/** Card Status: the seed names it; 6 "inactive" is a physical card awaiting card/active. */
export const CARD_STATUS = { OPENING: 0, ACTIVE: 1, FROZEN: 2, CANCELLING: 3, CANCELLED: 4, FAILED: 5, INACTIVE: 6 } as const;
export const CARD_TYPE = { VIRTUAL: 1, PHYSICAL: 2 } as const;
export const CARD_TRADE_TYPE = ['auth', 'settle', 'refund', 'reversal', 'fee'] as const;
export const CARD_TRADE_RESULT = ['success', 'fail'] as const;
export const ORDER_TYPE = { OPEN_CARD: 1, RECHARGE: 2, CANCEL_CARD: 3 } as const;
export const ORDER_STATUS = { PENDING: 0, PROCESSING: 1, SUCCESS: 2, FAILED: 3 } as const;
export const BILL_TYPE = { PRINCIPAL: 1, FEE: 2 } as const;
export const PAYEE_STATUS = { DRAFT: 0, REVIEWING: 1, APPROVED: 2, REJECTED: 3 } as const;
export const FEE_MODE = ['OUR', 'SHA', 'BEN'] as const;
export const PAYMENT_STATUS = { PENDING: 0, PROCESSING: 1, SUCCESS: 2, FAILED: 3, RETURNED: 4 } as const;

/** Error codes: non-zero `code` with a message (the docs' error table did not survive). */
export const ERROR_CODES = {
  param: { code: 1001, message: 'param error' },
  auth: { code: 1002, message: 'auth failed' },
  notFound: { code: 1004, message: 'resource not found' },
  route: { code: 1005, message: 'api not found' },
  cardNotFound: { code: 2001, message: 'card not found' },
  cardStatus: { code: 2002, message: 'card status not allowed' },
  virtualNotSupported: { code: 2003, message: 'operation not supported for virtual card' },
  balance: { code: 3001, message: 'insufficient wallet balance' },
  limit: { code: 3002, message: 'amount out of limit' },
  duplicate: { code: 3003, message: 'duplicate request' },
  internal: { code: 5000, message: 'system error' },
} as const;

/** Webhooks: `{customer_id, app_id, type, data}`, HMAC-SHA256 of the raw body with the app key, hex, in this header. */
export const WEBHOOK_SIGNATURE_HEADER = 'X-Signature';
/** Acknowledgement `{"code":0}`; retries after these delays. */
export const WEBHOOK_RETRY_DELAYS_MS = [60_000, 300_000, 900_000, 3_600_000, 7_200_000];
/** Accepted version segments: `/{version}/openApi/…` with any v<digits>. */
export const VERSION = /^v\d+$/;
