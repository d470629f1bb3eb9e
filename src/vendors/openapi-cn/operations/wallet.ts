/** STUB: wallet module (being written). */
import type { Transaction } from '../../../core/store.js';
export function seedWallets(_tx: Transaction, _tenantId: string, _refDate: number): void {}
export const walletOperations = [];
