/** createSandbox({ vendors }) serves the vendors it is given, with a default scenario built from their seeds. */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { onerway as onerwayModule } from '../../src/vendors/onerway/index.js';
import { onerway } from '../helpers/onerway.js';
import { control, makeSandbox } from '../helpers/sandbox.js';

describe('createSandbox({ vendors })', () => {
  it('serves only the vendors given: their operations, tenants, magic values and outcomes', async () => {
    const sb = await makeSandbox({ vendors: [onerwayModule] });
    expect((await onerway(sb).getCardholder({ cardholderId: 300001 })).body.respCode).toBe('20000');
    const tenants = (await control(sb).get('/tenants').expect(200)).body.tenants as Array<{ vendor: string }>;
    expect(new Set(tenants.map((t) => t.vendor))).toEqual(new Set(['onerway']));
    expect(Object.keys((await control(sb).get('/magic-values').expect(200)).body.vendors)).toEqual(['onerway']);
    expect(Object.keys((await control(sb).get('/outcomes').expect(200)).body.vendors)).toEqual(['onerway']);
    // Another vendor's path is not served.
    const res = await request(sb.app).post('/api/v1/card/balance').send({});
    expect(res.status).toBe(404);
  });
});
