/**
 * Store-dependent suites run on every store (docs/design/shared-store.md §8): the same tests against a
 * sandbox on the file store (in memory) and on PostgreSQL, where each sandbox gets a database of its own
 * (dropped after the test), so that tests see no other test's records or journal. The PostgreSQL half is
 * skipped, with its reason, where no server is configured (test/helpers/postgres.ts).
 */
import { afterEach, describe } from 'vitest';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox.js';
import { createTestDatabase, describePostgres, POSTGRES_URL, type TestDatabase } from './postgres.js';
import { makeSandbox, T0 } from './sandbox.js';

export type MakeSandbox = (options?: SandboxOptions) => Promise<Sandbox>;

/** `body` twice: on the file store, then on PostgreSQL; `make` is makeSandbox's counterpart on that store. */
export function describeStores(name: string, body: (make: MakeSandbox, store: 'file' | 'PostgreSQL') => void): void {
  describe(`${name} (file store)`, () => body(makeSandbox, 'file'));
  describePostgres(`${name} (PostgreSQL store)`, () => {
    const opened: Array<{ sb?: Sandbox; db: TestDatabase }> = [];
    afterEach(async () => {
      for (const { sb, db } of opened.splice(0)) {
        await sb?.close();
        await db.drop();
      }
    });
    body(async (options = {}) => {
      const db = await createTestDatabase(POSTGRES_URL!);
      const entry: { sb?: Sandbox; db: TestDatabase } = { db };
      opened.push(entry);
      entry.sb = await createSandbox({ strictContracts: true, logLevel: 'silent', frozenAt: T0, ...options, db: db.url });
      return entry.sb;
    }, 'PostgreSQL');
  });
}
