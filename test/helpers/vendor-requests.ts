/**
 * Any operation of any registered vendor, sent with the vendor's credentials valid, missing, wrong or
 * stale, as raw bytes the caller may have mangled: what the input-bounds tests and the fuzzer need.
 * Credentials come from each vendor's test helper; a vendor registered without an entry here fails the
 * suites that use it (credentialsOf throws) rather than being skipped.
 */
import { AUTHORIZATION, MERCHANT as FINEXT, signedBody, type OperationName } from './finext.js';
import { API_KEY, DEFAULT_TENANT } from './onerway.js';
import { MERCHANT as OPENAPI } from './openapi-cn.js';
import type { Sandbox } from '../../src/sandbox.js';
import type { Operation, VendorModule } from '../../src/core/vendor.js';

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

const JSON_TYPE = { 'content-type': 'application/json' };

const CREDENTIALS: Record<string, VendorCredentials> = {
  onerway: {
    tenant: DEFAULT_TENANT,
    base: '/api/v1/merchant',
    // Onerway has no timestamp: a stale key is a key that was valid once (another merchant's, revoked).
    sign: (_sb, _op, fields, mode) => ({
      headers: mode === 'missing' ? { ...JSON_TYPE } : { ...JSON_TYPE, apikey: mode === 'valid' ? API_KEY : `${API_KEY}-revoked` },
      fields,
    }),
  },
  finext: {
    tenant: FINEXT.tenant,
    base: '/api/v1',
    sign: (sb, op, fields, mode) => {
      const rest = { ...fields };
      for (const k of ['api_key', 'request_id', 'timestamp', 'sign']) delete rest[k];
      if (mode === 'missing') return { headers: { ...JSON_TYPE }, fields: rest };
      const overrides = mode === 'stale' ? { timestamp: String(sb.clock.now() - 10 * 60_000) } : {};
      const body = signedBody(sb, FINEXT, op.name as OperationName, { ...rest, ...overrides });
      if (mode === 'wrong') body.sign = '0'.repeat(32);
      return { headers: { ...JSON_TYPE, authorization: AUTHORIZATION }, fields: body };
    },
  },
  'openapi-cn': {
    tenant: OPENAPI.tenant,
    base: '/v1/openApi',
    sign: (_sb, _op, fields, mode) => {
      const creds = { customer_id: OPENAPI.customer_id, app_id: OPENAPI.app_id, key: mode === 'valid' ? OPENAPI.key : 'f'.repeat(32) };
      return { headers: { ...JSON_TYPE }, fields: mode === 'missing' ? fields : { ...fields, ...creds } };
    },
  },
};

export function credentialsOf(vendor: VendorModule): VendorCredentials {
  const found = CREDENTIALS[vendor.slug];
  if (!found) throw new Error(`no test credentials for vendor ${vendor.slug}: add them to test/helpers/vendor-requests.ts`);
  return found;
}

/** The answer as the fuzzer judges it. */
export interface Answer {
  status: number;
  contentType: string;
  diagnostic: string;
  text: string;
}

/** POSTs raw bytes on a keep-alive connection to a listening sandbox. */
export async function post(url: string, path: string, headers: Record<string, string>, body: Uint8Array | string): Promise<Answer> {
  // Concatenated, not resolved: `//openApi/…` must stay a path, not become a host.
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    diagnostic: res.headers.get('x-sandbox-diagnostic') ?? '',
    text: await res.text(),
  };
}
