/**
 * A keyed request whose transaction fails after its work ran (on PostgreSQL: the connection lost at
 * COMMIT) gives its key back: the client's retry of the same request runs, rather than waiting for
 * ever on a request that will never release the key. The store here is the file store with one
 * transaction's commit refused after the work ran, as a database that went away at COMMIT does.
 */
import { expect, it } from 'vitest';
import { SandboxError } from '../../src/core/errors.js';
import { FileStore, type Transaction } from '../../src/core/store.js';
import type { RunOptions } from '../../src/core/store-port.js';
import { onerway } from '../helpers/onerway.js';
import { makeSandbox } from '../helpers/sandbox.js';

class CommitLost extends FileStore {
  /** Transactions still to refuse after their work ran (armed by the test). */
  lose = 0;

  override run<T>(scope: string, work: (tx: Transaction) => T, options?: RunOptions): Promise<T> {
    if (this.lose === 0) return super.run(scope, work, options);
    this.lose--;
    return super.run(scope, work, options).then(() => {
      throw new SandboxError('internal', { diagnostic: 'database unavailable: 57P01 terminating connection due to administrator command' });
    });
  }
}

it('a keyed request whose transaction failed after its work ran leaves the key free for the retry', async () => {
  const store = (await CommitLost.open(':memory:')) as CommitLost;
  const sb = await makeSandbox({ store });
  const api = onerway(sb);
  const cardId = await api.activeCard();
  const body = { clientRequestId: 'LOST_AT_COMMIT', cardId, amount: 5 };
  store.lose = 1;
  const lost = await api.deposit(body);
  expect(lost.body.respCode).toBe('80000');
  expect(lost.headers['x-sandbox-diagnostic']).toMatch(/57P01/);
  // The retry runs (here the refused commit had applied in memory, so it finds the first answer and replays it).
  const retry = await api.deposit(body);
  expect(retry.body.respCode).toBe('20000');
});
