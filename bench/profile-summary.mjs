/**
 * Summarises a V8 .cpuprofile (from BENCH_PROFILE=<dir> npm run bench, or node --cpu-prof):
 * self and total (inclusive) time per function, and self time per file / package.
 *
 *   node bench/profile-summary.mjs <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const TOP = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const root = process.cwd();

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function where(cf) {
  let url = cf.url || '';
  if (url.startsWith('file://')) url = relative(root, fileURLToPath(url));
  return url ? `${url}:${cf.lineNumber + 1}` : '';
}
function label(n) {
  const cf = n.callFrame;
  return `${cf.functionName || '(anonymous)'} ${where(cf)}`.trim();
}
function bucket(n) {
  const url = n.callFrame.url || '';
  if (!url) return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native/builtin)';
  if (url.startsWith('node:')) return url;
  const path = url.startsWith('file://') ? relative(root, fileURLToPath(url)) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return `node_modules/${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return path;
}

const self = new Map();
const total = new Map();
const byFile = new Map();
let all = 0;
const { samples, timeDeltas } = profile;
for (let i = 0; i < samples.length; i++) {
  const dt = (timeDeltas[i + 1] ?? timeDeltas[i] ?? 0) / 1000; // ms; a sample's time is until the next one
  all += dt;
  const n = nodes.get(samples[i]);
  const key = label(n);
  self.set(key, (self.get(key) ?? 0) + dt);
  byFile.set(bucket(n), (byFile.get(bucket(n)) ?? 0) + dt);
  const seen = new Set();
  for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
    const k = label(nodes.get(id));
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + dt);
  }
}

const show = (title, map, n) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`${v.toFixed(0).padStart(8)} ms ${((v / all) * 100).toFixed(1).padStart(5)} %  ${k}`);
  }
};
console.log(`${file}: ${all.toFixed(0)} ms sampled`);
show('self time by file / package', byFile, TOP);
show('self time by function', self, TOP);
show('total (inclusive) time by function', new Map([...total].filter(([k]) => !k.startsWith('(root)'))), TOP);
