/**
 * Every request example on the OPEN-API's one surviving page (卡冻结, card/freeze; seed 000), sent as
 * the page prints it against a fresh default scenario after POST /__sandbox/reset. The page gives no
 * timestamps, so the clock stays at the tests' T0. `{{version}}` is Apifox's placeholder: v1 here.
 * The page documents the answer as `{"code":0,"message":"success"}` (响应内容); the `{}` under
 * 返回响应 is Apifox's empty placeholder, not an answer.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox.js';
import { MERCHANT, SECOND, openapi, type Merchant } from '../../helpers/openapi-cn.js';
import { control, expectContract, makeSandbox, describeStores } from '../../helpers/sandbox.js';

const EXAMPLES = [
  {
    name: '请求参数 示例 (customer 10000011, 32-hex card id)',
    merchant: SECOND,
    card: '9790d83fbb935e1d134e03bb505c2de5',
    body: '{\n    "customer_id": 10000011,\n    "app_id": 100001,\n    "key": "ae9ae3f5ad284ef4836de18aa3d41c47",\n    "card_id": "9790d83fbb935e1d134e03bb505c2de5"\n}',
  },
  {
    name: 'Body 参数 示例 (customer 10001004, cid_ card id)',
    merchant: MERCHANT,
    card: 'cid_fBWWMWm8aUUYy3sd',
    body: '{\n    "customer_id": 10001004,\n    "app_id": 100006,\n    "key": "0408ab79eb214e7d81d9fd447b5916a2",\n    "card_id": "cid_fBWWMWm8aUUYy3sd"\n}',
  },
  {
    name: '请求示例代码 curl --data-raw (customer 10001004)',
    merchant: MERCHANT,
    card: 'cid_fBWWMWm8aUUYy3sd',
    body: `{
    "customer_id": 10001004,
    "app_id": 100006,
    "key": "0408ab79eb214e7d81d9fd447b5916a2",
    "card_id": "cid_fBWWMWm8aUUYy3sd"
}`,
  },
];

async function fresh(): Promise<Sandbox> {
  const sb = await makeSandbox();
  await control(sb).post('/reset').expect(200);
  return sb;
}

const status = async (sb: Sandbox, merchant: Merchant, card_id: string) =>
  (await openapi(sb, merchant).ok('cardDetail', '/card/detail', { card_id })).card_status as number;

describeStores('openapi-cn documented-examples', () => {
  describe('openapi-cn documented examples (card/freeze page)', () => {
    it.each(EXAMPLES)('$name answers exactly {"code":0,"message":"success"} and freezes the card', async ({ merchant, card, body }) => {
      const sb = await fresh();
      expect(await status(sb, merchant, card)).toBe(1);
      const res = await request(sb.app).post('/v1/openApi/card/freeze').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"code":0,"message":"success"}');
      expectContract('openapi-cn/cardFreeze.response', res.body);
      expect(await status(sb, merchant, card)).toBe(2);
    });
  });
});
