/**
 * IPC plumbing shared by the benchmark servers. A server is a child process started with
 * child_process.fork; it announces { type: 'ready', url } and then answers the parent's requests
 * ({ type: 'call', id, op, args }) with { type: 'reply', id, result | error }.
 *
 * Every server answers `rss` (process.memoryUsage().rss and the peak RSS), `mark` (starts a
 * measurement window: CPU time, event-loop delay histogram, optional CPU profile) and `measure`
 * (closes the window and returns what was seen), and `close` (shuts down and exits).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';

export function serve(handlers) {
  let window;
  let session;
  const base = {
    rss: () => ({ rss: process.memoryUsage().rss, maxRss: process.resourceUsage().maxRSS * 1024, heapUsed: process.memoryUsage().heapUsed }),
    async mark({ profile } = {}) {
      const loop = monitorEventLoopDelay({ resolution: 10 });
      loop.enable();
      window = { loop, cpu: process.cpuUsage(), at: process.hrtime.bigint(), profile };
      if (profile) {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 200 });
        await session.post('Profiler.start');
      }
      return true;
    },
    async measure() {
      const w = window;
      window = undefined;
      w.loop.disable();
      const wallMs = Number(process.hrtime.bigint() - w.at) / 1e6;
      const cpu = process.cpuUsage(w.cpu);
      let profileFile;
      if (w.profile && session) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(w.profile, JSON.stringify(profile));
        session.disconnect();
        session = undefined;
        profileFile = w.profile;
      }
      return {
        wallMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        loopDelay: {
          p50: w.loop.percentile(50) / 1e6,
          p99: w.loop.percentile(99) / 1e6,
          max: w.loop.max / 1e6,
        },
        profileFile,
      };
    },
    ...handlers,
  };
  process.on('message', async (msg) => {
    if (!msg || msg.type !== 'call') return;
    try {
      const fn = base[msg.op];
      if (!fn) throw new Error(`unknown op ${msg.op}`);
      const result = await fn(msg.args ?? {});
      process.send({ type: 'reply', id: msg.id, result }, () => {
        if (msg.op === 'close') process.exit(0);
      });
    } catch (error) {
      process.send({ type: 'reply', id: msg.id, error: String(error?.stack ?? error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}

export function ready(url, info = {}) {
  process.send({ type: 'ready', url, ...info });
}
