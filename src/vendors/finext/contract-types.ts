/* Generated from contracts/finext/ by `npm run contracts:types`. Do not edit by hand. */

/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "ApiKey".
 */
export type ApiKey = string;
/**
 * unique per request, 20 to 64 characters
 *
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "RequestId".
 */
export type RequestId = string;
/**
 * 13-digit ms; valid within ±30 s
 *
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "Timestamp".
 */
export type Timestamp = string;
/**
 * lowercase hex MD5
 *
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "Sign".
 */
export type Sign = string;
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "Username".
 */
export type Username = string;
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "KitNumber".
 */
export type KitNumber = string;
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "Base64".
 */
export type Base64 = string;
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "Extension".
 */
export type Extension = string;
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "Language".
 */
export type Language =
  | "English"
  | "Spanish"
  | "French"
  | "Arabic"
  | "Chinese"
  | "Japanese"
  | "Russian"
  | "Portuguese"
  | "German"
  | "Italian"
  | "Hindi"
  | "Other";
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "Amount".
 */
export type Amount = string;
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "SignedAmount".
 */
export type SignedAmount = string;
/**
 * 22 Preparing, 10 Mailed, 6 Active, 8 Block, 11 Card Issue [DOC]; 0 awaiting KYC, 9 cancelled, 12 replaced [INFERRED]
 *
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "OpStatus".
 */
export type OpStatus = 0 | 22 | 10 | 6 | 8 | 11 | 9 | 12;
export type Extension1 = string;
export type Extension2 = string;

/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "Transaction".
 */
