/** Argument parsers for the CLI: each throws commander's InvalidArgumentError, a usage error (exit 2). */
import { InvalidArgumentError } from 'commander';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `<ms>` or an ISO-8601 date or date-time with its zone (`2026-03-01`, `2026-03-01T09:30:00Z`) → ms since epoch. */
export function instant(value: string): number {
  if (/^\d+$/.test(value)) return safe(Number(value), value);
  const m = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(value);
  if (!m || (value.includes('T') && !m[1]))
    throw new InvalidArgumentError('give ms since the epoch or an ISO-8601 instant with its zone, e.g. 2026-03-01T09:30:00Z');
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < 0) throw new InvalidArgumentError(`${value} is not a valid instant`);
  return ms;
}

/** `<ms>` or a duration such as 15s, 10m, 2h, 1d, 1h30m, 250ms → ms. */
export function duration(value: string): number {
  if (/^\d+$/.test(value)) return safe(Number(value), value);
  if (!/^(\d+(ms|s|m|h|d))+$/.test(value)) throw new InvalidArgumentError('give ms or a duration such as 15s, 10m, 2h, 1d (or 1h30m)');
  let ms = 0;
  for (const [, n, unit] of value.matchAll(/(\d+)(ms|s|m|h|d)/g)) ms += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return safe(ms, value);
}

export function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a non-negative integer');
  return safe(Number(value), value);
}

export function probability(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number from 0 to 1');
  return n;
}

/** `<ms>` or `<min>,<max>` → a latency or a random latency range. */
export function latency(value: string): number | [number, number] {
  const m = /^(\d+)(?:,(\d+))?$/.exec(value);
  if (!m) throw new InvalidArgumentError('give ms, or min,max for a random latency');
  return m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
}

/** A JSON object given on the command line. */
export function jsonObject(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('must be a JSON object');
  return parsed as Record<string, unknown>;
}

function safe(n: number, value: string): number {
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${value} is too large`);
  return n;
}
