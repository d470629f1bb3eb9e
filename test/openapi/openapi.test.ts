/**
 * openapi/<slug>.json: generated from the registry and contracts (generated == committed), valid
 * OpenAPI 3.1, every $ref resolving, the schemas accepting the sandbox's own live answers and refusing
 * bad bodies as the contracts do, and served at /__sandbox/openapi.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { openapiText } from '../../src/openapi/document.js';
import { VENDORS } from '../../src/vendors/index.js';
import { LILI12, finext } from '../helpers/finext.js';
import { API_KEY, SEED_EXAMPLES } from '../helpers/onerway.js';
import { openapi } from '../helpers/openapi-cn.js';
import { fakebank } from '../fake-vendor/index.js';
import { redoclyFindings, spectralFindings } from '../helpers/openapi-lint.js';
import { control, makeSandbox } from '../helpers/sandbox.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
const ROOT = resolve(import.meta.dirname, '../..');
const committed = (slug: string) => readFileSync(resolve(ROOT, 'openapi', `${slug}.json`), 'utf8');
type Doc = Record<string, any>;
const docOf = (slug: string): Doc => JSON.parse(committed(slug));
const vendorOf = (slug: string) => VENDORS.find((v) => v.slug === slug)!;

/** The problems of `body` under `schema` (a schema inside `doc`, its $refs resolved in the document). */
function problems(doc: Doc, schema: unknown, body: unknown): unknown[] {
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  const validate = ajv.compile({ $id: 'check', allOf: [schema], components: doc.components });
  return validate(body) ? [] : validate.errors!;
}

const responseSchema = (doc: Doc, path: string, status: number) => doc.paths[path].post.responses[String(status)].content['application/json'].schema;
const requestMediaOf = (doc: Doc, path: string) => doc.paths[path].post.requestBody.content['application/json'];
const requestSchema = (doc: Doc, path: string) => requestMediaOf(doc, path).schema;
const pathOf = (slug: string, name: string) => vendorOf(slug).operations.find((o) => o.name === name)!.path;

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  return out;
}

function resolvePointer(doc: Doc, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, key) => (node === undefined ? undefined : node[key]), doc);
}

describe.each(VENDORS.map((v) => v.slug))('openapi/%s.json', (slug) => {
  it('is what `npm run openapi` generates from the registry and contracts (run it when this fails)', () => {
    expect(committed(slug)).toBe(openapiText(vendorOf(slug)));
  });

  it('is a valid OpenAPI 3.1 document whose every $ref resolves', async () => {
    const result = await new Validator().validate(docOf(slug));
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    const doc = docOf(slug);
    const unresolved = [...new Set(refs(doc))].filter((r) => resolvePointer(doc, r) === undefined);
    expect(unresolved).toEqual([]);
  });

  it("is lint-clean under Redocly's recommended ruleset and Spectral's OpenAPI ruleset (errors and warnings)", async () => {
    expect(await redoclyFindings(committed(slug), `openapi/${slug}.json`)).toEqual([]);
    expect(await spectralFindings(committed(slug), `openapi/${slug}.json`)).toEqual([]);
  });

  it('has a POST per operation with its request and response contracts, the error codes and a webhook per webhook contract', () => {
    const vendor = vendorOf(slug);
    const doc = docOf(slug);
    expect(Object.keys(doc.paths).sort()).toEqual(vendor.operations.map((o) => o.path).sort());
    for (const op of vendor.operations) {
      expect(doc.paths[op.path].post.operationId).toBe(op.name);
      expect(requestSchema(doc, op.path)).toEqual({ $ref: `#/components/schemas/${op.name}.request` });
      for (const example of Object.values<{ value: unknown }>(requestMediaOf(doc, op.path).examples ?? {}))
        expect(problems(doc, requestSchema(doc, op.path), example.value), `${op.name} example`).toEqual([]);
      expect(JSON.stringify(doc.paths[op.path].post.responses['200'])).toContain(`#/components/schemas/${op.name}.response`);
    }
    const webhookFiles = Object.keys(doc.components.schemas).filter((n) => n.startsWith('webhook.'));
    expect(webhookFiles.length).toBeGreaterThan(0);
    expect(Object.keys(doc.webhooks).sort()).toEqual(webhookFiles.map((n) => n.slice('webhook.'.length)).sort());
    expect(doc.info.description).toMatch(/## Authentication[^]*## Errors[^]*## Webhooks/);
    expect(doc.servers.map((s: { url: string }) => s.url)).toContain(`http://127.0.0.1:4010/${slug}${vendor.basePaths[0]!.replace(':version', '{version}')}`);
  });
});

describe('the documents say what each vendor needs', () => {
  it("Onerway: the ApiKey header as its security scheme, 401 with respCode 81000, the docs' request examples", () => {
    const doc = docOf('onerway');
    const examples = requestMediaOf(doc, '/card/createCard').examples;
    expect(Object.values(examples)).toContainEqual({
      summary: 'from docs/vendors/onerway.md',
      value: { clientRequestId: 'REQ_20260101_001', cardholderId: 300001, productId: 1, amount: 100 },
    });
    expect(doc.components.securitySchemes).toEqual({ ApiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'ApiKey' }) });
    expect(doc.security).toEqual([{ ApiKey: [] }]);
    expect(doc.paths['/card/createCard'].post.responses['401'].description).toContain('81000');
    expect(doc.info.description).toContain('| 200 | 80007 |');
  });

  it("Finext: the authorization header, and each operation's MD5 sign form", () => {
    const doc = docOf('finext');
    expect(doc.components.securitySchemes.authorization).toMatchObject({ type: 'apiKey', in: 'header', name: 'authorization' });
    expect(doc.paths['/card/topup'].post['x-sign-form']).toBe('topup');
    expect(doc.paths['/card/topup'].post.description).toContain('MD5(api_key + username + timestamp + secret + request_id + amount)');
    expect(doc.paths['/card/getAllTransactionsOfCards'].post['x-sign-form']).toBe('none');
    expect(doc.info.description).toContain('| 200 | 10401 |');
  });

  it('OPEN-API: credentials in the body, explained, with no header scheme; {version} a server variable', () => {
    const doc = docOf('openapi-cn');
    expect(doc.security).toEqual([]);
    expect(doc.info.description).toMatch(/`customer_id`, `app_id` and `key`/);
    expect(doc.servers[0]).toEqual({ url: 'http://127.0.0.1:4010/{version}/openApi', variables: { version: expect.objectContaining({ default: 'v1' }) } });
    expect(requestSchema(doc, pathOf('openapi-cn', 'holderList'))).toBeDefined();
    expect(doc.components.schemas['holderList.request'].required).toEqual(expect.arrayContaining(['customer_id', 'app_id', 'key']));
  });
});

