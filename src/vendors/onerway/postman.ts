/**
 * Onerway's collection: the merchant's ApiKey as a variable sent in the `ApiKey` header; a new
 * cardholder, then a card for it, whose ids the following requests take from collection variables
 * (their defaults: the default scenario's cardholder 300001, and 100001, the first card a fresh reset makes).
 */
import type { PostmanProfile } from '../../core/vendor.js';

export const POSTMAN: PostmanProfile = {
  variables: (credentials) => ({ apiKey: credentials.apiKey ?? '', cardholderId: '300001', cardId: '100001' }),
  numeric: ['cardholderId', 'cardId'],
  headers: [{ key: 'ApiKey', value: '{{apiKey}}' }],
  bodyFields: {},
  success: { field: 'respCode', value: '20000' },
  steps: [
    { operation: 'regionList' },
    { operation: 'cityList' },
    { operation: 'mobileAreaCodeList' },
    {
      operation: 'createCardholder',
      body: {
        clientRequestId: 'REQ_POSTMAN_0001',
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        mobileAreaCode: '+1',
        mobile: '4155550100',
        regionCode: 'US',
        cityCode: 'US-CA-SFO',
        address: '12 Market St',
        postCode: '94105',
        birthday: '1990-12-10',
      },
      save: { cardholderId: 'data.cardholderId' },
    },
    { operation: 'updateCardholder', body: { clientRequestId: 'REQ_POSTMAN_0002', cardholderId: '{{cardholderId}}', address: '14 Market St' } },
    { operation: 'getCardholder', body: { cardholderId: '{{cardholderId}}' } },
    { operation: 'getCardholderList', body: { pageNum: 1, pageSize: 10 } },
    { operation: 'createCard', body: { cardholderId: '{{cardholderId}}' }, save: { cardId: 'data.cardId' } },
    { operation: 'deposit', body: { cardId: '{{cardId}}' } },
    { operation: 'getOperateRecordList', body: { cardId: '{{cardId}}' } },
    { operation: 'getCardInfo', body: { cardId: '{{cardId}}' } },
    { operation: 'getCardBalance', body: { cardId: '{{cardId}}' } },
    { operation: 'getCardSensitiveInfo', body: { cardId: '{{cardId}}' } },
    { operation: 'queryTxnList', body: { cardId: '{{cardId}}', pageNum: 1, pageSize: 10 } },
    { operation: 'operate', body: { cardId: '{{cardId}}' } },
  ],
};
