/** GET /__sandbox/docs: the page and its files, with and without an admin token, and its errors. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { SIGN_FIELDS } from '../../src/vendors/finext/sign.js';
import { makeSandbox } from '../helpers/sandbox.js';

const TOKEN = 'docs-page-admin-token-0123456789';
const ASSETS: Array<[string, RegExp]> = [
  ['swagger-ui-bundle.js', /^(text|application)\/javascript/],
  ['swagger-ui.css', /^text\/css/],
  ['md5.min.js', /^(text|application)\/javascript/],
  ['docs-page.js', /^(text|application)\/javascript/],
  ['docs-page.css', /^text\/css/],
  ['favicon-32x32.png', /^image\/png/],
];

describe('the docs page', () => {
  it('is served at /__sandbox/docs and /__sandbox/docs/ as HTML, a selector holding every vendor and the control plane, under a same-origin policy', async () => {
    const sb = await makeSandbox();
    for (const path of ['/__sandbox/docs', '/__sandbox/docs/']) {
      const res = await request(sb.app).get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
      const options = [...res.text.matchAll(/<option value="([^"]+)">/g)].map((m) => m[1]);
      expect(options).toEqual([...sb.runtime.vendors.map((v) => v.slug), 'control-plane']);
      expect(res.text).toContain('data-admin-token="none"');
      // Every script and style is one of this page's files: nothing from another origin.
      const sources = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(sources.length).toBeGreaterThan(3);
      for (const source of sources) expect(source).toMatch(/^\/__sandbox\/docs\/assets\/[\w.-]+$/);
    }
    const head = await request(sb.app).head('/__sandbox/docs').expect(200);
    expect(head.headers['content-type']).toMatch(/^text\/html/);
  });

  it('serves each of its files with its content type', async () => {
    const sb = await makeSandbox();
    for (const [name, type] of ASSETS) {
      const res = await request(sb.app).get(`/__sandbox/docs/assets/${name}`).expect(200);
      expect(res.headers['content-type'], name).toMatch(type);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('with an admin token: the page and its files answer without it, the documents it loads still need it', async () => {
    const sb = await makeSandbox({ adminToken: TOKEN });
    const page = await request(sb.app).get('/__sandbox/docs').expect(200);
    expect(page.text).toContain('data-admin-token="required"');
    expect(page.text).not.toContain(TOKEN);
    for (const [name] of ASSETS) await request(sb.app).get(`/__sandbox/docs/assets/${name}`).expect(200);
    await request(sb.app).get('/__sandbox/openapi/finext').expect(401);
    await request(sb.app).get('/__sandbox/tenants').expect(401);
    await request(sb.app).get('/__sandbox/openapi/finext').set('Authorization', `Bearer ${TOKEN}`).expect(200);
  });

  it.each([
    ['an unknown file', '/__sandbox/docs/assets/nothing.js'],
    ['a path outside the allowed files', '/__sandbox/docs/assets/..%2Fpackage.json'],
    ['another path under /docs', '/__sandbox/docs/index.html'],
  ])('answers %s with the control plane JSON 404 (not HTML, and not 401 with an admin token)', async (_what, path) => {
    for (const options of [{}, { adminToken: TOKEN }]) {
      const sb = await makeSandbox(options);
      const res = await request(sb.app).get(path).expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ error: { code: 'route_not_found', field: null, message: expect.stringContaining('/__sandbox/docs') } });
      expect(res.headers['x-sandbox-diagnostic']).toMatch(/^route_not_found: no docs page file/);
    }
  });

  it("signs Finext requests by the server's own rule: the page signs over each operation's x-sign-fields, which are src/vendors/finext/sign.ts's", async () => {
    const script = readFileSync(resolve(import.meta.dirname, '../../docs-page/docs-page.js'), 'utf8');
    // No copy of the rule in the page: it reads the fields from the document it shows.
    expect(script).not.toMatch(/SIGN_FIELDS|'finext'/);
    expect(script).toContain("item.post?.['x-sign-fields']");
    const doc = (
      await request((await makeSandbox()).app)
        .get('/__sandbox/openapi/finext')
        .expect(200)
    ).body as {
      paths: Record<string, { post: { 'x-sign-form': keyof typeof SIGN_FIELDS; 'x-sign-fields': string[] } }>;
    };
    const operations = Object.values(doc.paths).map((p) => p.post);
    expect(operations.length).toBeGreaterThan(0);
    for (const op of operations) expect(op['x-sign-fields']).toEqual(SIGN_FIELDS[op['x-sign-form']]);
  });
});