export interface Transaction {
  kit_number: string;
  timestamp: number;
  amount: SignedAmount;
  category: string;
  detail: string;
  transaction_id: string;
  transaction_status: 1 | 2;
  origin_type: 1 | 2;
  origin_id: string;
  txn_date: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "Card".
 */
export interface Card {
  card_id: string;
  kit_number: string;
  op_status: OpStatus;
  card_type: 1 | 2 | 3;
  card_level: 1 | 2;
  balance: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "AccountProfile".
 */
export interface AccountProfile {
  /**
   * 1 VISA, 2 Mastercard, 3 UnionPay
   */
  card_type: 1 | 2 | 3;
  /**
   * 1 Premier, 2 Prestige
   */
  card_level: 1 | 2;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  username: Username;
  email: string;
  mobile_number: string;
  gender: "Male" | "Female";
  card_holder_name: string;
  country_code: string;
  country: string;
  /**
   * YYYY-MM-DD, age 18 or more
   */
  date_of_birth: string;
  /**
   * digits, no +
   */
  calling_code: string;
  calling_country_code: string;
  state: string;
  city: string;
  postal_code: string;
  address: string;
  secondary_address: string | null;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "ActiveCardRequest".
 */
export interface ActiveCardRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  kit_number: KitNumber;
  pin: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "ActiveCardResponse".
 */
export interface ActiveCardResponse {
  code: 10200;
  msg: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "AddAddressProofRequest".
 */
export interface AddAddressProofRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  address_type:
    | "Credit Card Statement"
    | "Utility Bill"
    | "Bank Statement"
    | "Bank Letter"
    | "Insurance Policy"
    | "Post Office Balance Certificate"
    | "Other Government Issued Document";
  address_issued_by: string;
  address_issued_date: string;
  address_language: Language;
  address_proof_front: Base64;
  address_proof_front_extension: Extension;
  address_proof_back?: Base64;
  address_proof_back_extension?: Extension;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "AddAddressProofResponse".
 */
export interface AddAddressProofResponse {
  code: 10200;
  msg: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "AddIDProofRequest".
 */
export interface AddIDProofRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  id_type: "Passport" | "Driver License" | "National Id";
  id_number: string;
  issued_by: string;
  issued_date?: string;
  expiration_date?: string;
  language: Language;
  id_front: Base64;
  id_back?: Base64;
  id_front_extension: Extension;
  id_back_extension: Extension1;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "AddIDProofResponse".
 */
export interface AddIDProofResponse {
  code: 10200;
  msg: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "BalanceRequest".
 */
export interface BalanceRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  kit_number: KitNumber;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "BalanceResponse".
 */
export interface BalanceResponse {
  code: 10200;
  msg: string;
  data: {
    balance: string;
  };
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "CancelCardRequest".
 */
export interface CancelCardRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  kit_number: KitNumber;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "CancelCardResponse".
 */
export interface CancelCardResponse {
  code: 10200;
  msg: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "CreateAccountRequest".
 */
export interface CreateAccountRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  /**
   * 1 VISA, 2 Mastercard, 3 UnionPay
   */
  card_type: 1 | 2 | 3;
  /**
   * 1 Premier, 2 Prestige
   */
  card_level: 1 | 2;
  first_name: string;
  middle_name?: string;
  last_name: string;
  username: Username;
  email: string;
  mobile_number: string;
  gender: "Male" | "Female";
  card_holder_name: string;
  country_code: string;
  country: string;
  /**
   * YYYY-MM-DD, age 18 or more
   */
  date_of_birth: string;
  /**
   * digits, no +
   */
  calling_code: string;
  calling_country_code: string;
  state: string;
  city: string;
  postal_code: string;
  address: string;
  secondary_address?: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "CreateAccountResponse".
 */
export interface CreateAccountResponse {
  code: 10200;
  msg: string;
  data: {
    username: Username;
    card_id: string;
  };
}
/**
 * Creates a card transaction record; development only [DOC]. Signed in the no-user form.
 *
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "CreateTransactionRequest".
 */
export interface CreateTransactionRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  kit_number: KitNumber;
  /**
   * CR… credits the card, DR… debits it; the sandbox's list is in the README
   */
  category: string;
  amount: Amount;
  /**
   * 1 original, 2 secondary
   */
  origin_type: 1 | 2;
  /**
   * the original transaction's id; required (non-empty) when origin_type is 2, "" for an original
   */
  origin_id: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "CreateTransactionResponse".
 */
export interface CreateTransactionResponse {
  code: 10200;
  msg: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "EnvelopeError".
 */
export interface EnvelopeError {
  code: number;
  msg: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "GetAccountDetailsRequest".
 */
export interface GetAccountDetailsRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "GetAccountDetailsResponse".
 */
export interface GetAccountDetailsResponse {
  code: 10200;
  msg: string;
  data: {
    /**
     * 1 VISA, 2 Mastercard, 3 UnionPay
     */
    card_type: 1 | 2 | 3;
    /**
     * 1 Premier, 2 Prestige
     */
    card_level: 1 | 2;
    first_name: string;
    middle_name: string | null;
    last_name: string;
    username: Username;
    email: string;
    mobile_number: string;
    gender: "Male" | "Female";
    card_holder_name: string;
    country_code: string;
    country: string;
    /**
     * YYYY-MM-DD, age 18 or more
     */
    date_of_birth: string;
    /**
     * digits, no +
     */
    calling_code: string;
    calling_country_code: string;
    state: string;
    city: string;
    postal_code: string;
    address: string;
    secondary_address: string | null;
    kyc_status: 0 | 1 | 2 | 3 | 4;
    kyc_reject_reason: string;
    cards: Card[];
  };
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "GetAllTransactionsRequest".
 */
export interface GetAllTransactionsRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  kit_number: KitNumber;
  /**
   * YYYY-MM-DD
   */
  start_date: string;
  /**
   * YYYY-MM-DD, not before start_date, at most 4 months after it (INFERRED: the docs say 3, their example spans 4)
   */
  end_date: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "GetAllTransactionsResponse".
 */
export interface GetAllTransactionsResponse {
  code: 10200;
  msg: string;
  data: {
    list: {
      timestamp: number;
      amount: SignedAmount;
      category: string;
      detail: string;
      transaction_id: string;
      transaction_status: 1 | 2;
      origin_type: 1 | 2;
      origin_id: string;
      txn_date: string;
    }[];
  };
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "GetAllTransactionsOfCardsRequest".
 */
export interface GetAllTransactionsOfCardsRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  /**
   * @maxItems 200
   */
  kit_numbers?: string[];
  page: number;
  start_time: Timestamp;
  end_time: Timestamp;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "GetAllTransactionsOfCardsResponse".
 */
export interface GetAllTransactionsOfCardsResponse {
  code: 10200;
  msg: string;
  data: {
    /**
     * @maxItems 1000
     */
    list: Transaction[];
    page: number;
    page_size: 1000;
    /**
     * transactions in the range, all pages [DOC]
     */
    total: number;
    /**
     * whether pages after this one hold more transactions of the range [DOC]
     */
    hasMore: boolean;
  };
}
/**
 * Get Topup Status [DOC]: one top-up of the card by transaction_id or transaction_hash. Signed in the user form.
 *
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "GetTopupTransactionRequest".
 */
export interface GetTopupTransactionRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  kit_number: KitNumber;
  /**
   * required if transaction_hash is not set
   */
  transaction_id?: string;
  /**
   * on-chain transaction hash; required if transaction_id is not set
   */
  transaction_hash?: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "GetTopupTransactionResponse".
 */
export interface GetTopupTransactionResponse {
  code: 10200;
  msg: string;
  data: {
    amount: Amount;
    /**
     * top-up receive status: 1 success, 2 fail
     */
    status: 1 | 2;
    token_type?: "USDT" | "USDC";
    /**
     * top-up card status: 1 pending, 2 success, 3 fail
     */
    card_status: 1 | 2 | 3;
    /**
     * 3 Blockchain Direct, 5 FEB API topup
     */
    top_up_method: 3 | 5;
    token_amount?: string;
    /**
     * FEB system entry time, ms
     */
    time: number;
    transaction_id: string;
    transaction_hash?: string;
  };
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "ModifyOpStatusRequest".
 */
export interface ModifyOpStatusRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  card_id: string;
  /**
   * 11: Card Issue
   */
  op_status: 11;
  /**
   * 1 Stolen/Lost, 2 Damaged, 5 Activation Issue, 6 Reset PIN issue, 7 Delivery Issue, 8 Fraud
   */
  op_cause_type: 1 | 2 | 5 | 6 | 7 | 8;
  issue_transaction_id?: string;
  issue_date?: string;
  issue_amount?: string;
  issue_merchant?: string;
  issue_text?: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "ModifyOpStatusResponse".
 */
export interface ModifyOpStatusResponse {
  code: 10200;
  msg: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "ReplaceCardRequest".
 */
export interface ReplaceCardRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  kit_number: KitNumber;
  /**
   * 1 agree to replace, 2 refuse
   */
  replace: 1 | 2;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "ReplaceCardResponse".
 */
export interface ReplaceCardResponse {
  code: 10200;
  msg: string;
  data?: {
    card_id: string;
    kit_number: string;
  };
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "TopupRequest".
 */
export interface TopupRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  kit_number: KitNumber;
  amount: Amount;
  transaction_id: string;
  fund_source?:
    | "Employment Income"
    | "Investment Income"
    | "Business Income"
    | "Savings"
    | "Loans"
    | "Sales of Investment"
    | "Gifts"
    | "Others";
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "TopupResponse".
 */
export interface TopupResponse {
  code: 10200;
  msg: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "UpdateAddressProofRequest".
 */
export interface UpdateAddressProofRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  address_type:
    | "Credit Card Statement"
    | "Utility Bill"
    | "Bank Statement"
    | "Bank Letter"
    | "Insurance Policy"
    | "Post Office Balance Certificate"
    | "Other Government Issued Document";
  address_issued_by: string;
  address_issued_date: string;
  address_language: Language;
  address_proof_front: Base64;
  address_proof_front_extension: Extension;
  address_proof_back?: Base64;
  address_proof_back_extension?: Extension;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "UpdateAddressProofResponse".
 */
export interface UpdateAddressProofResponse {
  code: 10200;
  msg: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "UpdateIDProofRequest".
 */
export interface UpdateIDProofRequest {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  id_type: "Passport" | "Driver License" | "National Id";
  id_number: string;
  issued_by: string;
  issued_date?: string;
  expiration_date?: string;
  language: Language;
  id_front: string;
  id_back?: string;
  id_front_extension: Extension;
  id_back_extension: Extension2;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "UpdateIDProofResponse".
 */
export interface UpdateIDProofResponse {
  code: 10200;
  msg: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "WebhookCardStatus".
 */
export interface WebhookCardStatus {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  /**
   * @minItems 1
   */
  card_ids: [string, ...string[]];
  /**
   * 22 Preparing, 10 Mailed, 6 Active, 8 Block [DOC]: the only values this notification carries
   */
  op_status: 22 | 10 | 6 | 8;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "WebhookCardTopupStatus".
 */
export interface WebhookCardTopupStatus {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  card_id: string;
  /**
   * the top-up's transaction_id
   */
  transaction_id: string;
  /**
   * crypto-currency transaction hash [DOC, optional]; the sandbox's top-ups have none
   */
  transaction_hash?: string;
  /**
   * 1 success, 2 fail
   */
  status: 1 | 2;
  /**
   * 1 below the minimum top-up; 2 received but halted, above the maximum per transaction; 3 received but halted, the card's balance limit
   */
  fail_reason?: 1 | 2 | 3;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "WebhookCardTransactionVoided".
 */
export interface WebhookCardTransactionVoided {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  /**
   * @minItems 1
   */
  transaction_ids: [string, ...string[]];
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "WebhookKycStatus".
 */
export interface WebhookKycStatus {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  username: Username;
  kyc_status: 1 | 2 | 3 | 4;
  kyc_reject_reason: string;
}
/**
 * This interface was referenced by `FinextContracts`'s JSON-Schema
 * via the `definition` "WebhookNewCardTransaction".
 */
export interface WebhookNewCardTransaction {
  api_key: ApiKey;
  request_id: RequestId;
  timestamp: Timestamp;
  sign: Sign;
  /**
   * @minItems 1
   */
  transactions: [Transaction, ...Transaction[]];
}
