/**
 * Any operation of any registered vendor, sent with the vendor's credentials valid, missing, wrong or
 * stale, as raw bytes the caller may have mangled: what the input-bounds tests and the fuzzer need.
 * Credentials come from each vendor's test profile (registered.ts); a vendor registered without one
 * fails the suites that use it (credentialsOf throws) rather than being skipped.
 */
import type { VendorModule } from '../../src/core/vendor.js';
import { profileOf, type VendorCredentials } from './registered.js';

export type { CredentialMode, Signed, VendorCredentials } from './registered.js';

export function credentialsOf(vendor: VendorModule): VendorCredentials {
  return profileOf(vendor).credentials;
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
