/* Generated from contracts/onerway/ by `npm run contracts:types`. Do not edit by hand. */

/**
 * Idempotent request id, unique per operation
 *
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "ClientRequestId".
 */
export type ClientRequestId = string;
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "Long".
 */
export type Long = number;
/**
 * BigDecimal, > 0, at most 2 decimal places
 *
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "Amount".
 */
export type Amount = number;
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "Money".
 */
export type Money = number;
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "Currency".
 */
export type Currency = string;
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "EpochSeconds".
 */
export type EpochSeconds = number;
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "EpochMillis".
 */
export type EpochMillis = number;
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "PageNum".
 */
export type PageNum = number;
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "PageSize".
 */
export type PageSize = number;
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "OperateType".
 */
export type OperateType = "CREATE" | "FREEZE" | "UNFREEZE" | "TERMINATE" | "DEPOSIT";
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "OperateStatus".
 */
export type OperateStatus = "P" | "S" | "F";
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "CardStatus".
 */
export type CardStatus = "PROCESSING" | "ACTIVE" | "FROZEN" | "TERMINATED" | "FAILED";
/**
 * Idempotent request id, unique per operation
 */
export type ClientRequestId1 = string;
/**
 * Idempotent request id, unique per operation
 */
export type ClientRequestId2 = string;

/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "OperateRecord".
 */
