/** STUB: card module (being written). */
import type { Faker } from '@faker-js/faker';
import type { CardTxn, NetworkCard } from '../../../core/ledger.js';
import type { Store, Transaction } from '../../../core/store.js';
import type { VendorContext } from '../../types.js';
export function seedCards(_tx: Transaction, _tenantId: string, _faker: Faker, _refDate: number, _example: { cardId: string; holderId: string }): void {}
export const cardOperations = [];
export const cardJobs = {};
export function resolveCard(_store: Store, _cardId: string): NetworkCard | undefined {
  return undefined;
}
export function onNetworkTransaction(_ctx: VendorContext, _txn: CardTxn): void {}
