/**
 * Three real sandbox processes on one database, the database restarted under a write storm through all
 * three: every replica stays up, answers Onerway's internal error with the database's diagnostic while
 * it is away and health 503, recovers by itself, and no acknowledged deposit is lost. The cluster is the
 * suite's own (test/helpers/pg-cluster.ts): stopping the shared one would break the suites beside it.
 */
import { expect, it } from 'vitest';
import { depositStorm, onerwayAt } from '../helpers/deposit-storm.js';
import { describeOwnCluster } from '../helpers/pg-cluster.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { startCli, type RunningSandbox } from '../helpers/process.js';

const post = (replica: RunningSandbox, path: string, body: object) => onerwayAt(replica.url, path, body);
const health = async (replica: RunningSandbox) => (await fetch(`${replica.url}/__sandbox/health`)).status;

describeOwnCluster('three replicas while their database restarts', 55420, (cluster) => {
  it('stay up, refuse with the internal error meanwhile, recover by themselves, and lose no acknowledged deposit', async () => {
    const db = await createTestDatabase(cluster().url);
    const replicas: RunningSandbox[] = [];
    try {
      replicas.push(await startCli(['--db', db.url, '--db-connect-timeout', '1s']));
      replicas.push(...(await Promise.all([1, 2].map(() => startCli(['--db', db.url, '--db-connect-timeout', '1s'])))));
      const created = await post(replicas[0]!, '/card/createCard', { clientRequestId: 'RESTART_CARD', cardholderId: 300001, productId: 1, amount: 100 });
      expect(created.body.respCode).toBe('20000');
      const cardId = created.body.data.cardId as number;

      // Six clients, two per replica, each deposit 1.00 with a key of its own.
      const storm = depositStorm(
        replicas.flatMap((r) => [r.url, r.url]),
        cardId,
        'RESTART',
      );
      const { acknowledged, refused, unexpected } = storm;
      try {
        await expect.poll(() => acknowledged.length, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(30);
        await cluster().pause();
        try {
          await expect.poll(() => refused.length, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(30);
          for (const r of replicas) expect(await health(r)).toBe(503);
        } finally {
          await cluster().resume();
        }
        for (const r of replicas) await expect.poll(() => health(r), { timeout: 30_000, interval: 100 }).toBe(200);
        const back = acknowledged.length;
        await expect.poll(() => acknowledged.length, { timeout: 30_000, interval: 10 }).toBeGreaterThanOrEqual(back + 30);
      } finally {
        await storm.stop();
      }
      expect(unexpected).toEqual([]);
      for (const r of replicas) expect([r.child.exitCode, r.child.signalCode]).toEqual([null, null]);

      const balance = async (r: RunningSandbox) => (await post(r, '/card/getCardBalance', { cardId })).body.data.balance as number;
      const after = await balance(replicas[1]!);
      expect(after).toBeGreaterThanOrEqual(100 + acknowledged.length);
      expect(after).toBeLessThanOrEqual(100 + acknowledged.length + refused.length);
      // Each refused deposit sent again with its key, to another replica: done now, or replayed if it had been done; none twice.
      for (const [i, key] of refused.entries()) {
        expect((await post(replicas[i % 3]!, '/card/deposit', { clientRequestId: key, cardId, amount: 1 })).body.respCode, key).toBe('20000');
      }
      for (const r of replicas) expect(await balance(r)).toBe(100 + acknowledged.length + refused.length);
    } finally {
      for (const r of replicas) r.child.kill('SIGTERM');
      await Promise.all(replicas.map((r) => r.exited));
      await db.drop();
    }
  }, 150_000);
});
