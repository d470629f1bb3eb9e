/** In-process sandboxes for tests: memory store, frozen clock, strict contracts, silent log. */
import request from 'supertest';
import { afterEach, expect } from 'vitest';
import { Contracts } from '../../src/core/contracts.js';
import { REGISTERED, registeredContracts } from './registry.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox.js';

/** 2026-03-01T00:00:00Z: tests start here unless they say otherwise. */
export const T0 = Date.UTC(2026, 2, 1);

const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((sb) => sb.close()));
});

export async function makeSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sb = await createSandbox({ db: ':memory:', strictContracts: true, logLevel: 'silent', frozenAt: T0, ...options });
  open.push(sb);
  return sb;
}

/** Every registered vendor's contracts, the fake one's folder included; loaded on first use (registered.ts imports this file's users). */
let contracts: Contracts | undefined;

/** Fails the test with every problem when `body` does not match the contract `id`. */
export function expectContract(id: string, body: unknown): void {
  contracts ??= registeredContracts(REGISTERED);
  expect(contracts.has(id), `contract ${id} exists`).toBe(true);
  expect(contracts.problems(id, body), `${id}: ${JSON.stringify(body)}`).toEqual([]);
}

export function control(sb: Sandbox) {
  return {
    get: (path: string) => request(sb.app).get(`/__sandbox${path}`),
    post: (path: string, body: unknown = {}) =>
      request(sb.app)
        .post(`/__sandbox${path}`)
        .send(body as object),
    patch: (path: string, body: unknown) =>
      request(sb.app)
        .patch(`/__sandbox${path}`)
        .send(body as object),
    delete: (path: string) => request(sb.app).delete(`/__sandbox${path}`),
    advance: (ms: number) => request(sb.app).post('/__sandbox/clock').send({ advanceMs: ms }).expect(200),
  };
}

/** The whole state as GET /__sandbox/snapshot answers it, byte for byte. */
export async function snapshot(sb: Sandbox): Promise<string> {
  return (await request(sb.app).get('/__sandbox/snapshot').expect(200)).text;
}
