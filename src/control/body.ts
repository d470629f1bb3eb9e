/** Reading control-plane bodies: each helper answers the value or throws `invalid_param` naming the field. */
import type { Request } from 'express';
import { SandboxError } from '../core/errors.js';

/** The JSON object sent, `{}` when nothing was sent; anything else (an array) is refused. */
export function objectBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined) return {};
  return objectOf(body, 'body');
}

/** Refuses any key of `body` not in `known`, so that a misspelt field is not silently ignored. */
export function onlyFields(body: Record<string, unknown>, known: readonly string[]): void {
  const extra = Object.keys(body).find((k) => !known.includes(k));
  if (extra !== undefined)
    throw new SandboxError('invalid_param', { field: extra, diagnostic: `${extra} is not a field of this call; it takes ${known.join(', ')}` });
}

export function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be a JSON object` });
  return value as Record<string, unknown>;
}

export function integer(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be a non-negative integer (ms)` });
  return value;
}

/** A non-empty string of at most `max` characters, or undefined when absent. */
export function optionalString(value: unknown, field: string, max = 200): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '' || value.length > max)
    throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be a non-empty string of at most ${max} characters` });
  return value;
}

export function url(value: unknown, field: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/.test(value))
    throw new SandboxError('invalid_param', { field, diagnostic: `${field} must be an http(s) URL or null` });
  return value;
}

export function stringMap(value: unknown, field: string): Record<string, string> {
  const entries = Object.entries(objectOf(value, field));
  const bad = entries.find(([, v]) => typeof v !== 'string' || v === '');
  if (bad) throw new SandboxError('invalid_param', { field: `${field}.${bad[0]}`, diagnostic: `${field}.${bad[0]} must be a non-empty string` });
  return Object.fromEntries(entries) as Record<string, string>;
}

export function urlMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [event, u] of Object.entries(objectOf(value, 'webhookUrls'))) {
    const parsed = url(u, `webhookUrls.${event}`);
    if (parsed) out[event] = parsed;
  }
  return out;
}
