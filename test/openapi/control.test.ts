/** openapi/control-plane.json: the control plane's routes, as the control plane registers them. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { CONTROL_ROUTES, controlDocument } from '../../src/openapi/control.js';
import { redoclyFindings, spectralFindings } from '../helpers/openapi-lint.js';
import { control, makeSandbox } from '../helpers/sandbox.js';

const FILE = resolve(import.meta.dirname, '../../openapi/control-plane.json');

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

describe('the control plane OpenAPI document', () => {
  it('is what `npm run openapi` generates (run it when this fails)', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(`${JSON.stringify(controlDocument(), null, 2)}\n`);
  });

  it('lists exactly the routes the control plane registers', async () => {
    const sb = await makeSandbox();
    const stack = (sb.app as unknown as { router: { stack: Layer[] } }).router.stack;
    const registered = stack
      .flatMap((layer) => layer.handle?.stack ?? [])
      .flatMap((l) => (l.route ? Object.keys(l.route.methods).map((m) => `${m} ${l.route!.path}`) : []));
    expect(registered.length).toBeGreaterThan(20);
    expect(CONTROL_ROUTES.map((r) => `${r.method} ${r.path}`).sort()).toEqual(registered.sort());
  });

  it('is valid OpenAPI 3.1 and lint-clean under Redocly recommended and Spectral oas', async () => {
    const source = readFileSync(FILE, 'utf8');
    const result = await new Validator().validate(JSON.parse(source));
    expect(result.errors ?? []).toEqual([]);
    expect(await redoclyFindings(source, 'openapi/control-plane.json')).toEqual([]);
    expect(await spectralFindings(source, 'openapi/control-plane.json')).toEqual([]);
  });

  it('is served at /__sandbox/openapi/control-plane with this sandbox as its server', async () => {
    const sb = await makeSandbox();
    const { body } = await control(sb).get('/openapi/control-plane').expect(200);
    expect(body.paths['/webhooks/{id}/resend'].post.operationId).toBe('postWebhooksIdResend');
    expect(body.servers[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__sandbox$/);
  });
});
