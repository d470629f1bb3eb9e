import { get } from 'node:http';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { describeStores, makeSandbox } from '../helpers/sandbox.js';

const RECORDS = 200_000;

/** One merchant with RECORDS records in one collection, written straight to the store. */
async function bigSandbox() {
  const sb = await makeSandbox();
  const tx = sb.store.begin();
  for (let i = 0; i < RECORDS; i++) tx.put('x.filler', { id: `r${i}`, tenantId: 'onerway-default', n: i });
  await sb.store.commit(tx);
  return sb;
}

describeStores('snapshot-size', () => {
  describe('GET /__sandbox/snapshot of a large store', () => {
    it(`answers a tenant's collection of ${RECORDS} records, as compact JSON in insertion order`, async () => {
      const sb = await bigSandbox();
      const res = await request(sb.app).get('/__sandbox/snapshot').buffer(true).expect(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const pack = JSON.parse(res.text);
      expect(JSON.stringify(pack)).toBe(res.text);
      expect(pack.collections['x.filler']).toHaveLength(RECORDS);
      expect(pack.collections['x.filler'][RECORDS - 1]).toEqual({ id: `r${RECORDS - 1}`, tenantId: 'onerway-default', n: RECORDS - 1 });
    }, 60_000);

    it('is written as the client reads it: health answers while a snapshot waits on a paused client', async () => {
      const sb = await bigSandbox();
      const url = await sb.listen(0, '127.0.0.1');
      const chunks: Buffer[] = [];
      const done = new Promise<string>((resolve, reject) => {
        get(`${url}/__sandbox/snapshot`, (res) => {
          res.once('data', (chunk: Buffer) => {
            chunks.push(chunk);
            res.pause();
            fetch(`${url}/__sandbox/health`)
              .then((health) => {
                expect(health.status).toBe(200);
                expect(res.complete).toBe(false);
                res.on('data', (more: Buffer) => chunks.push(more));
                res.resume();
              })
              .catch(reject);
          });
          res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
          res.once('error', reject);
        }).once('error', reject);
      });
      expect(JSON.parse(await done).collections['x.filler']).toHaveLength(RECORDS);
    }, 60_000);
  });
});
