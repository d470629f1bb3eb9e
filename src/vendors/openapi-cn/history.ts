/**
 * OPEN-API's history (--retention-history): orders once final, payments once past processing (a return
 * scheduled after the retention period finds nothing to return), settled wallet transactions, and card
 * trades.
 */
import type { History } from '../../core/retention.js';
import type { Trade } from './card-trade.js';
import { TXN_STATUS } from './inferred.js';
import { ORDER_MACHINE } from './machines/order.js';
import { COLLECTIONS } from './model.js';
import type { Order } from './order-model.js';
import type { Payment } from './operations/payment.js';
import type { WalletTxn } from './wallet-ledger.js';

const finalOrder = (o: Order) => Object.keys(ORDER_MACHINE.table[o.status]).length === 0;

export const HISTORY: readonly History[] = [
  { collection: COLLECTIONS.orders, ageOf: (r) => (r as Order).created_at, settled: (r) => finalOrder(r as Order) },
  { collection: COLLECTIONS.payments, ageOf: (r) => (r as Payment).created_at, settled: (r) => !['PENDING', 'PROCESSING'].includes((r as Payment).state) },
  { collection: COLLECTIONS.walletTxns, ageOf: (r) => (r as WalletTxn).created_at, settled: (r) => (r as WalletTxn).status !== TXN_STATUS.PROCESSING },
  { collection: COLLECTIONS.trades, ageOf: (r) => (r as Trade).trade_time, settled: () => true },
];
