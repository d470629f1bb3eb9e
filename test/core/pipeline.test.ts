/**
 * The request pipeline reads as its steps, in the order DESIGN.md gives them, and a step that throws
 * anything at all is answered in the vendor's own envelope.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { STEPS } from '../../src/core/pipeline.js';
import { API_KEY, BASE } from '../helpers/onerway.js';
import { makeSandbox } from '../helpers/sandbox.js';

describe('the vendor request pipeline', () => {
  it('is these named steps, in this order', () => {
    expect(STEPS.map((s) => s.name)).toEqual([
      'route',
      'read body',
      'sync shared state',
      'faults before authentication',
      'parse body',
      'authenticate',
      'tenant faults',
      'validate request',
      'run due jobs',
      'claim nonce',
      'claim idempotency key',
      'handle in a transaction',
      'commit',
      'faults after commit',
      'send',
    ]);
  });

  it('answers an unexpected failure in any step in the vendor envelope, with a diagnostic, and goes on serving', async () => {
    const sb = await makeSandbox();
    const step = STEPS.find((s) => s.name === 'validate request')!;
    const original = step.run;
    (step as { run: typeof original }).run = () => {
      throw new TypeError('boom');
    };
    try {
      const res = await request(sb.app).post(`${BASE}/common/regionList`).set('ApiKey', API_KEY).send({});
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ respCode: '80000', respMsg: expect.any(String), data: null });
      expect(res.headers['x-sandbox-diagnostic']).toMatch(/^internal: unexpected error \(request [\w-]+\); see the sandbox log$/);
    } finally {
      (step as { run: typeof original }).run = original;
    }
    expect((await request(sb.app).post(`${BASE}/common/regionList`).set('ApiKey', API_KEY).send({})).body.respCode).toBe('20000');
  });
});