describe("the documents' schemas against the sandbox's live answers", () => {
  it('Onerway: a created card and a refusal for no key validate; a bad request body does not', async () => {
    const sb = await makeSandbox();
    const doc = docOf('onerway');
    const ok = await request(sb.app).post('/api/v1/merchant/card/createCard').set('ApiKey', API_KEY).send(SEED_EXAMPLES.createCard).expect(200);
    expect(problems(doc, responseSchema(doc, '/card/createCard', 200), ok.body)).toEqual([]);
    const refused = await request(sb.app).post('/api/v1/merchant/card/createCard').send(SEED_EXAMPLES.createCard).expect(401);
    expect(problems(doc, responseSchema(doc, '/card/createCard', 401), refused.body)).toEqual([]);
    expect(problems(doc, requestSchema(doc, '/card/createCard'), SEED_EXAMPLES.createCard)).toEqual([]);
    expect(problems(doc, requestSchema(doc, '/card/createCard'), { ...SEED_EXAMPLES.createCard, amount: -1 })).not.toEqual([]);
    expect(problems(doc, responseSchema(doc, '/card/createCard', 200), { respCode: '20000', respMsg: 'success', data: { cardId: 'x' } })).not.toEqual([]);
  });

  it('Finext: a balance and an unknown account validate', async () => {
    const sb = await makeSandbox();
    const doc = docOf('finext');
    const fx = finext(sb);
    const ok = await fx.call('balance', { username: LILI12.username, kit_number: LILI12.kit_number });
    expect(ok.body.code).toBe(10200);
    expect(problems(doc, responseSchema(doc, pathOf('finext', 'balance'), 200), ok.body)).toEqual([]);
    const missing = await fx.call('getAccountDetails', { username: 'nobody_here' });
    expect(missing.body.code).not.toBe(10200);
    expect(problems(doc, responseSchema(doc, pathOf('finext', 'getAccountDetails'), 200), missing.body)).toEqual([]);
  });

  it('OPEN-API: a holder list validates, and its request without credentials does not', async () => {
    const sb = await makeSandbox();
    const doc = docOf('openapi-cn');
    const path = pathOf('openapi-cn', 'holderList');
    const res = await openapi(sb).call('holderList', path, {});
    expect(res.body.code).toBe(0);
    expect(problems(doc, responseSchema(doc, path, 200), res.body)).toEqual([]);
    expect(problems(doc, requestSchema(doc, path), {})).not.toEqual([]);
  });
});

describe('GET /__sandbox/openapi', () => {
  it('lists a document per vendor and serves each with this sandbox as the server; an unknown vendor is a JSON 404', async () => {
    const sb = await makeSandbox();
    const list = await control(sb).get('/openapi').expect(200);
    expect(list.body.documents.map((d: { vendor: string }) => d.vendor)).toEqual([...VENDORS.map((v) => v.slug), 'control-plane']);
    const served = await request(sb.app).get('/__sandbox/openapi/onerway').set('Host', 'sandbox.test:9999').expect(200);
    expect(served.body.servers[0].url).toBe('http://sandbox.test:9999/api/v1/merchant');
    expect({ ...served.body, servers: undefined }).toEqual({ ...docOf('onerway'), servers: undefined });
    const unknown = await control(sb).get('/openapi/nobank').expect(404);
    expect(unknown.body.error).toMatchObject({ code: 'resource_not_found', field: 'vendor' });
    expect(unknown.headers['x-sandbox-diagnostic']).toMatch(/onerway/);
  });

  it('serves a valid document for a vendor defined outside the package, from its own contracts folder', async () => {
    const sb = await makeSandbox({ vendors: [...VENDORS, fakebank] });
    const { body } = await control(sb).get(`/openapi/${fakebank.slug}`).expect(200);
    const result = await new Validator().validate(body);
    expect(result.errors ?? []).toEqual([]);
    expect(Object.keys(body.paths).sort()).toEqual(fakebank.operations.map((o) => o.path).sort());
    expect(Object.keys(body.webhooks).length).toBeGreaterThan(0);
  });
});
