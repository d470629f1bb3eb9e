/** STUB: bin module (being written). */
import type { Transaction } from '../../../core/store.js';
export function seedBins(_tx: Transaction, _tenantId: string): void {}
export const binOperations = [];
