/**
 * The test kit as a consumer imports it from the tarball: `card-sandbox/testing` (a sandbox per file,
 * the typed control-plane client, the contract validators) and `card-sandbox/types/onerway`.
 */
import { expectContract, schemaFor, startSandbox, validate, type StartedSandbox } from 'card-sandbox/testing';
import type { CreateCardRequest, CreateCardResponse } from 'card-sandbox/types/onerway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sb: StartedSandbox;

beforeAll(async () => {
  sb = await startSandbox({ logLevel: 'silent' });
});
afterAll(() => sb.close());

describe('card-sandbox/testing from the tarball', () => {
  it('drives the control plane through the typed client', async () => {
    await sb.client.reset();
    const frozen = await sb.client.freezeClock();
    const advanced = await sb.client.advanceClock(60_000);
    // `ran`: what fell due in that minute (typed as ClockChange).
    expect(advanced).toEqual({ now: frozen.now + 60_000, mode: 'frozen', ran: expect.any(Array) });
  });

  it('finds the contract from the vendor path, and checks a real answer against it', async () => {
    const match = schemaFor('POST', '/api/v1/merchant/card/createCard');
    expect(match).toMatchObject({ vendor: 'onerway', operation: 'createCard' });
    const request: CreateCardRequest = { clientRequestId: 'REQ_KIT_1', cardholderId: 300001, productId: 1, amount: 100 };
    expect(validate('onerway', 'createCard', 'request', request)).toEqual([]);
    const res = await fetch(`${sb.url}/api/v1/merchant/card/createCard`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: 'onerway-test-apikey-0001' },
      body: JSON.stringify(request),
    });
    const answer = (await res.json()) as CreateCardResponse;
    expectContract('onerway', 'createCard', 'response', answer);
    expect(validate('onerway', 'createCard', 'response', { respCode: '20000' }).length).toBeGreaterThan(0);
  });
});
