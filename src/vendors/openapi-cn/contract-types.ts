/* Generated from contracts/openapi-cn/ by `npm run contracts:types`. Do not edit by hand. */

/**
 * customer id [SEED: long]
 *
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CustomerId".
 */
export type CustomerId = number | string;
/**
 * app id [SEED: long]
 *
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "AppId".
 */
export type AppId = number | string;
/**
 * the app's authorization key [SEED]
 *
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "Key".
 */
export type Key = string;
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "Page".
 */
export type Page = number;
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PageSize".
 */
export type PageSize = number;
/**
 * an id; the seed shows both 32-hex and cid_ styles
 *
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "Id".
 */
export type Id = string | number;
/**
 * decimal, at most 2 places
 *
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "Amount".
 */
export type Amount = string | number;
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "Money".
 */
export type Money = string;
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "Currency".
 */
export type Currency = string;
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "Millis".
 */
export type Millis = number;

/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "BinDetailRequest".
 */
export interface BinDetailRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  bin_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "BinDetailResponse".
 */
export interface BinDetailResponse {
  code: 0;
  message: string;
  data: {
    bin_id: string;
    bin: string;
    name: string;
    brand: "Visa" | "Mastercard";
    /**
     * Card Type of the cards it issues: 1 virtual, 2 physical
     */
    card_type: 1 | 2;
    /**
     * Bin Type: 1 virtual, 2 physical [INFERRED values]
     */
    bin_type: 1 | 2;
    /**
     * Bin Mode: 1 prepaid/recharge, 2 shared balance [INFERRED values]
     */
    bin_mode: 1 | 2;
    currency: Currency;
    /**
     * Bin Status: 1 enabled, 0 disabled [INFERRED values]
     */
    status: 0 | 1;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "BinFeeRequest".
 */
export interface BinFeeRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  bin_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "BinFeeResponse".
 */
export interface BinFeeResponse {
  code: 0;
  message: string;
  data: {
    bin_id: string;
    currency: Currency;
    open_fee: Money;
    /**
     * fraction of each recharge, "0.0150" = 1.5% [INFERRED format]
     */
    recharge_fee_rate: string;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "BinLimitRequest".
 */
export interface BinLimitRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  bin_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "BinLimitResponse".
 */
export interface BinLimitResponse {
  code: 0;
  message: string;
  /**
   * INFERRED: recharge bounds per order, cards per holder, single and daily card spend
   */
  data: {
    bin_id: string;
    currency: Currency;
    min_recharge: Money;
    max_recharge: Money;
    /**
     * cards per holder
     */
    card_limit: number;
    single_limit: Money;
    daily_limit: Money;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "BinListRequest".
 */
export interface BinListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  /**
   * Bin Type: 1 virtual, 2 physical [INFERRED values]
   */
  bin_type?: 1 | 2;
  /**
   * Bin Mode: 1 prepaid/recharge, 2 shared balance [INFERRED values]
   */
  bin_mode?: 1 | 2;
  /**
   * Bin Status: 1 enabled, 0 disabled [INFERRED values]
   */
  status?: 0 | 1;
  currency?: Currency;
  page?: Page;
  page_size?: PageSize;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "BinListResponse".
 */
export interface BinListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      bin_id: string;
      bin: string;
      name: string;
      brand: "Visa" | "Mastercard";
      /**
       * Card Type of the cards it issues: 1 virtual, 2 physical
       */
      card_type: 1 | 2;
      /**
       * Bin Type: 1 virtual, 2 physical [INFERRED values]
       */
      bin_type: 1 | 2;
      /**
       * Bin Mode: 1 prepaid/recharge, 2 shared balance [INFERRED values]
       */
      bin_mode: 1 | 2;
      currency: Currency;
      /**
       * Bin Status: 1 enabled, 0 disabled [INFERRED values]
       */
      status: 0 | 1;
    }[];
    total: number;
    page: Page;
    page_size: PageSize;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardActiveRequest".
 */
export interface CardActiveRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  card_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardActiveResponse".
 */
export interface CardActiveResponse {
  code: 0;
  message: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardCancelRequest".
 */
export interface CardCancelRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  card_id: Id;
  /**
   * the client's order number; a repeat replays the first answer
   */
  request_no?: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardCancelResponse".
 */
export interface CardCancelResponse {
  code: 0;
  message: string;
  data: {
    order_id: string;
    card_id: string;
    card_status: 0 | 1 | 2 | 3 | 4 | 5 | 6;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardDetailRequest".
 */
export interface CardDetailRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  card_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardDetailResponse".
 */
export interface CardDetailResponse {
  code: 0;
  message: string;
  data: Data;
}
export interface Data {
  card_id: string;
  /**
   * masked: first 6 and last 4 digits
   */
  card_number: string;
  /**
   * Card Type: 1 virtual, 2 physical
   */
  card_type: 1 | 2;
  /**
   * Card Status (inferred.ts CARD_STATUS)
   */
  card_status: 0 | 1 | 2 | 3 | 4 | 5 | 6;
  bin_id: string;
  holder_id: string;
  currency: Currency;
  balance: Money;
  hold_amount: Money;
  created_at: Millis;
  updated_at: Millis;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardFreezeRequest".
 */
export interface CardFreezeRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  card_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardFreezeResponse".
 */
export interface CardFreezeResponse {
  code: 0;
  message: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardListRequest".
 */
export interface CardListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  page?: Page;
  page_size?: PageSize;
  card_status?: 0 | 1 | 2 | 3 | 4 | 5 | 6;
  card_type?: 1 | 2;
  holder_id?: Id;
  bin_id?: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardListResponse".
 */
export interface CardListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      card_id: string;
      /**
       * masked: first 6 and last 4 digits
       */
      card_number: string;
      /**
       * Card Type: 1 virtual, 2 physical
       */
      card_type: 1 | 2;
      /**
       * Card Status (inferred.ts CARD_STATUS)
       */
      card_status: 0 | 1 | 2 | 3 | 4 | 5 | 6;
      bin_id: string;
      holder_id: string;
      currency: Currency;
      balance: Money;
      hold_amount: Money;
      created_at: Millis;
      updated_at: Millis;
    }[];
    total: number;
    page: Page;
    page_size: PageSize;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardMerchantScoreRequest".
 */
export interface CardMerchantScoreRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  card_id?: Id;
  merchant_name?: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardMerchantScoreResponse".
 */
export interface CardMerchantScoreResponse {
  code: 0;
  message: string;
  data: {
    card_id: string | null;
    merchant_name: string | null;
    /**
     * INFERRED risk score: 0 no risk, 100 highest
     */
    score: number;
    risk_level: "low" | "medium" | "high";
    trade_count: number;
    fail_count: number;
    /**
     * refunds and reversals
     */
    return_count: number;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardTradeListRequest".
 */
export interface CardTradeListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  page?: Page;
  page_size?: PageSize;
  card_id?: Id;
  trade_type?: "auth" | "settle" | "refund" | "reversal" | "fee";
  trade_result?: "success" | "fail";
  start_time?: Millis;
  end_time?: Millis;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardTradeListResponse".
 */
export interface CardTradeListResponse {
  code: 0;
  message: string;
  data: {
    list: Items[];
    total: number;
    page: Page;
    page_size: PageSize;
  };
}
export interface Items {
  trade_id: string;
  card_id: string;
  trade_type: "auth" | "settle" | "refund" | "reversal" | "fee";
  trade_result: "success" | "fail";
  amount: Money;
  currency: Currency;
  card_amount: Money;
  card_currency: Currency;
  merchant_name: string;
  mcc: string;
  auth_code: string | null;
  origin_trade_id: string | null;
  fail_reason: string | null;
  trade_time: Millis;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardUnfreezeRequest".
 */
export interface CardUnfreezeRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  card_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "CardUnfreezeResponse".
 */
export interface CardUnfreezeResponse {
  code: 0;
  message: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "EnvelopeError".
 */
export interface EnvelopeError {
  code: number;
  message: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "HolderCreateRequest".
 */
export interface HolderCreateRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  first_name: string;
  last_name: string;
  email: string;
  mobile_area_code: string;
  mobile: string;
  birthday?: string;
  id_type?: "passport" | "id_card" | "driving_license";
  id_number?: string;
  country: string;
  state?: string;
  city: string;
  address: string;
  postcode?: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "HolderCreateResponse".
 */
export interface HolderCreateResponse {
  code: 0;
  message: string;
  data: {
    holder_id: string;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "HolderDeleteRequest".
 */
export interface HolderDeleteRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  holder_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "HolderDeleteResponse".
 */
export interface HolderDeleteResponse {
  code: 0;
  message: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "HolderDetailRequest".
 */
export interface HolderDetailRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  holder_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "HolderDetailResponse".
 */
export interface HolderDetailResponse {
  code: 0;
  message: string;
  data: {
    holder_id: string;
    first_name: string;
    last_name: string;
    email: string;
    mobile_area_code: string;
    mobile: string;
    birthday: string | null;
    id_type: "passport" | "id_card" | "driving_license" | null;
    id_number: string | null;
    country: string;
    state: string | null;
    city: string;
    address: string;
    postcode: string | null;
    created_at: Millis;
    updated_at: Millis;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "HolderEditRequest".
 */
export interface HolderEditRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  holder_id: Id;
  first_name?: string;
  last_name?: string;
  email?: string;
  mobile_area_code?: string;
  mobile?: string;
  birthday?: string;
  id_type?: "passport" | "id_card" | "driving_license";
  id_number?: string;
  country?: string;
  state?: string;
  city?: string;
  address?: string;
  postcode?: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "HolderEditResponse".
 */
export interface HolderEditResponse {
  code: 0;
  message: string;
  data: {
    holder_id: string;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "HolderListRequest".
 */
export interface HolderListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  email?: string;
  name?: string;
  page?: Page;
  page_size?: PageSize;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "HolderListResponse".
 */
export interface HolderListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      holder_id: string;
      first_name: string;
      last_name: string;
      email: string;
      mobile_area_code: string;
      mobile: string;
      birthday: string | null;
      id_type: "passport" | "id_card" | "driving_license" | null;
      id_number: string | null;
      country: string;
      state: string | null;
      city: string;
      address: string;
      postcode: string | null;
      created_at: Millis;
      updated_at: Millis;
    }[];
    total: number;
    page: number;
    page_size: number;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "OrderDetailRequest".
 */
export interface OrderDetailRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  order_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "OrderDetailResponse".
 */
export interface OrderDetailResponse {
  code: 0;
  message: string;
  data: Data1;
}
export interface Data1 {
  order_id: string;
  request_no: string | null;
  /**
   * Order Type: 1 open_card, 2 recharge, 3 cancel_card
   */
  order_type: 1 | 2 | 3;
  /**
   * Order Status: 0 pending, 1 processing, 2 success, 3 failed
   */
  order_status: 0 | 1 | 2 | 3;
  card_id: string;
  card_type: 1 | 2;
  bin_id: string;
  holder_id: string;
  currency: Currency;
  amount: Money;
  fee: Money;
  remark: string;
  created_at: Millis;
  updated_at: Millis;
  bills: {
    /**
     * Order Bill Type: 1 principal, 2 fee
     */
    bill_type: 1 | 2;
    /**
     * In Out Type: 1 in (to the wallet), 2 out (from the wallet)
     */
    in_out_type: 1 | 2;
    category: "open_card" | "open_fee" | "card_recharge" | "recharge_fee" | "card_cancel_refund";
    amount: Money;
    currency: Currency;
  }[];
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "OrderListRequest".
 */
export interface OrderListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  page?: Page;
  page_size?: PageSize;
  order_type?: 1 | 2 | 3;
  order_status?: 0 | 1 | 2 | 3;
  card_id?: Id;
  start_time?: Millis;
  end_time?: Millis;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "OrderListResponse".
 */
export interface OrderListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      order_id: string;
      request_no: string | null;
      /**
       * Order Type: 1 open_card, 2 recharge, 3 cancel_card
       */
      order_type: 1 | 2 | 3;
      /**
       * Order Status: 0 pending, 1 processing, 2 success, 3 failed
       */
      order_status: 0 | 1 | 2 | 3;
      card_id: string;
      card_type: 1 | 2;
      bin_id: string;
      holder_id: string;
      currency: Currency;
      amount: Money;
      fee: Money;
      remark: string;
      created_at: Millis;
      updated_at: Millis;
    }[];
    total: number;
    page: Page;
    page_size: PageSize;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "OrderOpenCardRequest".
 */
export interface OrderOpenCardRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  bin_id: Id;
  holder_id: Id;
  amount?: Amount;
  currency?: Currency;
  /**
   * the client's order number; a repeat replays the first answer
   */
  request_no?: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "OrderOpenCardResponse".
 */
export interface OrderOpenCardResponse {
  code: 0;
  message: string;
  data: {
    order_id: string;
    card_id: string;
    order_status: 0 | 1 | 2 | 3;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "OrderRechargeRequest".
 */
export interface OrderRechargeRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  card_id: Id;
  amount: Amount;
  /**
   * the client's order number; a repeat replays the first answer
   */
  request_no?: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "OrderRechargeResponse".
 */
export interface OrderRechargeResponse {
  code: 0;
  message: string;
  data: {
    order_id: string;
    card_id: string;
    order_status: 0 | 1 | 2 | 3;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayMethodListRequest".
 */
export interface PayMethodListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  currency?: Currency;
  page?: Page;
  page_size?: PageSize;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayMethodListResponse".
 */
export interface PayMethodListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      pay_method: string;
      name: string;
      region: string;
      currencies: Currency[];
      fee_modes: ("OUR" | "SHA" | "BEN")[];
      /**
       * typical arrival time [INFERRED]
       */
      arrival: string;
    }[];
    total: number;
    page: Page;
    page_size: PageSize;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeApplyRequest".
 */
export interface PayeeApplyRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  payee_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeApplyResponse".
 */
export interface PayeeApplyResponse {
  code: 0;
  message: string;
  data: {
    payee_id: string;
    status: 0 | 1 | 2 | 3;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeCreateRequest".
 */
export interface PayeeCreateRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  payee_type: "individual" | "company";
  name: string;
  country: string;
  currency: Currency;
  pay_method: "SWIFT" | "LOCAL_ACH" | "FEDWIRE" | "FPS" | "CHATS" | "SEPA" | "UK_FPS" | "SG_FAST";
  account_name: string;
  account_number: string;
  bank_name: string;
  swift_code?: string;
  routing_code?: string;
  fund_source: string;
  payment_purpose: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeCreateResponse".
 */
export interface PayeeCreateResponse {
  code: 0;
  message: string;
  data: {
    payee_id: string;
    status: 0 | 1 | 2 | 3;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeDeleteRequest".
 */
export interface PayeeDeleteRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  payee_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeDeleteResponse".
 */
export interface PayeeDeleteResponse {
  code: 0;
  message: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeDetailRequest".
 */
export interface PayeeDetailRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  payee_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeDetailResponse".
 */
export interface PayeeDetailResponse {
  code: 0;
  message: string;
  data: Data2;
}
export interface Data2 {
  payee_id: string;
  payee_type: "individual" | "company";
  name: string;
  country: string;
  currency: Currency;
  pay_method: "SWIFT" | "LOCAL_ACH" | "FEDWIRE" | "FPS" | "CHATS" | "SEPA" | "UK_FPS" | "SG_FAST";
  account_name: string;
  account_number: string;
  bank_name: string;
  swift_code: string | null;
  routing_code: string | null;
  fund_source: string;
  payment_purpose: string;
  status: 0 | 1 | 2 | 3;
  reject_reason: string | null;
  created_at: Millis;
  updated_at: Millis;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeEditRequest".
 */
export interface PayeeEditRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  payee_id: Id;
  payee_type?: "individual" | "company";
  name?: string;
  country?: string;
  currency?: Currency;
  pay_method?: "SWIFT" | "LOCAL_ACH" | "FEDWIRE" | "FPS" | "CHATS" | "SEPA" | "UK_FPS" | "SG_FAST";
  account_name?: string;
  account_number?: string;
  bank_name?: string;
  swift_code?: string;
  routing_code?: string;
  fund_source?: string;
  payment_purpose?: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeEditResponse".
 */
export interface PayeeEditResponse {
  code: 0;
  message: string;
  data: {
    payee_id: string;
    status: 0 | 1 | 2 | 3;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeFundSourceListRequest".
 */
export interface PayeeFundSourceListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  page?: Page;
  page_size?: PageSize;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeFundSourceListResponse".
 */
export interface PayeeFundSourceListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      code: string;
      name: string;
    }[];
    total: number;
    page: Page;
    page_size: PageSize;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeListRequest".
 */
export interface PayeeListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  status?: 0 | 1 | 2 | 3;
  payee_type?: "individual" | "company";
  currency?: Currency;
  name?: string;
  page?: Page;
  page_size?: PageSize;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeeListResponse".
 */
export interface PayeeListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      payee_id: string;
      payee_type: "individual" | "company";
      name: string;
      country: string;
      currency: Currency;
      pay_method: "SWIFT" | "LOCAL_ACH" | "FEDWIRE" | "FPS" | "CHATS" | "SEPA" | "UK_FPS" | "SG_FAST";
      account_name: string;
      account_number: string;
      bank_name: string;
      swift_code: string | null;
      routing_code: string | null;
      fund_source: string;
      payment_purpose: string;
      status: 0 | 1 | 2 | 3;
      reject_reason: string | null;
      created_at: Millis;
      updated_at: Millis;
    }[];
    total: number;
    page: number;
    page_size: number;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeePaymentPurposeListRequest".
 */
export interface PayeePaymentPurposeListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  page?: Page;
  page_size?: PageSize;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PayeePaymentPurposeListResponse".
 */
export interface PayeePaymentPurposeListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      code: string;
      name: string;
    }[];
    total: number;
    page: Page;
    page_size: PageSize;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PaymentCreateRequest".
 */
export interface PaymentCreateRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  payee_id: Id;
  amount: Amount;
  currency: Currency;
  fee_mode: "OUR" | "SHA" | "BEN";
  reason: string;
  remark?: string;
  request_no?: string;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PaymentCreateResponse".
 */
export interface PaymentCreateResponse {
  code: 0;
  message: string;
  data: {
    payment_id: string;
    request_no: string | null;
    payee_id: string;
    pay_method: "SWIFT" | "LOCAL_ACH" | "FEDWIRE" | "FPS" | "CHATS" | "SEPA" | "UK_FPS" | "SG_FAST";
    currency: Currency;
    amount: Money;
    fee: Money;
    fee_mode: "OUR" | "SHA" | "BEN";
    debit_amount: Money;
    received_amount: Money;
    reason: string;
    remark: string;
    status: 0 | 1 | 2 | 3 | 4;
    fail_reason: string | null;
    created_at: Millis;
    updated_at: Millis;
    completed_at: number | null;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PaymentDetailRequest".
 */
export interface PaymentDetailRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  payment_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PaymentDetailResponse".
 */
export interface PaymentDetailResponse {
  code: 0;
  message: string;
  data: Data3;
}
export interface Data3 {
  payment_id: string;
  request_no: string | null;
  payee_id: string;
  pay_method: "SWIFT" | "LOCAL_ACH" | "FEDWIRE" | "FPS" | "CHATS" | "SEPA" | "UK_FPS" | "SG_FAST";
  currency: Currency;
  amount: Money;
  fee: Money;
  fee_mode: "OUR" | "SHA" | "BEN";
  debit_amount: Money;
  received_amount: Money;
  reason: string;
  remark: string;
  status: 0 | 1 | 2 | 3 | 4;
  fail_reason: string | null;
  created_at: Millis;
  updated_at: Millis;
  completed_at: number | null;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PaymentListRequest".
 */
export interface PaymentListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  status?: 0 | 1 | 2 | 3 | 4;
  payee_id?: Id;
  start_time?: Millis;
  end_time?: Millis;
  page?: Page;
  page_size?: PageSize;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PaymentListResponse".
 */
export interface PaymentListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      payment_id: string;
      request_no: string | null;
      payee_id: string;
      pay_method: "SWIFT" | "LOCAL_ACH" | "FEDWIRE" | "FPS" | "CHATS" | "SEPA" | "UK_FPS" | "SG_FAST";
      currency: Currency;
      amount: Money;
      fee: Money;
      fee_mode: "OUR" | "SHA" | "BEN";
      debit_amount: Money;
      received_amount: Money;
      reason: string;
      remark: string;
      status: 0 | 1 | 2 | 3 | 4;
      fail_reason: string | null;
      created_at: Millis;
      updated_at: Millis;
      completed_at: number | null;
    }[];
    total: number;
    page: number;
    page_size: number;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PaymentReasonListRequest".
 */
export interface PaymentReasonListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  page?: Page;
  page_size?: PageSize;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "PaymentReasonListResponse".
 */
export interface PaymentReasonListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      code: string;
      name: string;
    }[];
    total: number;
    page: Page;
    page_size: PageSize;
  };
}
/**
 * INFERRED: the wallet by wallet_id or by currency (at least one; both must agree)
 *
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WalletDetailRequest".
 */
export interface WalletDetailRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  wallet_id?: Id;
  currency?: Currency;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WalletDetailResponse".
 */
export interface WalletDetailResponse {
  code: 0;
  message: string;
  /**
   * INFERRED: balance is the available balance of the wallet ledger account, frozen_balance what is held, total_balance their sum
   */
  data: {
    wallet_id: string;
    currency: Currency;
    /**
     * Wallet Status: 1 normal, 2 frozen [INFERRED values]
     */
    status: 1 | 2;
    balance: Money;
    frozen_balance: Money;
    total_balance: Money;
    created_at: Millis;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WalletExchangeRateRequest".
 */
export interface WalletExchangeRateRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  from_currency: Currency;
  to_currency: Currency;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WalletExchangeRateResponse".
 */
export interface WalletExchangeRateResponse {
  code: 0;
  message: string;
  /**
   * INFERRED: a fixed rate table; the quote holds for 5 minutes (expire_at, unix ms)
   */
  data: {
    from_currency: Currency;
    to_currency: Currency;
    /**
     * 1 from_currency = rate to_currency, 4 decimals [INFERRED]
     */
    rate: string;
    expire_at: Millis;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WalletListRequest".
 */
export interface WalletListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  currency?: Currency;
  /**
   * Wallet Status: 1 normal, 2 frozen [INFERRED values]
   */
  status?: 1 | 2;
  page?: Page;
  page_size?: PageSize;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WalletListResponse".
 */
export interface WalletListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      wallet_id: string;
      currency: Currency;
      /**
       * Wallet Status: 1 normal, 2 frozen [INFERRED values]
       */
      status: 1 | 2;
      balance: Money;
      frozen_balance: Money;
      total_balance: Money;
      created_at: Millis;
    }[];
    total: number;
    page: Page;
    page_size: PageSize;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WalletTransactionDetailRequest".
 */
export interface WalletTransactionDetailRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  transaction_id: Id;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WalletTransactionDetailResponse".
 */
export interface WalletTransactionDetailResponse {
  code: 0;
  message: string;
  data: Data4;
}
export interface Data4 {
  transaction_id: string;
  currency: Currency;
  /**
   * In Out Type: 1 in, 2 out [INFERRED values]
   */
  in_out_type: 1 | 2;
  /**
   * Transaction Type [INFERRED values]
   */
  transaction_type: "recharge" | "open_card" | "card_recharge" | "card_cancel_refund" | "payment" | "fee" | "exchange";
  amount: Money;
  /**
   * Transaction Status: 0 processing, 1 success, 2 failed [INFERRED values]
   */
  status: 0 | 1 | 2;
  related_id: string;
  remark: string;
  created_at: Millis;
}
/**
 * INFERRED: start_time <= created_at <= end_time, unix ms
 *
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WalletTransactionListRequest".
 */
export interface WalletTransactionListRequest {
  customer_id: CustomerId;
  app_id: AppId;
  key: Key;
  currency?: Currency;
  /**
   * In Out Type: 1 in, 2 out [INFERRED values]
   */
  in_out_type?: 1 | 2;
  /**
   * Transaction Type [INFERRED values]
   */
  transaction_type?: "recharge" | "open_card" | "card_recharge" | "card_cancel_refund" | "payment" | "fee" | "exchange";
  /**
   * Transaction Status: 0 processing, 1 success, 2 failed [INFERRED values]
   */
  status?: 0 | 1 | 2;
  related_id?: Id;
  start_time?: Millis;
  end_time?: Millis;
  page?: Page;
  page_size?: PageSize;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WalletTransactionListResponse".
 */
export interface WalletTransactionListResponse {
  code: 0;
  message: string;
  data: {
    list: {
      transaction_id: string;
      currency: Currency;
      /**
       * In Out Type: 1 in, 2 out [INFERRED values]
       */
      in_out_type: 1 | 2;
      /**
       * Transaction Type [INFERRED values]
       */
      transaction_type:
        "recharge" | "open_card" | "card_recharge" | "card_cancel_refund" | "payment" | "fee" | "exchange";
      amount: Money;
      /**
       * Transaction Status: 0 processing, 1 success, 2 failed [INFERRED values]
       */
      status: 0 | 1 | 2;
      related_id: string;
      remark: string;
      created_at: Millis;
    }[];
    total: number;
    page: Page;
    page_size: PageSize;
  };
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WebhookCard".
 */
export interface WebhookCard {
  customer_id: number;
  app_id: number;
  type: "card";
  data: Data;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WebhookCardTrade".
 */
export interface WebhookCardTrade {
  customer_id: number;
  app_id: number;
  type: "card_trade";
  data: Items;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WebhookOrder".
 */
export interface WebhookOrder {
  customer_id: number;
  app_id: number;
  type: "order";
  data: Data1;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WebhookPayee".
 */
export interface WebhookPayee {
  customer_id: number;
  app_id: number;
  type: "payee";
  data: Data2;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WebhookPayment".
 */
export interface WebhookPayment {
  customer_id: number;
  app_id: number;
  type: "payment";
  data: Data3;
}
/**
 * This interface was referenced by `OpenapiCnContracts`'s JSON-Schema
 * via the `definition` "WebhookWallet".
 */
export interface WebhookWallet {
  customer_id: number;
  app_id: number;
  type: "wallet";
  data: Data4;
}
