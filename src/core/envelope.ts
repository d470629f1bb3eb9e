/**
 * A vendor's envelope from its declaration: the success code, and per canonical error the business
 * code, message and HTTP status. The vendors differ only in field names, in whether `data` is always
 * present (null on failure) or only when there is some, and in whether an error's short detail (which
 * field, which rule) is appended to the message always or only for some codes.
 */
import type { CanonicalCode, SandboxError } from './errors.js';
import type { Envelope } from './vendor.js';

export interface EnvelopeCode {
  code: string | number;
  message: string;
  /** HTTP status (default 200: most vendors answer business errors with 200). */
  status?: number;
  /** Appends the error's detail to the message (with `detail: 'per-code'`). */
  withDetail?: true;
}

export interface EnvelopeSpec {
  codeField: string;
  messageField: string;
  success: { code: string | number; message: string };
  codes: Record<CanonicalCode, EnvelopeCode>;
  /** `always`: `data` on every answer, null on failure; `when-present`: only on a success that has some. */
  data: 'always' | 'when-present';
  /** Whether an error's detail is appended to every message, or only to the codes that say so. */
  detail: 'always' | 'per-code';
}

export function defineEnvelope(spec: EnvelopeSpec): Envelope {
  const { codeField, messageField, success } = spec;
  return {
    codeField,
    ok: (data) =>
      spec.data === 'when-present' && data === undefined
        ? { [codeField]: success.code, [messageField]: success.message }
        : { [codeField]: success.code, [messageField]: success.message, data: data ?? null },
    error: (err: SandboxError) => {
      const code = spec.codes[err.code];
      const message = err.detail && (spec.detail === 'always' || code.withDetail) ? `${code.message}: ${err.detail}` : code.message;
      const body =
        spec.data === 'always' ? { [codeField]: code.code, [messageField]: message, data: null } : { [codeField]: code.code, [messageField]: message };
      return { status: code.status ?? 200, body };
    },
  };
}
