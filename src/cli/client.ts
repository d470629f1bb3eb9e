/**
 * The CLI's side of the control-plane client (src/client): the client a command's --url/--token name,
 * and the answer printed as JSON. A refusal (ControlPlaneError) or an unreachable sandbox
 * (SandboxUnreachable) exits 1 with the server's own message.
 */
import type { Command } from 'commander';
import { SandboxClient } from '../client/index.js';

export const DEFAULT_URL = 'http://127.0.0.1:4010';

export interface Io {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The command line was wrong: exit 2. */
export class UsageError extends Error {}

/** The client for a command: --url/--token, else SANDBOX_URL/SANDBOX_ADMIN_TOKEN, else the default URL. */
export function clientOf(command: Command, io: Io): SandboxClient {
  const { token } = command.optsWithGlobals<{ token?: string }>();
  return new SandboxClient({ url: urlOf(command, io), token: token ?? io.env.SANDBOX_ADMIN_TOKEN });
}

/** The sandbox's URL for a command: --url, else SANDBOX_URL, else the default; anything but http(s) is a usage error. */
export function urlOf(command: Command, io: Io): string {
  const { url } = command.optsWithGlobals<{ url?: string }>();
  const base = url ?? (io.env.SANDBOX_URL || DEFAULT_URL);
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(base)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(base)}`);
  return base;
}

/** Prints a JSON answer, two-space indented. */
export function printJson(io: Io, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Runs `call` with the command's client and prints its answer. */
export async function show(io: Io, cmd: Command, call: (client: SandboxClient) => Promise<unknown>): Promise<void> {
  printJson(io, await call(clientOf(cmd, io)));
}
