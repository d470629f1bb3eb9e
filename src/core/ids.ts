/** Sequences and random ids. Sequences live in the store, so they survive restarts and roll back with their transaction. */
import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from './store.js';

export const COUNTERS = '_counters';
/** The owner of records shared by every tenant (sequences, the job table). */
export const GLOBAL = '_';

interface Counter {
  id: string;
  tenantId: string;
  value: number;
}

/** The next number of the named sequence; the first is `start`. */
export function nextSeq(tx: Transaction, name: string, start = 1): number {
  const current = tx.get<Counter>(COUNTERS, GLOBAL, name);
  const value = current ? current.value + 1 : start;
  tx.put<Counter>(COUNTERS, { id: name, tenantId: GLOBAL, value });
  return value;
}

/** Sets a sequence so that its next number is `next` (scenario loading). */
export function setNextSeq(tx: Transaction, name: string, next: number): void {
  tx.put<Counter>(COUNTERS, { id: name, tenantId: GLOBAL, value: next - 1 });
}

/** Raises a sequence so that it never hands out `value` or less (records copied in from a scenario pack). */
export function raiseSeq(tx: Transaction, name: string, value: number): void {
  const current = tx.get<Counter>(COUNTERS, GLOBAL, name);
  if (!current || current.value < value) tx.put<Counter>(COUNTERS, { id: name, tenantId: GLOBAL, value });
}

export function randomHex(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * A random-looking id of `bytes` hex bytes that depends only on the named sequence's next number and the
 * sandbox time: the same requests at the same times give the same ids (scenario packs, snapshots), while
 * ids issued after a reset at another time differ.
 */
export function sequenceHex(tx: Transaction, name: string, now: number, bytes = 16): string {
  return createHash('sha256')
    .update(`${name}:${nextSeq(tx, name)}:${now}`)
    .digest('hex')
    .slice(0, bytes * 2);
}
