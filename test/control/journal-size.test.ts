import { expect, it } from 'vitest';
import { RequestTrace } from '../../src/core/journal.js';
import { control } from '../helpers/sandbox.js';
import { describeStores } from '../helpers/stores.js';

const ENTRIES = 50_000;

describeStores('GET /__sandbox/requests of a long journal', (makeSandbox) => {
  it(`lists ${ENTRIES} entries newest first, and the newest few with a limit`, async () => {
    const sb = await makeSandbox({ journalEntries: ENTRIES });
    const journal = sb.runtime.journal;
    for (let i = 0; i < ENTRIES + 10; i++) {
      const req = Object.assign(Object.create(null) as object, {
        id: `req-${i}`,
        method: 'POST',
        originalUrl: '/api/v1/merchant/card/getCardInfo',
        headers: {},
        body: Buffer.from(`{"cardId":${i}}`),
      });
      new RequestTrace(journal, req as never, 'onerway', 'getCardInfo').finish(200, '{"respCode":"20000","respMsg":"success"}');
    }
    const all = (
      await control(sb)
        .get(`/requests?limit=${ENTRIES + 10}`)
        .expect(200)
    ).body.requests as Array<{ id: string; code: string }>;
    expect(all).toHaveLength(ENTRIES);
    expect(all[0]).toMatchObject({ id: `req-${ENTRIES + 9}`, code: '20000' });
    expect(all.at(-1)!.id).toBe('req-10');
    expect((await control(sb).get('/requests?limit=2').expect(200)).body.requests.map((e: { id: string }) => e.id)).toEqual([
      `req-${ENTRIES + 9}`,
      `req-${ENTRIES + 8}`,
    ]);
  }, 60_000);
});
