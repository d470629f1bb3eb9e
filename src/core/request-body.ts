/**
 * Reading a vendor request's body: the raw bytes within the vendor's limit, then the JSON object they
 * must hold (media type, nesting depth, UTF-8, syntax), each refusal a SandboxError the pipeline
 * renders in the vendor's envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { SandboxError } from './errors.js';
import { checkJsonDepth } from './json-depth.js';

/** A vendor request as the pipeline sees it: Node's own request, with its id and, once read, its raw body. */
export type VendorRequest = IncomingMessage & { id: string; body?: unknown; originalUrl?: string };

/** Reads a request's body into `req.body` (a Buffer), or rejects with an error toSandboxError maps. */
export type BodyReader = (req: VendorRequest, res: ServerResponse) => Promise<void>;

/** The body reader for a limit: plain bodies streamed here; encoded ones (gzip, deflate, br) through body-parser, which inflates them within it. */
export function bodyReader(limit: number): BodyReader {
  const plain = readPlain(limit);
  const encoded = express.raw({ type: () => true, limit });
  return (req, res) => {
    const encoding = req.headers['content-encoding'];
    const read = encoding && encoding.toLowerCase() !== 'identity' ? encoded : plain;
    return new Promise((resolve, reject) => read(req as never, res as never, (err?: unknown) => (err ? reject(err as Error) : resolve())));
  };
}

/** An HTTP error with a status, as body-parser reports them (toSandboxError reads the status). */
class BodyError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly limit?: number,
  ) {
    super(message);
  }
}

/** Reads an unencoded body into `req.body` (a Buffer), refusing more than `limit` bytes. */
export function readPlain(limit: number) {
  return (req: VendorRequest, _res: ServerResponse, done: (err?: unknown) => void): void => {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
      req.resume();
      return done(new BodyError('request entity too large', 413, limit));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (err?: unknown) => {
      if (finished) return;
      finished = true;
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      done(err);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.resume();
        return finish(new BodyError('request entity too large', 413, limit));
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (declared !== undefined && Number(declared) !== size) return finish(new BodyError('request size did not match content length', 400));
      req.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      finish();
    };
    const onError = (error: Error) => finish(new BodyError(error.message, 400));
    const onAborted = () => finish(new BodyError('request aborted', 400));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  };
}

/** `application/json` (any parameters), on a request that has a body, as Express's `req.is` decides. */
function isJson(req: IncomingMessage): boolean {
  const hasBody = req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length'] ?? NaN));
  const type = req.headers['content-type'];
  return hasBody && type !== undefined && type.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function parseBody(req: VendorRequest): Record<string, unknown> {
  const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (!isJson(req)) {
    throw new SandboxError('unsupported_media_type', { diagnostic: `Content-Type must be application/json, got ${req.headers['content-type'] ?? 'none'}` });
  }
  checkJsonDepth(raw);
  let text: string;
  try {
    // JSON is UTF-8 (RFC 8259): a byte that is not is refused, not silently replaced by U+FFFD.
    text = UTF8.decode(raw);
  } catch {
    throw new SandboxError('malformed_body', { diagnostic: 'body is not valid UTF-8' });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new SandboxError('malformed_body', { diagnostic: `body is not valid JSON: ${(error as Error).message}` });
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SandboxError('malformed_body', { diagnostic: 'body must be a JSON object' });
  }
  return body as Record<string, unknown>;
}
