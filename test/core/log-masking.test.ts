/** What the sandbox log keeps of URLs: paths, but no query values and no userinfo (they carry tokens). */
import pino from 'pino';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, BASE, SEED_EXAMPLES, onerway } from '../helpers/onerway.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { control, makeSandbox } from '../helpers/sandbox.js';

/** A sandbox logging at debug into `lines`; `next(msg, n)` resolves once `n` lines of that message are in. */
async function logged() {
  const lines: Array<Record<string, any>> = [];
  const waiting: Array<{ msg: string; n: number; resolve: () => void }> = [];
  const count = (msg: string) => lines.filter((l) => l.msg === msg).length;
  const write = (text: string) => {
    lines.push(JSON.parse(text) as Record<string, any>);
    for (const w of waiting.filter((w) => count(w.msg) >= w.n)) w.resolve();
  };
  const sb = await makeSandbox({ logger: pino({ level: 'debug' }, { write }) });
  const next = async (msg: string, n = 1) => {
    if (count(msg) < n) await new Promise<void>((resolve) => waiting.push({ msg, n, resolve }));
    return lines.filter((l) => l.msg === msg)[n - 1];
  };
  return { sb, lines, next };
}

let receiver: Receiver | undefined;
afterEach(() => receiver?.close());

describe('log lines and URLs', () => {
  it('logs each request at debug with its path and query names, the query values masked', async () => {
    const { sb, lines, next } = await logged();
    await request(sb.app).post(`${BASE}/common/regionList?token=query-secret-1&x=2`).set('ApiKey', API_KEY).send({}).expect(200);
    await control(sb).get('/requests?vendor=onerway&limit=1').expect(200);
    await next('request', 2);
    const urls = lines.filter((l) => l.msg === 'request').map((l) => l.url);
    expect(urls).toEqual([`${BASE}/common/regionList?token=****&x=****`, '/__sandbox/requests?vendor=****&limit=****']);
    expect(JSON.stringify(lines)).not.toContain('query-secret-1');
  });

  it("logs a webhook attempt with the URL's query values and userinfo masked", async () => {
    receiver = await startReceiver();
    const { sb, lines, next } = await logged();
    await control(sb)
      .patch('/tenants/onerway-default', { webhookUrl: `${receiver.url}?token=hook-secret-2` })
      .expect(200);
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    const attempt = await next('webhook attempt');
    expect(attempt).toMatchObject({ url: `${receiver.url}?token=****`, status: 200, state: 'delivered' });
    expect(JSON.stringify(lines)).not.toContain('hook-secret-2');
  });

  it('masks the userinfo of a webhook URL in the log', async () => {
    const { sb, lines, next } = await logged();
    await control(sb).patch('/tenants/onerway-default', { webhookUrl: 'http://hook-user:hook-pass-3@127.0.0.1:9/in?sig=abc' }).expect(200);
    await onerway(sb).createCard(SEED_EXAMPLES.createCard);
    expect((await next('webhook attempt')).url).toBe('http://****@127.0.0.1:9/in?sig=****');
    expect(JSON.stringify(lines)).not.toContain('hook-pass-3');
  });
});
