/**
 * Renders the footprint benchmarks' saved figures (bench/results/{memory,startup,soak}.json, one column
 * per BENCH_LABEL) as BENCHMARKS.md sections. Each footprint script rewrites the block between the
 * markers after its run; bench/run.mjs, which rewrites the whole file, appends the same block, so a main
 * run keeps these figures. `node bench/footprint-report.mjs` re-renders the block alone.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, fmt, loadResults, mb } from './lib.mjs';
import { flatness } from './soak-rule.mjs';

const START = '<!-- footprint:start (bench/footprint-report.mjs; do not edit by hand) -->';
const END = '<!-- footprint:end -->';

const labelsOf = (results) => Object.keys(results).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
const rank = (l) => (l.startsWith('before') ? 0 : l.startsWith('after') ? 1 : 2);
const mark = (ok) => (ok === undefined ? 'n/a' : ok ? 'PASS' : 'MISS');
const bytes = (n) => (n === undefined || Number.isNaN(n) ? 'n/a' : `${fmt(n)} B`);
/** MB, or KB below 1 MB (a fresh store is a few KB). */
const size = (b) => (b === undefined || Number.isNaN(b) ? 'n/a' : b < 2 ** 20 ? `${fmt(b / 1024, 1)} KB` : `${mb(b)} MB`);
const pct = (x) => (x === undefined || x === null || Number.isNaN(x) ? 'n/a' : `${fmt(100 * x)} %`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const esc = (s) => String(s).replaceAll('|', '\\|');

/** A table with a row per metric and a column per label; a row is [name, (figures) => cell]. */
function columns(results, rows) {
  const labels = labelsOf(results);
  const lines = [`| | ${labels.map(esc).join(' | ')} |`, `| --- | ${labels.map(() => '---:').join(' | ')} |`];
  for (const [name, cell] of rows) lines.push(`| ${esc(name)} | ${labels.map((l) => esc(safe(cell, results[l]))).join(' | ')} |`);
  return lines.join('\n');
}

function safe(cell, figures) {
  try {
    return cell(figures) ?? 'n/a';
  } catch {
    return 'n/a';
  }
}

const measuredOn = [
  'measured on (commit, date, 1-min load average at start)',
  (f) => `${f.env.commit}, ${f.env.date.slice(0, 16).replace('T', ' ')} UTC, load ${fmt(f.env.loadavg[0], 1)}`,
];

function memorySection(results) {
  const labels = labelsOf(results);
  const points = [...new Set(labels.flatMap((l) => results[l].checkpoints.map((c) => c.deposits)))].sort((a, b) => a - b);
  const at = (f, n) => f.checkpoints.find((c) => c.deposits === n);
  const per = (f, n, pick) => (pick(at(f, n)) - pick(f.fresh)) / n;
  const rows = [
    measuredOn,
    ['sandbox options (BENCH_SANDBOX_CONFIG)', (f) => (Object.keys(f.config.sandbox ?? {}).length ? `\`${JSON.stringify(f.config.sandbox)}\`` : 'defaults')],
    ['fresh start: RSS / heap used after GC', (f) => `${mb(f.fresh.memory.rss)} / ${mb(f.fresh.memory.heapUsed)} MB`],
    ['fresh start: disk after compaction', (f) => size(f.fresh.files.totalBytes)],
  ];
  for (const n of points) {
    const c = (f) => at(f, n);
    rows.push(
      [`${fmt(n)} deposits: load (req/s, answers ≠ 20000)`, (f) => `${fmt(c(f).load.reqPerSec)} req/s, ${fmt(c(f).load.bad)}`],
      [`${fmt(n)}: store records per deposit`, (f) => fmt((c(f).records - f.fresh.records) / n, 2)],
      [`${fmt(n)}: RSS / heap used after GC`, (f) => `${mb(c(f).memory.rss)} / ${mb(c(f).memory.heapUsed)} MB`],
      [`${fmt(n)}: **RAM per deposit** (RSS after GC)`, (f) => bytes(per(f, n, (x) => x.memory.rss))],
      [`${fmt(n)}: **RAM per deposit** (heap used after GC)`, (f) => bytes(per(f, n, (x) => x.memory.heapUsed))],
      [
        `${fmt(n)}: RAM per deposit since the previous checkpoint (RSS / heap used)`,
        (f) => {
          const i = f.checkpoints.indexOf(c(f));
          if (i < 1) return '—';
          const prev = f.checkpoints[i - 1];
          const d = c(f).deposits - prev.deposits;
          return `${bytes((c(f).memory.rss - prev.memory.rss) / d)} / ${bytes((c(f).memory.heapUsed - prev.memory.heapUsed) / d)}`;
        },
      ],
      [`${fmt(n)}: **log written per deposit**`, (f) => bytes(c(f).logWrittenBytes / c(f).sinceLast)],
      [`${fmt(n)}: **snapshot per deposit** (after compaction)`, (f) => bytes(per(f, n, (x) => x.files.snapshotBytes))],
      [
        `${fmt(n)}: disk before the explicit compaction (snapshot + log)`,
        (f) => `${size(c(f).filesAsLeft.snapshotBytes)} + ${size(c(f).filesAsLeft.logBytes)}`,
      ],
      [`${fmt(n)}: peak disk during the load`, (f) => `${mb(c(f).peakDiskBytes)} MB`],
      [`${fmt(n)}: peak RSS so far`, (f) => `${mb(c(f).memory.maxRss)} MB`],
    );
  }
  return [
    '### Memory and disk per deposit',
    '',
    "`npm run bench:memory` (bench/memory.mjs). One sandbox child (bench/servers/footprint.mjs: file store in a fresh temp folder, default durability, `--expose-gc`), 10 cards. Fresh start: the jobs settled, two forced full GCs, then RSS and heap used; the store compacted explicitly, then its files. Then Onerway deposits over HTTP (autocannon, 10 connections, unthrottled; each answer checked for 20000) up to each cumulative checkpoint, and the same measurements there. **Per deposit = (figure at the checkpoint − fresh-start figure) / deposits.** The log written is the sum of every log segment's largest size, sampled every 100 ms during the load (an automatic compaction drops segments meanwhile); the snapshot is measured after an explicit compaction. Memory and disk are the figures that matter here: throughput on this shared 2-CPU machine is noisy.",
    '',
    columns(results, rows),
    '',
  ].join('\n');
}

function resetSection(results) {
  const last = (f) => f.checkpoints.at(-1);
  const back = (f, pick) => (pick(last(f)) - pick(f.afterReset)) / (pick(last(f)) - pick(f.fresh));
  const near = (f, pick) => pick(f.afterReset) <= pick(f.fresh) * 1.1;
  const rss = (x) => x.memory.rss;
  const heap = (x) => x.memory.heapUsed;
  const disk = (x) => x.files.totalBytes;
  const rows = [
    measuredOn,
    ['deposits before the reset', (f) => fmt(last(f).deposits)],
    ['RSS after GC: fresh → before reset → after reset', (f) => `${mb(rss(f.fresh))} → ${mb(rss(last(f)))} → ${mb(rss(f.afterReset))} MB`],
    ['heap used after GC: fresh → before reset → after reset', (f) => `${mb(heap(f.fresh))} → ${mb(heap(last(f)))} → ${mb(heap(f.afterReset))} MB`],
    ['disk (compacted): fresh → before reset → after reset', (f) => `${size(disk(f.fresh))} → ${size(disk(last(f)))} → ${size(disk(f.afterReset))}`],
    [
      'disk right after the reset, before any compaction',
      (f) => `${size(f.afterReset.filesAsLeft.totalBytes)} (log ${size(f.afterReset.filesAsLeft.logBytes)})`,
    ],
    [
      'share of the growth given back: RSS / heap / disk',
      (f) => `${fmt(100 * back(f, rss))} % / ${fmt(100 * back(f, heap))} % / ${fmt(100 * back(f, disk))} %`,
    ],
    ['RSS after reset within 10 % of fresh', (f) => mark(near(f, rss))],
    ['heap used after reset within 10 % of fresh', (f) => mark(near(f, heap))],
    ['disk (compacted) after reset within 10 % of fresh', (f) => mark(near(f, disk))],
  ];
  return [
    '### Memory and disk after reset',
    '',
    "Same run as above: after the last checkpoint, `POST /__sandbox/reset` (the default scenario), the jobs settled, two forced full GCs, then RSS, heap used, and the store's files as the reset left them and after an explicit compaction. Share given back = (before reset − after reset) / (before reset − fresh start).",
    '',
    columns(results, rows),
    '',
  ].join('\n');
}

function startupSection(results) {
  const labels = labelsOf(results);
  const keys = [];
  for (const l of labels) for (const s of results[l].states) if (!keys.some((k) => k.key === s.key)) keys.push({ key: s.key, title: s.title });
  const state = (f, key) => f.states.find((s) => s.key === key);
  const rows = [measuredOn];
  for (const { key, title } of keys) {
    const s = (f) => state(f, key);
    rows.push(
      [
        `${title}: **start → first health answer** (median; min–max)`,
        (f) =>
          `${fmt(s(f).medianMs / 1000, 2)} s (${fmt(Math.min(...s(f).runsMs) / 1000, 2)}–${fmt(Math.max(...s(f).runsMs) / 1000, 2)}, n = ${s(f).runsMs.length})`,
      ],
      [`${title}: CPU time of the sandbox process until then (median; all threads)`, (f) => `${fmt(median(s(f).cpuMs) / 1000, 2)} s`],
      [`${title}: machine busy during the starts (all CPUs, the sandbox included; median)`, (f) => pct(median(s(f).busy))],
      [`${title}: store on disk (snapshot + log)`, (f) => `${size(s(f).files.snapshotBytes)} + ${size(s(f).files.logBytes)}`],
      [`${title}: RSS after start (peak)`, (f) => `${mb(s(f).rss)} MB (${mb(s(f).peakRss)} MB)`],
      [`${title}: records loaded (checked through the API)`, (f) => (s(f).verified ? `yes (${fmt(s(f).operateRecords)} operate records)` : 'NO')],
    );
  }
  return [
    '### Start-up time',
    '',
    '`npm run bench:startup` (bench/startup.mjs). A helper child (bench/startup-build.mjs) builds each store directly through the Store API of dist/: the default scenario, then settled DEPOSIT operate records for the Onerway default tenant, shaped as the vendor writes them, in transactions of 5,000. "Snapshot": the helper closed the store (everything compacted into the snapshot). "Log": the helper exited without closing, as after a crash (everything in log segments). Each run starts `node dist/main.js --db <a fresh copy of the store> --port <free port>` and times from the spawn to the first 200 answer of `GET /__sandbox/health` (polled every 10 ms); before each start the script waits (up to `BENCH_QUIET_TIMEOUT`, 30 s) for a second in which the machine is at most 15 % busy, and records how busy it was during the start, and the CPU time the sandbox process used until its health answer (/proc/<pid>/stat, all threads: less disturbed by the machine\'s other load than the wall time); after the health answer one `card/getOperateRecordList` checks that every record loaded, RSS is read from /proc, and the process is stopped with SIGTERM.',
    '',
    columns(results, rows),
    '',
  ].join('\n');
}

function soakSection(results) {
  const verdict = (f, metric) => flatness(f.samples, metric, f.config.seconds);
  const rows = [
    measuredOn,
    ['duration, target rate', (f) => `${fmt(f.config.seconds)} s at ${fmt(f.config.rate)} req/s`],
    ['sandbox options (BENCH_SANDBOX_CONFIG)', (f) => (Object.keys(f.config.sandbox ?? {}).length ? `\`${JSON.stringify(f.config.sandbox)}\`` : 'defaults')],
    ['deposits answered 20000 (mean req/s), other answers', (f) => `${fmt(f.load.ok)} (${fmt(f.load.reqPerSec)}), ${fmt(f.load.bad)}`],
  ];
  for (const [metric, name] of [
    ['rss', 'RSS'],
    ['heapUsed', 'heap used'],
    ['diskBytes', 'disk (snapshot + log)'],
  ]) {
    rows.push(
      [
        `${name}: start → peak in the middle third → peak in the last third`,
        (f) => {
          const v = verdict(f, metric);
          return `${mb(v.start)} → ${mb(v.middlePeak)} → ${mb(v.lastPeak)} MB`;
        },
      ],
      [`${name}: growth over the last half`, (f) => `${fmt(verdict(f, metric).slopePerMin / 2 ** 20, 1)} MB/min`],
      [`${name}: **flat within 10 %**`, (f) => `${mark(verdict(f, metric).flat)} (${fmt(100 * (verdict(f, metric).ratio - 1), 1)} %)`],
    );
  }
  rows.push(
    [
      'after the soak (GC, compacted): RSS / heap / disk',
      (f) =>
        `${mb(f.end.memory.rss)} / ${mb(f.end.memory.heapUsed)} / ${mb(f.end.files.totalBytes)} MB${f.endError ? ' (not compacted: the compaction failed)' : ''}`,
    ],
    [
      'the final compaction (health status afterwards)',
      (f) => `${f.endError ? `failed: ${f.endError.replace(/^footprint\.mjs compact: /, '').slice(0, 160)}` : 'done'} (${f.end.health ?? 'n/a'})`,
    ],
  );
  const labels = labelsOf(results);
  const series = labels.map((l) => {
    const f = results[l];
    const minute = f.samples.filter((s, i) => i === 0 || Math.floor(s.t / 60) !== Math.floor(f.samples[i - 1].t / 60) || i === f.samples.length - 1);
    return [
      `${l} (every minute, and the last sample):`,
      '',
      '| t (s) | deposits | RSS MB | heap used MB | disk MB | of which log MB |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      ...minute.map((s) => `| ${fmt(s.t)} | ${fmt(s.deposits)} | ${mb(s.rss)} | ${mb(s.heapUsed)} | ${mb(s.diskBytes)} | ${mb(s.logBytes)} |`),
      '',
    ].join('\n');
  });
  return [
    '### Deposit soak: RSS and disk over time',
    '',
    '`npm run bench:soak` (bench/soak.mjs). One sandbox child as above; Onerway deposits at a fixed rate (autocannon `overallRate`, 10 connections) for the whole duration, round-robin over 10 cards; every `BENCH_SOAK_SAMPLE_SECONDS` (10 s by default), the child\'s RSS and heap used (no forced GC: what the process holds) and the store\'s files on disk. **Rule: flat when the peak over the last third of the run is at most 10 % above the peak over the middle third** (peaks, not single samples: the log grows to the compaction threshold and drops back, so single samples see a saw-tooth). The first third is start-up and warm-up. Growth is the least-squares slope over the last half. Flatness needs retention of what the vendors forget (idempotency answers, webhook log, settled jobs) and of history: "after-10min" keeps history as the vendors do (the default), so every deposit\'s operate record and ledger movement stay and RSS and disk grow with them; "after-history-10min" adds `--retention-history` (here 60 s: settled operate records forgotten, ledger movements folded into one carried-forward movement per merchant, balances unchanged) and stays flat.',
    '',
    columns(results, rows),
    '',
    ...series,
  ].join('\n');
}

/** The footprint sections, from whatever figures are saved (empty when none are). */
export function footprintMarkdown() {
  const parts = [];
  const memory = loadResults('memory');
  if (Object.keys(memory).length) parts.push(memorySection(memory), resetSection(memory));
  const startup = loadResults('startup');
  if (Object.keys(startup).length) parts.push(startupSection(startup));
  const soak = loadResults('soak');
  if (Object.keys(soak).length) parts.push(soakSection(soak));
  if (!parts.length) return '';
  const labels = [...new Set([memory, startup, soak].flatMap((r) => Object.keys(r)))];
  return [
    START,
    '## Memory, disk and start-up',
    '',
    `Figures saved in bench/results/*.json, one column per \`BENCH_LABEL\` (${labels.join(', ')}); each column names the commit it was measured on. "before" is the code before issue 10's retention and compact records; "after" is re-measured on the merged code. Re-run one column with e.g. \`BENCH_LABEL=after npm run bench:memory\` (likewise \`bench:startup\`, \`bench:soak\`): the other columns are kept.`,
    '',
    ...parts,
    END,
  ].join('\n');
}

/** Replaces (or appends) the marked block in the report; returns its path. */
export function updateReport(out = resolve(ROOT, process.env.BENCH_OUT ?? 'BENCHMARKS.md')) {
  const block = footprintMarkdown();
  const text = existsSync(out) ? readFileSync(out, 'utf8') : '';
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  const next = from >= 0 && to > from ? text.slice(0, from) + block + text.slice(to + END.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(out, next);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(`wrote ${updateReport()}`);
