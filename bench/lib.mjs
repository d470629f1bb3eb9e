/**
 * What the benchmarks share (bench/run.mjs, and the footprint ones: bench/memory.mjs, bench/startup.mjs,
 * bench/soak.mjs): a server child over IPC, Onerway calls, deposits under autocannon, the machine and how
 * busy it is, the store's files on disk, and the saved footprint figures (bench/results/<bench>.json, one
 * column per BENCH_LABEL) that bench/footprint-report.mjs renders.
 */
import { execSync, fork } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const API_KEY = 'onerway-test-apikey-0001';
export const TENANT = 'onerway-default';
export const DEPOSIT_PATH = '/api/v1/merchant/card/deposit';
/** What every benchmark deposit carries, as written in its JSON body. */
export const DEPOSIT_AMOUNT = '10.00';
/** 10.00 + 1 % fee, in minor units: what one deposit takes from the merchant balance. */
export const DEPOSIT_COST_MINOR = 1010;
/** The default scenario's merchant balance covers about 99,000 deposits. */
export const DEFAULT_MERCHANT_BALANCE_MINOR = 100_000_000;

export const LABEL = process.env.BENCH_LABEL || 'before';

/** BENCH_SANDBOX_CONFIG: JSON merged into createSandbox's options for the footprint runs (e.g. retention periods). */
export function sandboxConfig() {
  const raw = process.env.BENCH_SANDBOX_CONFIG;
  if (!raw) return {};
  const config = JSON.parse(raw);
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new Error('BENCH_SANDBOX_CONFIG must be a JSON object');
  return config;
}

export function num(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
  return n;
}

