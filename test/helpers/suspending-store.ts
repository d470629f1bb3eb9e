/**
 * A test double of the store port that behaves as a store with a working set does (docs/design/
 * shared-store.md §4 C): the first read of each key inside `run` throws `Suspend`, `run` "loads" the key
 * and runs the work again from the start with a fresh transaction, and only the run that completes
 * commits. Records live in the file store it extends (in memory), so answers and state can be compared
 * with a sandbox on a plain file store.
 */
import { FileStore, Transaction, type StoredRecord } from '../../src/core/store.js';
import { runToCompletion, Suspend, type Key } from '../../src/core/store-port.js';

function name(key: Key): string {
  return `${key.collection}\u0000${key.tenantId}\u0000${key.id ?? '*'}`;
}

export class SuspendingStore extends FileStore {
  /** Keys read at least once (a suspension each), in the order they were first read. */
  readonly loaded = new Set<string>();
  /** Runs begun, suspended or not. */
  runs = 0;
  suspensions = 0;

  static async create(): Promise<SuspendingStore> {
    return (await SuspendingStore.open(':memory:')) as SuspendingStore;
  }

  override run<T>(_scope: string, work: (tx: Transaction) => T): Promise<T> {
    const need = (key: Key): void => {
      if (this.loaded.has(name(key))) return;
      this.suspensions++;
      throw new Suspend(key);
    };
    const workingSet = {
      get: (collection: string, tenantId: string, id: string): StoredRecord | undefined => {
        need({ collection, tenantId, id });
        return this.get(collection, tenantId, id);
      },
      list: (collection: string, tenantId: string): StoredRecord[] => {
        need({ collection, tenantId });
        return this.list(collection, tenantId);
      },
    };
    return runToCompletion(
      () => {
        this.runs++;
        return new Transaction(workingSet);
      },
      work,
      (key) => void this.loaded.add(name(key)),
      (tx) => this.commit(tx),
    );
  }
}
