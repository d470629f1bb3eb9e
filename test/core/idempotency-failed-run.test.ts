/**
 * A key's claim whose transaction fails after its work ran (on PostgreSQL: the connection lost at
 * COMMIT) gives the key back: a retry of the same request runs, rather than waiting for ever on a
 * request that will never release it. The store here is the file store with its first transaction's
 * commit refused after the work ran, as a database that went away at COMMIT does.
 */
import { afterEach, expect, it } from 'vitest';
import { Clock } from '../../src/core/clock.js';
import { SandboxError } from '../../src/core/errors.js';
import { Idempotency } from '../../src/core/idempotency.js';
import { FileStore, type Transaction } from '../../src/core/store.js';
import { T0 } from '../helpers/sandbox.js';

class CommitLostOnce extends FileStore {
  lost = 1;

  override run<T>(scope: string, work: (tx: Transaction) => T): Promise<T> {
    if (this.lost === 0) return super.run(scope, work);
    this.lost--;
    return super.run(scope, work).then(() => {
      throw new SandboxError('internal', { diagnostic: 'database unavailable: 57P01 terminating connection due to administrator command' });
    });
  }
}

let store: FileStore | undefined;
afterEach(async () => {
  await store?.close();
});

it('a claim whose transaction failed after taking the key leaves the key free for the retry', async () => {
  const opened = (store = (await CommitLostOnce.open(':memory:')) as CommitLostOnce);
  const idempotency = new Idempotency(opened, new Clock(T0));
  const body = { clientRequestId: 'LOST_AT_COMMIT', cardId: 1, amount: 5 };
  await expect(idempotency.claim('tenant-a', 'LOST_AT_COMMIT', 'clientRequestId', 'deposit', body)).rejects.toThrow(/57P01/);
  const retry = await idempotency.claim('tenant-a', 'LOST_AT_COMMIT', 'clientRequestId', 'deposit', body);
  expect(retry.kind).toBe('run');
  if (retry.kind === 'run') retry.release();
});
