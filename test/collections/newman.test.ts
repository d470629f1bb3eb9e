/**
 * Each vendor's collection, as GET /__sandbox/collections/<vendor> serves it (its baseUrl the sandbox
 * itself), run with newman against a live sandbox on a real port after a reset to the default scenario:
 * every request answers the vendor's documented success, and Finext's pre-request script really signs
 * (with a wrong secret every request is refused with Finext's 10401 "sign error").
 */
import type { Summary } from 'newman';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COLLECTED } from '../../src/collections/index.js';
import { startSandbox, type StartedSandbox } from '../../src/testing/index.js';
import { failuresOf, runCollection } from './newman-run.js';

let sandbox: StartedSandbox;
beforeAll(async () => {
  // The system clock: Finext's script stamps requests with the real time, checked within ±30 s.
  sandbox = await startSandbox({ logLevel: 'silent', strictContracts: true });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await sandbox.client.reset();
});

interface Collection {
  item: unknown[];
  variable: Array<{ key: string; value: string }>;
}

const served = async (slug: string) => (await sandbox.client.collection(slug)) as unknown as Collection;
const bodyOf = (execution: Summary['run']['executions'][number]) => JSON.parse(execution.response?.stream?.toString() ?? 'null') as Record<string, unknown>;

describe('GET /__sandbox/collections', () => {
  it('lists a collection per vendor, each at its URL, and serves one with this sandbox as baseUrl', async () => {
    const { collections } = await sandbox.client.collections();
    expect(collections.map((c) => c.vendor).sort()).toEqual(COLLECTED.map((v) => v.slug).sort());
    for (const c of collections) expect(c.url).toBe(`${sandbox.url}/__sandbox/collections/${c.vendor}`);
    const onerway = await served('onerway');
    expect(onerway.variable.find((v) => v.key === 'baseUrl')?.value).toBe(sandbox.url);
  });

  it('answers 404 with a diagnostic for a vendor it has no collection of', async () => {
    const res = await fetch(`${sandbox.url}/__sandbox/collections/nobank`);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-sandbox-diagnostic')).toMatch(/^resource_not_found: no collection for nobank; collections are /);
    expect(await res.json()).toMatchObject({ error: { code: 'resource_not_found', field: 'vendor' } });
  });
});

describe.each(COLLECTED.map((v) => v.slug))('the %s collection, run with newman from a fresh reset', (slug) => {
  it('answers every request as documented: zero failed assertions, two or more per request', async () => {
    const collection = await served(slug);
    const summary = await runCollection(collection);
    expect(failuresOf(summary)).toEqual([]);
    expect(summary.run.stats.requests.total).toBe(collection.item.length);
    for (const execution of summary.run.executions) {
      expect(execution.response?.code, execution.item.name).toBe(200);
      expect(execution.assertions?.length ?? 0, execution.item.name).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('the finext collection signs each request in its pre-request script', () => {
  it("with a wrong secret variable, every request is refused with Finext's signature refusal (10401 sign error)", async () => {
    const collection = await served('finext');
    collection.variable = collection.variable.map((v) => (v.key === 'secret' ? { ...v, value: '00000000000000000000000000000000' } : v));
    const summary = await runCollection(collection);
    expect(summary.run.executions).toHaveLength(collection.item.length);
    for (const execution of summary.run.executions) expect(bodyOf(execution), execution.item.name).toEqual({ code: 10401, msg: 'sign error' });
    expect(summary.run.stats.assertions.failed).toBeGreaterThanOrEqual(collection.item.length);
  });
});
