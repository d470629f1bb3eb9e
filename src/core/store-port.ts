/**
 * The store port: what the core asks of a store, so that the file store (store.ts) and a store whose
 * records live elsewhere (PostgreSQL, docs/design/shared-store.md §5.1) can stand behind the same calls.
 *
 * Handlers stay synchronous. A store that does not hold every record in memory gives `run`'s work a
 * transaction over a working set; a read the working set cannot answer throws `Suspend`, and `run` loads
 * the key and runs the work again from the start with a fresh transaction (the suspended run's writes
 * are discarded). So any code on a handler's path that catches errors must let a `Suspend` through
 * (`rethrowSuspend`): swallowing it would commit a run that read a record as missing.
 */
import { SandboxError } from './errors.js';
import { queryKey, type RecordQuery } from './record-query.js';
import type { StoredRecord } from './store-entries.mjs';
import type { Transaction } from './store-transaction.js';

/** A record's address; without `id`, a tenant's whole collection (a `list`), or with `query` a page of it (a `page`). */
/** Which records a scan keeps (StorePort#scan, ReadView#filter). */
export interface ScanFilter {
  /** Whether the record is kept: the filter's meaning. */
  keep: (record: StoredRecord) => boolean;
  /**
   * Pieces of JSON text at least one of which each kept record's text holds (as JSON.stringify writes
   * the record: `valueText`, `fieldText`): a hint that lets a store skip the other records before it
   * reads them (PostgreSQL looks for them in the stored text); `keep` still decides.
   */
  mentions?: readonly string[];
}

type Scalar = string | number | boolean;

/** A value as a record's JSON text holds it, wherever it is (`"card:100001"`), for ScanFilter#mentions. */
export function valueText(value: Scalar): string {
  return JSON.stringify(value);
}

/** A field with its value as a record's JSON text holds them (`"status":"P"`), for ScanFilter#mentions. */
export function fieldText(field: string, value: Scalar): string {
  return `${JSON.stringify(field)}:${JSON.stringify(value)}`;
}

export interface Key {
  collection: string;
  tenantId: string;
  id?: string;
  query?: RecordQuery;
}

/**
 * Thrown by a transaction's read that the working set cannot answer. Deliberately not an `Error`: it is
 * a signal to `run`, never an answer, and code that handles `Error`s should not mistake it for one.
 */
export class Suspend {
  constructor(readonly key: Key) {}

  toString(): string {
    const { collection, tenantId, id, query } = this.key;
    return `Suspend(${collection}/${tenantId}${id === undefined ? '' : `/${id}`}${query === undefined ? '' : ` ${queryKey(query)}`})`;
  }
}

/** For catch sites on a handler's path: a suspension goes on up to `run`; anything else is the caller's. */
export function rethrowSuspend(error: unknown): void {
  if (error instanceof Suspend) throw error;
}

export interface RunOptions {
  /**
   * Records the work is expected to read: a store that loads on demand reads them with its first round
   * trip instead of one trip per miss. A hint only; a store that holds everything ignores it.
   */
  prefetch?: readonly Key[];
  /**
   * The work only reads. A store that serialises writers with locks may run it without taking them, in a
   * consistent snapshot taken once the runs of `scope` queued before it have committed (so that it sees
   * them, and the scope's writers do not wait for it). It must not write: a run that does is refused with
   * the internal error on every store, and nothing of it is kept.
   */
  readOnly?: boolean;
}

/** The refusal of a read-only run that wrote (RunOptions.readOnly), the same on every store. */
export function readOnlyWrote(changes: Iterable<{ c: string }>): SandboxError {
  const collections = [...new Set(Array.from(changes, (c) => c.c))];
  return new SandboxError('internal', {
    diagnostic: `a read-only run wrote ${collections.join(', ') || 'nothing it could name'}: its operation must not be marked readOnly`,
  });
}

/** A page of one collection's records (StorePort#snapshot). */
export interface RecordPage {
  collection: string;
  records: StoredRecord[];
}

export interface StorePort {
  /**
   * Runs `work` in one transaction serialised with every other writer of `scope` (a tenant's id, or
   * GLOBAL), commits its writes and resolves with its result once they are durable. `work` is
   * synchronous and may run more than once (after a `Suspend`); only the last run's writes commit. A
   * `work` that throws commits nothing and `run` rejects with what it threw.
   */
  run<T>(scope: string, work: (tx: Transaction) => T, options?: RunOptions): Promise<T>;
  /** A tenant's records of `collection` (or every tenant's), read outside any transaction, in insertion order. */
  read(collection: string, tenantId?: string): Promise<StoredRecord[]>;
  /** One record by key, outside any transaction. */
  lookup(collection: string, tenantId: string, id: string): Promise<StoredRecord | undefined>;
  /**
   * The tenant's records of `collection` that `filter` keeps, in insertion order, outside any
   * transaction: a store that does not hold its records reads them in pages of one snapshot, so that
   * memory holds a page and what is kept (ReadView#filter).
   */
  scan(collection: string, tenantId: string, filter: ScanFilter): Promise<StoredRecord[]>;
  /** The collections that hold at least one record, in the order of their first record. */
  collections(): Promise<string[]>;
  /** The tenants that hold records of `collection`, in `read`'s order of them. */
  owners(collection: string): Promise<string[]>;
  /**
   * Every record as of one instant (snapshot export): collection by collection in `collections`' order,
   * each in `read`'s order, at most `pageSize` records a page, so that memory does not grow with the store
   * where the store does not hold it. A collection's pages follow each other; every collection has one at least.
   */
  snapshot(pageSize: number): AsyncIterable<RecordPage>;
  /** Why the store refuses changes, or undefined while it is healthy. */
  readonly failure: string | undefined;
  /** Checks that the store can serve now (a store on a server pings it, cached briefly) and answers `failure` as it then stands: the health route's answer. */
  check(): Promise<string | undefined>;
  /** Waits for every acknowledged change to be durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The run / re-run loop of a store with a working set: `begin` gives a fresh transaction, `load` brings
 * a suspended read's key into the working set, and `commit` is called on the transaction of the run that
 * completed, in the same synchronous stretch as that run (nothing interleaves between its reads and its
 * commit). Resolves with the run's result once the commit has.
 */
export async function runToCompletion<T>(
  begin: () => Transaction,
  work: (tx: Transaction) => T,
  load: (key: Key) => void | Promise<void>,
  commit: (tx: Transaction) => Promise<void>,
): Promise<T> {
  for (;;) {
    const tx = begin();
    let result: T;
    try {
      result = work(tx);
    } catch (error) {
      if (!(error instanceof Suspend)) throw error;
      await load(error.key);
      continue;
    }
    await commit(tx);
    return result;
  }
}
