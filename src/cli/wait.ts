/**
 * `card-sandbox wait`: for CI, after starting the sandbox in the background. Polls GET /__sandbox/health
 * until it answers 200 (exit 0, the health answer printed), or gives up after --timeout (exit 1, with the
 * last reason). Self-contained on global fetch: the health route is open even with an admin token.
 */
import { Option, type Command } from 'commander';
import { SandboxUnreachable } from '../client/index.js';
import { urlOf, type Io } from './client.js';
import { duration } from './parse.js';

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_INTERVAL_MS = 250;
/** One probe never waits longer than this, so that a hung connection does not eat the whole timeout. */
const PROBE_MS = 2_000;

export function registerWait(program: Command, io: Io): void {
  program
    .command('wait')
    .description('wait until the sandbox at --url answers GET /__sandbox/health with 200 (exit 0), or fail after --timeout (exit 1)')
    .addOption(new Option('--timeout <duration>', 'give up after this long: ms or 500ms, 30s, 2m').default(DEFAULT_TIMEOUT_MS, '30s').argParser(duration))
    .addOption(new Option('--interval <duration>', 'pause between attempts').default(DEFAULT_INTERVAL_MS, '250ms').argParser(duration))
    .action(async (o: { timeout: number; interval: number }, cmd: Command) => {
      const health = `${urlOf(cmd, io).replace(/\/+$/, '')}/__sandbox/health`;
      const answer = await waitForHealth(health, o.timeout, o.interval);
      io.stdout(`${JSON.stringify(answer, null, 2)}\n`);
    });
}

/** Resolves with the health answer once it is 200; throws SandboxUnreachable (exit 1) with the last reason after `timeoutMs`. */
async function waitForHealth(url: string, timeoutMs: number, intervalMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let reason = 'no attempt made';
  for (;;) {
    const left = deadline - Date.now();
    const probeMs = Math.max(1, Math.min(PROBE_MS, left));
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(probeMs) });
      const text = await res.text();
      if (res.status === 200) return parse(text);
      reason = `answered ${res.status}: ${text.slice(0, 200) || '(no body)'}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      reason = (error as Error).name === 'TimeoutError' ? `no answer within ${probeMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
    }
    const pause = Math.min(intervalMs, deadline - Date.now());
    if (pause <= 0) throw new SandboxUnreachable(`${url} not healthy after ${timeoutMs} ms: ${reason}`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
