/** createSandbox() keeps its store in memory unless it is given a `db`: a test run leaves no file behind. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox.js';

describe('createSandbox() store', () => {
  it('is in memory by default, and each sandbox starts from the scenario', async () => {
    const first = await createSandbox({ logLevel: 'silent' });
    expect(first.runtime.config.db).toBe(':memory:');
    await request(first.app).post('/__sandbox/tenants').send({ vendor: 'onerway' }).expect(201);
    const tenants = async (sb: typeof first) => (await request(sb.app).get('/__sandbox/tenants').expect(200)).body.tenants as unknown[];
    const grown = (await tenants(first)).length;
    await first.close();
    const second = await createSandbox({ logLevel: 'silent' });
    expect((await tenants(second)).length).toBe(grown - 1);
    await second.close();
  });

  it('is the file given as db', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-db-'));
    try {
      const sb = await createSandbox({ db: join(dir, 'sandbox.json'), logLevel: 'silent' });
      expect(sb.runtime.config.db).toBe(join(dir, 'sandbox.json'));
      await sb.close();
      expect(await readdir(dir)).toContain('sandbox.json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
