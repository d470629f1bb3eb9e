/** STUB: holder module (being written). */
import type { Faker } from '@faker-js/faker';
import type { Transaction } from '../../../core/store.js';
export function seedHolders(_tx: Transaction, _tenantId: string, _faker: Faker, _refDate: number): string[] {
  return ['holder_stub'];
}
export const holderOperations = [];
