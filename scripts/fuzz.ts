/**
 * npm run fuzz [-- --runs <n>] [--seed <n>] [--report <file>]: the long fuzz run. It runs the fuzz suite
 * (test/core/fuzz.test.ts) with FUZZ_RUNS plans per vendor, every family mixed, under vitest (the
 * vendors' test clients sign there), and prints the counts per vendor, family and outcome. Exits 1 when
 * any answer broke the rules, after listing the plans that did.
 * Defaults: 10,000 plans per vendor, seed 20261201; FUZZ_RUNS and FUZZ_SEED work too.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, report: { type: 'string' } } });
const runs = values.runs ?? process.env.FUZZ_RUNS ?? '10000';
const seed = values.seed ?? process.env.FUZZ_SEED ?? '20261201';
const report = resolve(values.report ?? join(tmpdir(), `card-sandbox-fuzz-${process.pid}.txt`));
if (!/^\d+$/.test(runs) || !/^\d+$/.test(seed)) {
  console.error('usage: npm run fuzz -- [--runs <n>] [--seed <n>] [--report <file>]');
  process.exit(2);
}

const root = resolve(import.meta.dirname, '..');
const started = Date.now();
const run = spawnSync(join(root, 'node_modules/.bin/vitest'), ['run', 'test/core/fuzz.test.ts', '-t', 'long run', '--silent'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed, FUZZ_REPORT: report },
});
let text = '';
try {
  text = readFileSync(report, 'utf8');
} catch {
  console.error(`the fuzz run wrote no report (vitest exited ${run.status})`);
  process.exit(1);
}
console.log(text);
console.log(`${((Date.now() - started) / 1000).toFixed(1)} s; report in ${report}`);
process.exit(run.status ?? 1);
