import { describe, expect, it } from 'vitest';
import { REGISTERED as VENDORS, registeredContracts } from '../helpers/registered.js';

// Every registered vendor's, the fake one's own folder included.
const contracts = registeredContracts(VENDORS);
const operations = VENDORS.flatMap((v) => v.operations.map((op) => [v.slug, op.name] as const));

describe('contracts', () => {
  it('compile in ajv strict mode with unique $ids', () => {
    expect(new Set(contracts.ids).size).toBe(contracts.ids.length);
    for (const id of contracts.ids) expect(() => contracts.validator(id)).not.toThrow();
  });

  it.each(operations)('%s/%s has a request and a response schema', (slug, name) => {
    expect(contracts.has(`${slug}/${name}.request`)).toBe(true);
    expect(contracts.has(`${slug}/${name}.response`)).toBe(true);
  });

  it.each(VENDORS.map((v) => [v.slug]))('%s has an error envelope schema', (slug) => {
    expect(contracts.has(`${slug}/envelope.error`)).toBe(true);
  });

  it('rejects a response with a field the vendor does not send (additionalProperties: false)', () => {
    const body = { respCode: '20000', respMsg: 'success', data: { cardId: 1, extra: true } };
    expect(contracts.problems('onerway/createCard.response', body)).toEqual([expect.stringMatching(/additional properties/)]);
  });

  it('accepts the seed 002 request examples as written', () => {
    expect(() =>
      contracts.checkRequest('onerway/createCard.request', { clientRequestId: 'REQ_20260101_001', cardholderId: 300001, productId: 1, amount: 100.0 }),
    ).not.toThrow();
    expect(() => contracts.checkRequest('onerway/operate.request', { clientRequestId: 'REQ_20260101_002', cardId: 100001, type: 'FREEZE' })).not.toThrow();
    expect(() => contracts.checkRequest('onerway/deposit.request', { clientRequestId: 'REQ_20260101_003', cardId: 100001, amount: 50.0 })).not.toThrow();
  });
});
