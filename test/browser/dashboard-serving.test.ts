/** How /__sandbox/ui is served: types, the page's policy, the import map's files, the token, unknown files. */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSandbox } from '../helpers/sandbox.js';
import { buildUi } from './dashboard-helpers.js';

beforeAll(() => buildUi());

const importMapOf = (html: string) => /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';

describe('GET /__sandbox/ui', () => {
  it('serves the page as HTML with a policy that allows its own origin only and its import map by hash', async () => {
    const sb = await makeSandbox();
    for (const path of ['/__sandbox/ui', '/__sandbox/ui/']) {
      const res = await request(sb.app).get(path).expect(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      const hash = createHash('sha256').update(importMapOf(res.text)).digest('base64');
      expect(csp).toContain(`script-src 'self' 'sha256-${hash}'`);
    }
  });

  it("serves every file the import map names, and the page's own script and stylesheet, with their types", async () => {
    const sb = await makeSandbox();
    const html = (await request(sb.app).get('/__sandbox/ui').expect(200)).text;
    const imports = Object.values((JSON.parse(importMapOf(html)) as { imports: Record<string, string> }).imports);
    expect(imports).toHaveLength(4);
    for (const path of [...imports, '/__sandbox/ui/main.js', '/__sandbox/ui/views/cards.js']) {
      const res = await request(sb.app).get(path).expect(200);
      expect(res.headers['content-type'], path).toMatch(/^text\/javascript/);
      expect(res.text.length, path).toBeGreaterThan(100);
    }
    const css = await request(sb.app).get('/__sandbox/ui/style.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it.each([
    '/__sandbox/ui/nothing.js',
    '/__sandbox/ui/vendor/react.mjs',
    '/__sandbox/ui/vendor/toString',
    '/__sandbox/ui/%2e%2e/%2e%2e/package.json',
    '/__sandbox/ui/views/',
  ])('answers an unknown file (%s) with the JSON error envelope, not a page', async (path) => {
    const sb = await makeSandbox();
    const res = await request(sb.app).get(path).expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: { code: 'route_not_found', field: null, message: expect.stringContaining('/__sandbox/ui') } });
    expect(res.headers['x-sandbox-diagnostic']).toMatch(/^route_not_found: /);
  });

  it('serves the page and its files without the admin token, while the data behind it needs the token', async () => {
    const sb = await makeSandbox({ adminToken: 'serving-token-0001' });
    await request(sb.app).get('/__sandbox/ui').expect(200);
    await request(sb.app).get('/__sandbox/ui/main.js').expect(200);
    await request(sb.app).get('/__sandbox/ui/vendor/preact.mjs').expect(200);
    await request(sb.app).get('/__sandbox/ui/missing.js').expect(404);
    await request(sb.app).get('/__sandbox/tenants').expect(401);
    await request(sb.app).get('/__sandbox/tenants').set('authorization', 'Bearer serving-token-0001').expect(200);
  });

  it('refuses to change anything through the page path', async () => {
    const sb = await makeSandbox();
    const res = await request(sb.app).post('/__sandbox/ui').send({}).expect(404);
    expect(res.body.error.code).toBe('route_not_found');
  });
});