export function numList(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return raw.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a comma list of positive integers, got ${JSON.stringify(raw)}`);
    return n;
  });
}

/**
 * Forks bench/servers/<script> (with --expose-gc unless `gc` is false, and the node options in
 * BENCH_CHILD_ARGS), waits for its URL; `call(op, args)` is a request/reply over IPC.
 */
export function startServer(script, options = {}, { gc = true } = {}) {
  const childArgs = process.env.BENCH_CHILD_ARGS ? process.env.BENCH_CHILD_ARGS.split(/\s+/).filter(Boolean) : [];
  return new Promise((resolvePromise, reject) => {
    const child = fork(join(ROOT, 'bench', 'servers', script), [], {
      execArgv: [...(gc ? ['--expose-gc'] : []), ...childArgs],
      cwd: ROOT,
      env: { ...process.env, BENCH_SANDBOX_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const pending = new Map();
    let nextId = 0;
    let exited = false;
    const call = (op, args) =>
      new Promise((res, rej) => {
        if (exited) return rej(new Error(`${script} has exited`));
        const id = ++nextId;
        pending.set(id, { res, rej, op });
        child.send({ type: 'call', id, op, args });
      });
    child.on('message', (msg) => {
      if (msg?.type === 'ready') resolvePromise({ child, url: msg.url, call });
      else if (msg?.type === 'reply') {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.error) p.rej(new Error(`${script} ${p.op}: ${msg.error}`));
        else p.res(msg.result);
      }
    });
    child.on('exit', (code, signal) => {
      exited = true;
      const error = new Error(`${script} exited (code ${code}, signal ${signal})`);
      for (const p of pending.values()) p.rej(error);
      pending.clear();
      reject(error);
    });
    child.on('error', reject);
  });
}

export async function stopServer(server) {
  const exited = new Promise((r) => (server.child.exitCode !== null ? r() : server.child.once('exit', r)));
  try {
    await server.call('close');
  } catch {
    // already gone
  }
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 60_000);
  await exited;
  clearTimeout(timer);
}

export async function request(url, path, body, headers = {}) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json(), diagnostic: res.headers.get('x-sandbox-diagnostic') ?? undefined };
}

export async function onerway(url, path, body) {
  const { status, json } = await request(url, `/api/v1/merchant${path}`, body, { ApiKey: API_KEY });
  if (status !== 200 || json.respCode !== '20000') throw new Error(`${path} answered ${status} ${JSON.stringify(json)}`);
  return json.data;
}

/** `count` cards (createCard, product 1), five per cardholder: 300001 first, then new cardholders. */
export async function createCards(url, tag, count) {
  const ids = [];
  let holder = 300001;
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % 5 === 0) {
      holder = (
        await onerway(url, '/cardholder/createCardholder', {
          clientRequestId: `BENCH_HOLDER_${tag}_${i}`,
          firstName: 'Bench',
          lastName: `Holder${i}`,
          email: `bench.${tag}.${i}@example.com`,
          mobileAreaCode: '+1',
          mobile: String(2025550000 + i),
          regionCode: 'US',
          address: '1 Bench Street',
        })
      ).cardholderId;
    }
    ids.push(
      (await onerway(url, '/card/createCard', { clientRequestId: `BENCH_CREATE_${tag}_${i}`, cardholderId: holder, productId: 1, amount: 100.0 })).cardId,
    );
  }
  return ids;
}

/**
 * Deposits of 10.00 round-robin over `cardIds`, each with a new clientRequestId `BENCH_<tag>_<n>`:
 * `amount` of them, or for `seconds`; `rate` caps the requests per second (autocannon overallRate).
 * Every answer is checked (onResponse; a prefix test, so the check costs the load generator almost
 * nothing): `check.ok` counts the 2xx answers whose body starts with respCode 20000, as they come (into
 * `progress`), `check.bad` the other 2xx answers, `check.non2xx` the rest. Returns autocannon's result too.
 */
export async function depositLoad(url, { cardIds, tag, amount, seconds, rate, connections = 10, progress = {} }) {
  let seq = 0;
  const check = Object.assign(progress, { ok: 0, bad: 0, non2xx: 0, sample: undefined });
  const result = await autocannon({
    url,
    connections,
    pipelining: 1,
    ...(amount ? { amount } : { duration: seconds }),
    ...(rate ? { overallRate: rate } : {}),
    method: 'POST',
    headers: { 'content-type': 'application/json', apikey: API_KEY },
    requests: [
      {
        method: 'POST',
        path: DEPOSIT_PATH,
        setupRequest(req) {
          ++seq;
          req.body = `{"clientRequestId":"BENCH_${tag}_${seq}","cardId":${cardIds[seq % cardIds.length]},"amount":${DEPOSIT_AMOUNT}}`;
          return req;
        },
        onResponse(status, body) {
          const is2xx = status >= 200 && status < 300;
          if (is2xx && typeof body === 'string' && body.startsWith('{"respCode":"20000"')) {
            check.ok++;
            return;
          }
          if (is2xx) check.bad++;
          else check.non2xx++;
          check.sample ??= `${status} ${String(body).slice(0, 300)}`;
        },
      },
    ],
  });
  return { result, check, sent: seq };
}

/** depositLoad, summed up: `bad` is every answer other than 20000, plus socket errors and timeouts. */
export async function deposits(url, options) {
  const { result, check, sent } = await depositLoad(url, options);
  return {
    ok: check.ok,
    bad: check.bad + check.non2xx + result.errors + result.timeouts,
    sample: check.sample,
    sent,
    reqPerSec: result.requests.mean,
    p99: result.latency.p99,
    durationS: result.duration,
  };
}

/**
 * Sizes of the store's files under `dir` (a folder holding one store): log segments (a name with .wal or
 * .log), the lock (not counted), and the rest (the snapshot, and whatever a compaction is writing).
 */
export function storeFiles(dir) {
  const out = { snapshotBytes: 0, logBytes: 0, logSegments: 0, totalBytes: 0, files: {} };
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      if (/\.lock$/.test(entry.name)) continue;
      let size;
      try {
        size = statSync(path).size;
      } catch {
        continue; // removed meanwhile (a compaction dropping a segment)
      }
      out.files[path.slice(dir.length + 1)] = size;
      out.totalBytes += size;
      if (/\.(wal|log)\b/.test(entry.name)) {
        out.logBytes += size;
        out.logSegments++;
      } else out.snapshotBytes += size;
    }
  };
  walk(dir);
  return out;
}

/**
 * Samples the store's files every `everyMs` while a load runs: every log segment's largest size (their
 * sum is the log written, whatever the compactions dropped meanwhile) and the largest total on disk.
 */
export function watchFiles(dir, everyMs = 100) {
  const segments = new Map();
  let peakBytes = 0;
  const sample = () => {
    const f = storeFiles(dir);
    peakBytes = Math.max(peakBytes, f.totalBytes);
    for (const [name, size] of Object.entries(f.files)) if (/\.(wal|log)\b/.test(name)) segments.set(name, Math.max(segments.get(name) ?? 0, size));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakBytes, logSegmentsSeen: segments.size, logWrittenBytes: [...segments.values()].reduce((a, b) => a + b, 0) };
    },
  };
}

/** The output of a git command run at the package root, or '' when it fails. */
export function git(cmd) {
  try {
    return execSync(cmd, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trimEnd();
  } catch {
    return '';
  }
}

/** The files under src/ with uncommitted changes. */
export function srcChanges() {
  return git('git status --porcelain -- src')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
}

export function machine() {
  const dirty = srcChanges().length > 0;
  return {
    date: new Date().toISOString(),
    commit: git('git rev-parse --short HEAD') + (dirty ? ' (+ uncommitted src changes)' : ''),
    node: process.version,
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

const RESULTS = join(ROOT, 'bench', 'results');

/** The saved figures of one benchmark: { <label>: figures }. */
export function loadResults(bench) {
  const file = join(RESULTS, `${bench}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
}

/** Saves `figures` as the BENCH_LABEL column of `bench`, keeping the other columns. */
export function saveResults(bench, figures) {
  const all = loadResults(bench);
  all[LABEL] = figures;
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, `${bench}.json`), JSON.stringify(all, null, 2) + '\n');
}

export const fmt = (n, digits = 0) =>
  n === undefined || n === null || Number.isNaN(n) ? 'n/a' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const mb = (bytes) => fmt(bytes / 2 ** 20, 1);

/** Machine-wide busy and idle CPU time so far (Linux /proc/stat, USER_HZ = 100), or undefined elsewhere. */
export function machineCpu() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields;
    return { busyMs: (user + nice + system + irq + softirq + (steal ?? 0)) * 10, idleMs: (idle + iowait) * 10 };
  } catch {
    return undefined;
  }
}

/** The share of all CPUs that were busy between two machineCpu() readings. */
export function busyShare(a, b) {
  if (!a || !b) return undefined;
  return (b.busyMs - a.busyMs) / Math.max(1, b.busyMs - a.busyMs + b.idleMs - a.idleMs);
}

/** Waits up to `timeoutS` for a whole second in which the machine is at most 15 % busy; returns the last share seen. */
export async function waitQuiet(timeoutS) {
  const started = performance.now();
  for (;;) {
    const a = machineCpu();
    await new Promise((r) => setTimeout(r, 1000));
    const share = busyShare(a, machineCpu());
    if (share === undefined || share <= 0.15 || performance.now() - started > timeoutS * 1000) return share;
  }
}
