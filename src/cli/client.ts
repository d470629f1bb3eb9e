/**
 * The CLI's HTTP side: one control-plane call with global fetch, the admin token as a bearer, and the
 * answer printed as JSON. A refusal (4xx/5xx) or an unreachable sandbox is a `Refused` (exit 1) with the
 * server's own message.
 */
import type { Command } from 'commander';

export const DEFAULT_URL = 'http://127.0.0.1:4010';

export interface Io {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The server refused, or could not be reached: exit 1. */
export class Refused extends Error {}

/** The command line was wrong: exit 2. */
export class UsageError extends Error {}

export interface Answer {
  status: number;
  text: string;
  json: unknown;
}

export class Client {
  readonly base: string;
  readonly #token: string | undefined;

  constructor(base: string, token: string | undefined) {
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(base)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(base)}`);
    this.base = base.replace(/\/+$/, '');
    this.#token = token || undefined;
  }

  /** The client for a command: --url/--token, else SANDBOX_URL/SANDBOX_ADMIN_TOKEN, else the default URL. */
  static of(command: Command, io: Io): Client {
    const { url, token } = command.optsWithGlobals<{ url?: string; token?: string }>();
    return new Client(url ?? (io.env.SANDBOX_URL || DEFAULT_URL), token ?? io.env.SANDBOX_ADMIN_TOKEN);
  }

  /** Calls `<method> /__sandbox<path>`; `body` is JSON (or raw JSON text, sent as is). Throws Refused unless 2xx. */
  async call(method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const url = `${this.base}/__sandbox${path}`;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Refused(`cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) throw new Refused(refusal(method, path, res.status, json, text));
    return { status: res.status, text, json };
  }
}

function refusal(method: string, path: string, status: number, json: unknown, text: string): string {
  const error = (json as { error?: { code?: string; field?: string | null; message?: string } } | undefined)?.error;
  if (!error) return `${method} /__sandbox${path} answered ${status}: ${text.slice(0, 500) || '(no body)'}`;
  return `${error.message ?? error.code} (${status} ${error.code}${error.field ? `, field ${error.field}` : ''})`;
}

/** Prints a JSON answer, two-space indented. */
export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Calls the control plane with the command's --url and --token, and prints the JSON answer. */
export async function show(io: Io, cmd: Command, method: string, path: string, body?: unknown): Promise<void> {
  printJson(io, (await Client.of(cmd, io).call(method, path, body)).json);
}

/** A query string of the given parameters, leaving out those not set. */
export function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}
