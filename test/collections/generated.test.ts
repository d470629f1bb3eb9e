/**
 * collections/<slug>.postman_collection.json: what `npm run collections` makes of the committed OpenAPI
 * document and the default scenario (generated == committed), a Postman v2.1 collection holding every
 * operation of the document, with the default merchant's credentials as variables rather than in requests.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLLECTED, collectionFile, collectionText, defaultCredentials, operationIds } from '../../src/collections/index.js';
import { committedDocument } from '../../src/openapi/document.js';
import { POSTMAN_SCHEMA, postmanCollection } from '../../src/collections/postman.js';

interface Item {
  name: string;
  request: { url: { raw: string; path: string[] }; header: Array<{ key: string; value: string }>; body: { raw: string } };
  event: Array<{ listen: string; script: { exec: string[] } }>;
}
interface Collection {
  info: { schema: string };
  item: Item[];
  variable: Array<{ key: string; value: string }>;
  event: Array<{ listen: string; script: { exec: string[] } }>;
}

const committed = (slug: string) => readFileSync(collectionFile(slug), 'utf8');
const collectionOf = (slug: string) => JSON.parse(committed(slug)) as Collection;

describe.each(COLLECTED.map((v) => v.slug))('collections/%s.postman_collection.json', (slug) => {
  const vendor = COLLECTED.find((v) => v.slug === slug)!;
  const profile = vendor.postman;

  it('is what `npm run collections` generates from openapi/<slug>.json and the default scenario (run it when this fails)', () => {
    expect(committed(slug)).toBe(collectionText(vendor));
  });

  it('is a Postman v2.1 collection with a request for every operation of the OpenAPI document, at its path', () => {
    const doc = committedDocument(slug)!;
    const collection = collectionOf(slug);
    expect(collection.info.schema).toBe(POSTMAN_SCHEMA);
    const paths = doc.paths as Record<string, Record<string, { operationId: string }>>;
    const expected = Object.entries(paths).flatMap(([path, methods]) => Object.values(methods).map((op) => ({ id: op.operationId, path })));
    expect(expected.map((e) => e.id).sort()).toEqual(operationIds(doc).sort());
    for (const { id, path } of expected) {
      const item = collection.item.find((i) => i.name === id);
      expect(item, `a request for ${id}`).toBeDefined();
      expect(`/${item!.request.url.path.join('/')}`.endsWith(path), `${id} posts to …${path}`).toBe(true);
      expect(item!.request.url.raw.startsWith('{{baseUrl}}/')).toBe(true);
    }
  });

  it("holds the default merchant's credentials as collection variables, and no request spells them out", () => {
    const collection = collectionOf(slug);
    const variables = Object.fromEntries(collection.variable.map((v) => [v.key, v.value]));
    expect(variables.baseUrl).toBe('http://127.0.0.1:4010');
    // The request credentials (a webhook signing secret is the receiver's business, not a request's).
    const secrets = Object.entries(defaultCredentials(slug))
      .filter(([key, value]) => !/webhook/i.test(key) && value.length >= 6)
      .map(([, value]) => value);
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(Object.values(variables), `${secret} is a variable`).toContain(secret);
      const requests = JSON.stringify(collection.item);
      expect(requests.includes(secret), `${secret} appears in no request`).toBe(false);
    }
  });

  it("gives every request a test of the vendor's success answer and of HTTP 200", () => {
    for (const item of collectionOf(slug).item) {
      const test = item.event.find((e) => e.listen === 'test')!.script.exec.join('\n');
      expect(test).toContain('pm.response.to.have.status(200)');
      expect(test).toContain(`pm.response.json().${profile.success.field}).to.eql(${JSON.stringify(profile.success.value)})`);
    }
  });
});

describe('postmanCollection', () => {
  it('refuses a profile that leaves an operation of the document out, or names one the document lacks, naming them', () => {
    const doc = committedDocument('onerway')!;
    const profile = COLLECTED.find((v) => v.slug === 'onerway')!.postman;
    const steps = [...profile.steps.filter((s) => s.operation !== 'deposit'), { operation: 'withdraw' }];
    expect(() => postmanCollection(doc, 'onerway', { ...profile, steps }, { credentials: {}, baseUrl: 'http://127.0.0.1:4010' })).toThrow(
      'onerway collection: steps missing for deposit; steps for no operation: withdraw',
    );
  });
});
