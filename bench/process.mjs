/**
 * The sandbox as a real process (`node dist/main.js`), for the benchmarks that start it the way a user
 * does (bench/startup.mjs, bench/replicas.mjs, bench/scale.mjs): a free port, the spawn and the wait for
 * the first health answer, and the process's CPU time and RSS from /proc (Linux).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './lib.mjs';

export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** CPU time (user + system, every thread) the process has used so far, in ms (Linux /proc, USER_HZ = 100). */
export function procCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').at(-1).trim().split(/\s+/);
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** RSS now and at its peak (VmHWM), in bytes. */
export function procStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1]) * 1024;
    return { rss: kb('VmRSS'), peakRss: kb('VmHWM') };
  } catch {
    return { rss: NaN, peakRss: NaN };
  }
}

/**
 * Spawns `node [nodeArgs] dist/main.js --db <db> --port <free> --log-level warn [args]` and resolves
 * once GET /__sandbox/health answers 200: { child, url, pid, ms (spawn to health), exited, stop() }.
 * `stop()` sends SIGTERM (SIGKILL after `killAfterMs`) and resolves with the exit.
 */
export async function spawnSandbox(db, { nodeArgs = [], args = [], timeoutMs = 30 * 60 * 1000, killAfterMs = 120_000, env } = {}) {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist', 'main.js'), '--db', db, '--port', String(port), '--log-level', 'warn', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: env ?? process.env,
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    if (stderr.length < 20_000) stderr += d;
  });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  let gone;
  exited.then(
    (e) => (gone = e),
    () => {},
  );
  const url = `http://127.0.0.1:${port}`;
  let ms;
  while (ms === undefined) {
    if (gone) throw new Error(`the sandbox exited before answering health (${JSON.stringify(gone)}): ${stderr.slice(0, 2000)}`);
    if (performance.now() - t0 > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`no health answer in ${timeoutMs / 1000} s: ${stderr.slice(0, 2000)}`);
    }
    try {
      const res = await fetch(`${url}/__sandbox/health`, { signal: AbortSignal.timeout(5000) });
      if (res.status === 200) ms = performance.now() - t0;
      await res.arrayBuffer();
    } catch {
      // not listening yet
    }
    if (ms === undefined) await new Promise((r) => setTimeout(r, 10));
  }
  return {
    child,
    url,
    pid: child.pid,
    ms,
    exited,
    stderr: () => stderr,
    async stop() {
      if (gone) return gone;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}
