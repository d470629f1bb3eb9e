/// <reference types="vite/client" />
/**
 * The vendors the cross-cutting suites run over (registry.ts: the package's and the tests' fake one),
 * and each vendor's test profile: how a test signs any operation, one request that succeeds for any
 * merchant of the vendor, a card that takes network events, bodies and magic-value drivers. Each vendor's
 * tests bring their profile as a `vendor-profile.ts` (found here by name), so no list of slugs lives in
 * the helpers; a registered vendor without one fails the suites that need it (profileOf throws) rather
 * than being skipped.
 */
import request from 'supertest';
import type { Operation, VendorModule } from '../../src/core/vendor.js';
import type { Sandbox } from '../../src/sandbox.js';

export { REGISTERED, registeredContracts } from './registry.js';

export type CredentialMode = 'valid' | 'missing' | 'wrong' | 'stale';

export interface Signed {
  headers: Record<string, string>;
  fields: Record<string, unknown>;
}

export interface VendorCredentials {
  /** The merchant the credentials are of. */
  tenant: string;
  /** The base path requests are sent under (a concrete one, parameters filled in). */
  base: string;
  /** `fields` with the credentials put where the vendor reads them. */
  sign(sb: Sandbox, op: Operation, fields: Record<string, unknown>, mode: CredentialMode): Signed;
}

export interface VendorProfile {
  slug: string;
  /** The default merchant's credentials, valid or broken on purpose. */
  credentials: VendorCredentials;
  /** `fields` signed with any merchant's credentials, as GET /__sandbox/tenants lists them. */
  signAs(sb: Sandbox, op: Operation, fields: Record<string, unknown>, credentials: Record<string, string>): Signed;
  /** An operation that succeeds for any merchant holding a copy of the default scenario, with its fields. */
  probe: { operation: string; fields: Record<string, unknown> };
  /** A card of the default merchant that takes a network authorization (from the default scenario, or made through the API). */
  activeCard(sb: Sandbox): Promise<string>;
  /** For each operation with an idempotency key: fields (credentials left out) that pass its request contract. */
  keyedBodies: Record<string, () => Record<string, unknown>>;
  /**
   * Drivers for its magic values, keyed `<operation> <field> <value>`: each sends the value through the
   * vendor's API and answers the outcome it saw, in the words the declaration uses (test/control/magic-values.test.ts).
   */
  magicDrivers?: Record<string, (sb: Sandbox, entry: { value: string }) => Promise<string>>;
}

const found = import.meta.glob<{ profile: VendorProfile }>('../**/vendor-profile.ts', { eager: true });
const PROFILES = new Map(Object.values(found).map(({ profile }) => [profile.slug, profile]));

export function profileOf(vendor: VendorModule): VendorProfile {
  const profile = PROFILES.get(vendor.slug);
  if (!profile) throw new Error(`no test profile for vendor ${vendor.slug}: add a vendor-profile.ts beside its tests`);
  return profile;
}

export const JSON_TYPE = { 'content-type': 'application/json' } as const;

export function operationOf(vendor: VendorModule, name: string): Operation {
  const op = vendor.operations.find((o) => o.name === name);
  if (!op) throw new Error(`${vendor.slug} has no operation ${name}`);
  return op;
}

/** Sends `operation` with the default merchant's credentials, or with `credentials` of another merchant. */
export function send(sb: Sandbox, vendor: VendorModule, operation: string, fields: Record<string, unknown>, credentials?: Record<string, string>) {
  const profile = profileOf(vendor);
  const op = operationOf(vendor, operation);
  const signed = credentials ? profile.signAs(sb, op, fields, credentials) : profile.credentials.sign(sb, op, fields, 'valid');
  return request(sb.app).post(`${profile.credentials.base}${op.path}`).set(signed.headers).send(signed.fields);
}