export interface OperateRecord {
  operateRecordId: Long;
  cardId: Long;
  clientRequestId: string;
  type: OperateType;
  status: OperateStatus;
  remark: string;
  amount: number | null;
  currency: Currency;
  operateTime: EpochMillis;
  feeList: {
    feeType: "CREATE" | "DEPOSIT";
    feeAmount: Money;
    feeCurrency: Currency;
  }[];
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "TxnRecord".
 */
export interface TxnRecord {
  txnType: "AUTHORIZATION" | "REVERSAL" | "CLEARING" | "REFUND" | "VERIFICATION";
  txnStatus: "S" | "F" | "P";
  txnOrderNo: string;
  originTxnOrderNo: string | null;
  originTxnOrderNoForRefund: string | null;
  /**
   * a String here, unlike elsewhere
   */
  cardId: string;
  authTime: EpochMillis;
  authorizationCode: string | null;
  authMessageDesc: string;
  transactionAmount: Money;
  transactionCurrency: Currency;
  transactionTime: EpochMillis;
  cardAmount: Money;
  cardCurrency: Currency;
  merchantName: string;
  mcc: string;
  remark: string;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "Cardholder".
 */
export interface Cardholder {
  cardholderId: Long;
  firstName: string;
  lastName: string;
  email: string;
  mobileAreaCode: string;
  mobile: string;
  regionCode: string;
  cityCode: string | null;
  address: string;
  postCode: string | null;
  birthday: string | null;
  createTime: EpochMillis;
  updateTime: EpochMillis;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "CityListRequest".
 */
export interface CityListRequest {
  regionCode: string;
  parentCode?: string;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "CityListResponse".
 */
export interface CityListResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    regionCode: string;
    parentCode: string | null;
    cityCode: string;
    cityName: string;
  }[];
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "CreateCardRequest".
 */
export interface CreateCardRequest {
  clientRequestId: ClientRequestId;
  cardholderId: Long;
  productId: Long;
  amount: Amount;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "CreateCardResponse".
 */
export interface CreateCardResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    cardId: Long;
  };
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "CreateCardholderRequest".
 */
export interface CreateCardholderRequest {
  clientRequestId: ClientRequestId1;
  firstName: string;
  lastName: string;
  email: string;
  mobileAreaCode: string;
  mobile: string;
  regionCode: string;
  cityCode?: string;
  address: string;
  postCode?: string;
  birthday?: string;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "CreateCardholderResponse".
 */
export interface CreateCardholderResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    cardholderId: Long;
  };
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "DepositRequest".
 */
export interface DepositRequest {
  clientRequestId: ClientRequestId;
  cardId: Long;
  amount: Amount;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "DepositResponse".
 */
export interface DepositResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    operateRecordId: Long;
  };
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "EnvelopeError".
 */
export interface EnvelopeError {
  respCode: string;
  respMsg: string;
  data: null;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetCardBalanceRequest".
 */
export interface GetCardBalanceRequest {
  cardId: Long;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetCardBalanceResponse".
 */
export interface GetCardBalanceResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    cardId: Long;
    balance: number;
    availableBalance: number;
    currency: Currency;
  };
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetCardInfoRequest".
 */
export interface GetCardInfoRequest {
  cardId: Long;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetCardInfoResponse".
 */
export interface GetCardInfoResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    cardId: Long;
    cardholderId: Long;
    productId: Long;
    cardStatus: CardStatus;
    maskCardNo: string;
    currency: Currency;
    createTime: EpochMillis;
  };
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetCardSensitiveInfoRequest".
 */
export interface GetCardSensitiveInfoRequest {
  cardId: Long;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetCardSensitiveInfoResponse".
 */
export interface GetCardSensitiveInfoResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    cardId: Long;
    cardNo: string;
    cvv: string;
    expiryDate: string;
  };
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetCardholderRequest".
 */
export interface GetCardholderRequest {
  cardholderId: Long;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetCardholderResponse".
 */
export interface GetCardholderResponse {
  respCode: "20000";
  respMsg: string;
  data: Cardholder;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetCardholderListRequest".
 */
export interface GetCardholderListRequest {
  email?: string;
  pageNum: PageNum;
  pageSize: PageSize;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetCardholderListResponse".
 */
export interface GetCardholderListResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    totalRecords: number;
    pageSize: number;
    current: number;
    pageNum: number;
    totalPages: number;
    records: Cardholder[];
  };
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetOperateRecordListRequest".
 */
export interface GetOperateRecordListRequest {
  cardId?: Long;
  clientRequestId?: ClientRequestId;
  type?: OperateType;
  startTime?: EpochSeconds;
  endTime?: EpochSeconds;
  pageNum: PageNum;
  pageSize: PageSize;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "GetOperateRecordListResponse".
 */
export interface GetOperateRecordListResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    totalRecords: number;
    pageSize: number;
    current: number;
    pageNum: number;
    totalPages: number;
    records: OperateRecord[];
  };
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "MobileAreaCodeListRequest".
 */
export interface MobileAreaCodeListRequest {}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "MobileAreaCodeListResponse".
 */
export interface MobileAreaCodeListResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    regionCode: string;
    regionName: string;
    areaCode: string;
  }[];
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "OperateRequest".
 */
export interface OperateRequest {
  clientRequestId: ClientRequestId;
  cardId: Long;
  /**
   * FREEZE, UNFREEZE or TERMINATE
   */
  type: string;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "OperateResponse".
 */
export interface OperateResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    operateRecordId: Long;
  };
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "QueryTxnListRequest".
 */
export interface QueryTxnListRequest {
  txnType?: "AUTHORIZATION" | "REVERSAL" | "CLEARING" | "REFUND" | "VERIFICATION";
  txnStatus?: "S" | "F" | "P";
  cardId?: number | string;
  startTime?: EpochSeconds;
  endTime?: EpochSeconds;
  pageNum: PageNum;
  pageSize: PageSize;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "QueryTxnListResponse".
 */
export interface QueryTxnListResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    totalRecords: number;
    pageSize: number;
    current: number;
    pageNum: number;
    totalPages: number;
    records: TxnRecord[];
  };
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "RegionListRequest".
 */
export interface RegionListRequest {}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "RegionListResponse".
 */
export interface RegionListResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    regionCode: string;
    regionName: string;
  }[];
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "UpdateCardholderRequest".
 */
export interface UpdateCardholderRequest {
  clientRequestId: ClientRequestId2;
  cardholderId: Long;
  firstName?: string;
  lastName?: string;
  email?: string;
  mobileAreaCode?: string;
  mobile?: string;
  regionCode?: string;
  cityCode?: string;
  address?: string;
  postCode?: string;
  birthday?: string;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "UpdateCardholderResponse".
 */
export interface UpdateCardholderResponse {
  respCode: "20000";
  respMsg: string;
  data: {
    cardholderId: Long;
  };
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "WebhookCardOperateEvent".
 */
export interface WebhookCardOperateEvent {
  request_id: string;
  event_type: "issuing.cardOperateEvent";
  created_at: string;
  version: string;
  data: OperateRecord;
}
/**
 * This interface was referenced by `OnerwayContracts`'s JSON-Schema
 * via the `definition` "WebhookCardTransactionEvent".
 */
export interface WebhookCardTransactionEvent {
  request_id: string;
  event_type: "issuing.cardTransactionEvent";
  created_at: string;
  version: string;
  data: TxnRecord;
}
