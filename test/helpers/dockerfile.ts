/**
 * A small Dockerfile toolkit for tests that must work without a Docker engine:
 *
 *  - `parseDockerfile`  parses the subset of Dockerfile syntax this repo uses
 *    (FROM … AS name, ARG, ENV, WORKDIR, COPY [--from=…] src… dest, RUN, USER,
 *    EXPOSE, VOLUME, HEALTHCHECK … CMD …, CMD/ENTRYPOINT, LABEL; backslash line
 *    continuations; comments) into stages of instructions.
 *  - `stageConfig`      evaluates a stage's image config (env, workdir, user, …)
 *    without touching the filesystem.
 *  - `loadDockerignore` implements .dockerignore matching.
 *  - `replayDockerfile` "builds" every stage into a temp directory that stands in
 *    for the stage's root filesystem: container paths such as /app or /data map
 *    to `<stage>/rootfs/app`, `<stage>/rootfs/data`; COPY reads the build context
 *    (honouring .dockerignore) or an earlier stage's rootfs; RUN executes with
 *    `bash -c` in the mapped WORKDIR with the stage's ENV in force.
 *
 * Replay limitations (deliberate): no base-image filesystem (host tools are used,
 * PATH/HOME come from the host), no users (`chown`/`chgrp` are shims that only
 * check that their targets exist and record the call), and `npm cache clean` is
 * skipped so the host's npm cache — which the replay relies on — survives.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

export interface Instruction {
  /** Upper-cased keyword, e.g. `RUN`. */
  keyword: string;
  /** Arguments after the keyword and after any leading `--flag[=value]` options. */
  args: string;
  /** Leading options, e.g. `{ from: 'build' }` for `COPY --from=build …`. */
  flags: Record<string, string>;
  /** Set when the arguments are a JSON array (exec form). */
  exec?: string[];
  /** 1-based line number of the instruction's first line. */
  line: number;
}

export interface Stage {
  index: number;
  name?: string;
  /** Base image (or earlier stage name) from `FROM`. */
  base: string;
  line: number;
  /** Instructions after FROM (FROM itself excluded). */
  instructions: Instruction[];
}

export interface Dockerfile {
  /** `ARG`s declared before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
}

const FLAGGED = new Set(['FROM', 'COPY', 'ADD', 'RUN', 'HEALTHCHECK']);

export function parseDockerfile(text: string): Dockerfile {
  const logical: { text: string; line: number }[] = [];
  let buf: string | undefined;
  let start = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    // Comment lines (and blank lines inside a continuation) are dropped entirely.
    if (/^\s*#/.test(raw) || (buf === undefined && /^\s*$/.test(raw))) return;
    if (buf !== undefined && /^\s*$/.test(raw)) return;
    if (buf === undefined) {
      buf = '';
      start = i + 1;
    }
    if (/\\[ \t]*$/.test(raw)) {
      buf += raw.replace(/\\[ \t]*$/, '');
      return;
    }
    logical.push({ text: buf + raw, line: start });
    buf = undefined;
  });
  if (buf !== undefined && buf.trim() !== '') logical.push({ text: buf, line: start });

  const out: Dockerfile = { globalArgs: [], stages: [] };
  for (const { text: l, line } of logical) {
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(l);
    if (!m) continue;
    const keyword = m[1].toUpperCase();
    let rest = m[2].trim();
    const flags: Record<string, string> = {};
    if (FLAGGED.has(keyword)) {
      let f: RegExpExecArray | null;
      while ((f = /^--([A-Za-z][\w-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest))) {
        flags[f[1]] = f[2] ?? 'true';
        rest = rest.slice(f[0].length);
      }
    }
    const ins: Instruction = { keyword, args: rest, flags, line };
    const exec = parseExec(rest);
    if (exec) ins.exec = exec;

    if (keyword === 'FROM') {
      const words = splitWords(rest);
      const asIdx = words.findIndex((w) => w.toUpperCase() === 'AS');
      const stage: Stage = {
        index: out.stages.length,
        base: words[0] ?? '',
        line,
        instructions: [],
      };
      if (asIdx > 0 && words[asIdx + 1]) stage.name = words[asIdx + 1].toLowerCase();
      out.stages.push(stage);
    } else if (out.stages.length === 0) {
      if (keyword !== 'ARG') throw new Error(`Dockerfile:${line}: ${keyword} before the first FROM`);
      out.globalArgs.push(ins);
    } else {
      out.stages[out.stages.length - 1].instructions.push(ins);
    }
  }
  return out;
}

function parseExec(s: string): string[] | undefined {
  if (!s.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(s);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    /* not JSON: shell form */
  }
  return undefined;
}

/** Shell-like word splitting: whitespace separates words; quotes and backslashes are removed. */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${s}`);
  if (inWord) words.push(cur);
  return words;
}

/** `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}` substitution (as done by the builder). */
export function expandVars(s: string, env: Record<string, string>): string {
  return s.replace(
    /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
      if (m === '\\$') return '$';
      const name = braced ?? bare ?? '';
      const val = env[name];
      if (op === '-') return val ? val : (word ?? '');
      if (op === '+') return val ? (word ?? '') : '';
      return val ?? '';
    },
  );
}

// ---------------------------------------------------------------------------
// Static evaluation of a stage's image configuration
// ---------------------------------------------------------------------------

export interface CommandSpec {
  exec?: string[];
  shell?: string;
}

export interface HealthcheckSpec extends CommandSpec {
  none: boolean;
  options: Record<string, string>;
}

export interface StageConfig {
  /** Container environment from ENV (container paths, unmapped). */
  env: Record<string, string>;
  args: Record<string, string>;
  /** Container path of the final WORKDIR. */
  workdir: string;
  user?: string;
  expose: string[];
  volumes: string[];
  healthcheck?: HealthcheckSpec;
  cmd?: CommandSpec;
  entrypoint?: CommandSpec;
}

function commandOf(ins: Instruction): CommandSpec {
  return ins.exec ? { exec: ins.exec } : { shell: ins.args };
}

function parseHealthcheck(ins: Instruction): HealthcheckSpec {
  if (/^NONE$/i.test(ins.args)) return { none: true, options: ins.flags };
  const m = /^CMD\s+([\s\S]+)$/i.exec(ins.args);
  if (!m) throw new Error(`Dockerfile:${ins.line}: HEALTHCHECK must be NONE or CMD …`);
  const exec = parseExec(m[1].trim());
  return exec ? { none: false, options: ins.flags, exec } : { none: false, options: ins.flags, shell: m[1].trim() };
}

function parseEnvArgs(args: string, line: number): [string, string][] {
  const words = splitWords(args);
  if (words.length === 0) throw new Error(`Dockerfile:${line}: empty ENV`);
  if (!words[0].includes('=')) {
    // legacy `ENV key value…`
    const m = /^\s*(\S+)\s+([\s\S]*)$/.exec(args);
    if (!m) throw new Error(`Dockerfile:${line}: ENV ${args}`);
    return [[m[1], m[2].trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new Error(`Dockerfile:${line}: bad ENV pair ${w}`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

function wordsOrExec(ins: Instruction, env: Record<string, string>): string[] {
  return ins.exec ? ins.exec.map((w) => expandVars(w, env)) : splitWords(expandVars(ins.args, env));
}

/** Config inherited by stages whose FROM names a fresh image. */
export function baseConfig(): StageConfig {
  return { env: {}, args: {}, workdir: '/', expose: [], volumes: [] };
}

function cloneConfig(c: StageConfig): StageConfig {
  return {
    ...c,
    env: { ...c.env },
    args: { ...c.args },
    expose: [...c.expose],
    volumes: [...c.volumes],
  };
}

/**
 * Apply one non-filesystem instruction to `cfg` (mutates it). Returns true when
 * the instruction was a pure config instruction.
 */
function applyConfig(cfg: StageConfig, ins: Instruction): boolean {
  const vars = { ...cfg.args, ...cfg.env };
  switch (ins.keyword) {
    case 'ENV':
      for (const [k, v] of parseEnvArgs(expandVars(ins.args, vars), ins.line)) cfg.env[k] = v;
      return true;
    case 'ARG': {
      const [kv] = splitWords(expandVars(ins.args, vars));
      if (!kv) throw new Error(`Dockerfile:${ins.line}: empty ARG`);
      const eq = kv.indexOf('=');
      if (eq < 0) cfg.args[kv] ??= '';
      else cfg.args[kv.slice(0, eq)] = kv.slice(eq + 1);
      return true;
    }
    case 'WORKDIR':
      cfg.workdir = path.posix.resolve(cfg.workdir, expandVars(ins.args, vars));
      return true;
    case 'USER':
      cfg.user = expandVars(ins.args, vars).trim();
      return true;
    case 'EXPOSE':
      cfg.expose.push(...splitWords(expandVars(ins.args, vars)));
      return true;
    case 'VOLUME':
      cfg.volumes.push(...wordsOrExec(ins, vars));
      return true;
    case 'HEALTHCHECK':
      cfg.healthcheck = parseHealthcheck(ins);
      return true;
    case 'CMD':
      cfg.cmd = commandOf(ins);
      return true;
    case 'ENTRYPOINT':
      cfg.entrypoint = commandOf(ins);
      cfg.cmd = undefined; // ENTRYPOINT resets an inherited CMD
      return true;
    case 'LABEL':
    case 'STOPSIGNAL':
    case 'MAINTAINER':
      return true;
    case 'RUN':
    case 'COPY':
      return false;
    default:
      throw new Error(`Dockerfile:${ins.line}: instruction ${ins.keyword} is not supported by this replay`);
  }
}

function findStage(df: Dockerfile, ref: string, before: number): Stage | undefined {
  const lower = ref.toLowerCase();
  return df.stages.find((s) => s.index < before && (s.name === lower || (/^\d+$/.test(ref) && s.index === Number(ref))));
}

/** Evaluate the image configuration of stage `index` (default: the final stage). */
export function stageConfig(df: Dockerfile, index = df.stages.length - 1): StageConfig {
  const stage = df.stages[index];
  if (!stage) throw new Error(`no stage ${index}`);
  const parent = findStage(df, stage.base, index);
  const cfg = parent ? cloneConfig(stageConfig(df, parent.index)) : baseConfig();
  cfg.args = {};
  for (const ins of stage.instructions) applyConfig(cfg, ins);
  return cfg;
}

// ---------------------------------------------------------------------------
// .dockerignore
// ---------------------------------------------------------------------------

export type IgnoreMatcher = (relPath: string) => boolean;

function globToRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) {
        re += '\\[';
      } else {
        re += '[' + pattern.slice(i + 1, end).replace(/^!/, '^') + ']';
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

export interface Dockerignore {
  patterns: { negate: boolean; pattern: string; re: RegExp }[];
  /** True when the context-relative path (posix) is excluded. */
  excluded: IgnoreMatcher;
}

/** Parse `<contextDir>/.dockerignore` (absent file → nothing excluded). */
export function loadDockerignore(contextDir: string): Dockerignore {
  const file = path.join(contextDir, '.dockerignore');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const patterns = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      let p = (negate ? l.slice(1) : l).trim();
      p = path.posix.normalize(p).replace(/^\/+/, '').replace(/\/+$/, '');
      if (p === '.') p = '';
      return { negate, pattern: p, re: globToRegex(p) };
    })
    .filter((p) => p.pattern !== '');
  const excluded: IgnoreMatcher = (rel) => {
    const parts = rel.split('/').filter(Boolean);
    let out = false;
    for (const p of patterns) {
      // A pattern matching a parent directory excludes everything below it.
      for (let n = 1; n <= parts.length; n++) {
        if (p.re.test(parts.slice(0, n).join('/'))) {
          out = !p.negate;
          break;
        }
      }
    }
    return out;
  };
  return { patterns, excluded };
}

// ---------------------------------------------------------------------------
// Replay
// ---------------------------------------------------------------------------

/** Top-level directories that belong to the (host stand-in for the) base image. */
const SYSTEM_DIRS = new Set([
  'bin',
  'sbin',
  'usr',
  'lib',
  'lib32',
  'lib64',
  'libx32',
  'etc',
  'dev',
  'proc',
  'sys',
  'tmp',
  'var',
  'run',
  'opt',
  'root',
  'home',
  'boot',
  'nix',
]);

export interface ReplayedStage extends StageConfig {
  index: number;
  name?: string;
  base: string;
  /** Host directory standing in for the stage's `/`. */
  rootfs: string;
  /** Host directory for the final WORKDIR. */
  hostWorkdir: string;
}

export interface ReplayResult {
  stages: ReplayedStage[];
  final: ReplayedStage;
  /** Human-readable trace of every step with timings. */
  log: string[];
  /** Calls recorded by the chown/chgrp/npm-cache shims. */
  shimCalls: string[];
}

export interface ReplayOptions {
  /** Build context (the directory `docker build` would be given). */
  contextDir: string;
  /** Dockerfile path; default `<contextDir>/Dockerfile`. */
  dockerfile?: string;
  /** Empty scratch directory for the stage filesystems. */
  workDir: string;
  /** Extra env for RUN steps (e.g. npm settings). */
  runEnv?: Record<string, string>;
  /** Per-RUN timeout, ms (default 180 s). */
  runTimeoutMs?: number;
}

/** Map a container path to its host stand-in inside `rootfs`. */
export function toHostPath(rootfs: string, containerPath: string): string {
  return path.join(rootfs, path.posix.resolve('/', containerPath));
}

/** Map absolute, non-system container paths appearing in a shell command or value. */
export function mapContainerPaths(rootfs: string, text: string): string {
  return text.replace(/(^|[\s='"])(\/(?!\/)[^\s'";&|)<>]*)/g, (m, pre: string, p: string) => {
    const top = p.split('/')[1] ?? '';
    if (top === '' || SYSTEM_DIRS.has(top)) return m;
    return pre + toHostPath(rootfs, p);
  });
}

/** Host PATH without any `node_modules/.bin` entries (npm adds those when it runs scripts). */
export function cleanHostPath(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((p) => p && !p.split(path.sep).includes('node_modules'))
    .join(path.delimiter);
}

const PASSTHROUGH = [
  'TMPDIR',
  'LANG',
  'LC_ALL',
  'TZ',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'npm_config_cache',
  'npm_config_userconfig',
  'npm_config_registry',
];

/**
 * Environment for a process "inside" a replayed stage: the stage's ENV (absolute
 * container paths mapped into its rootfs), PATH and HOME from the host, a few
 * host pass-throughs (proxy, CA, npm cache location), then `overrides`.
 */
export function stageProcessEnv(
  stage: Pick<ReplayedStage, 'env' | 'rootfs'>,
  overrides: Record<string, string> = {},
  pathPrefix?: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of PASSTHROUGH) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  for (const [k, v] of Object.entries(stage.env)) env[k] = mapContainerPaths(stage.rootfs, v);
  env.PATH = pathPrefix ? `${pathPrefix}${path.delimiter}${cleanHostPath()}` : cleanHostPath();
  env.HOME = process.env.HOME ?? '/root';
  return { ...env, ...overrides };
}

/** argv for a CMD/HEALTHCHECK spec (shell form → `bash -c`, rootfs paths mapped). */
export function commandArgv(rootfs: string, spec: CommandSpec, entrypoint?: CommandSpec): string[] {
  const part = (s: CommandSpec): string[] => (s.exec ? [...s.exec] : ['bash', '-c', mapContainerPaths(rootfs, s.shell ?? '')]);
  if (entrypoint?.shell) return part(entrypoint); // shell-form ENTRYPOINT ignores CMD
  return [...(entrypoint ? part(entrypoint) : []), ...part(spec)];
}

function which(cmd: string, pathVar: string): string {
  for (const dir of pathVar.split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* keep looking */
    }
  }
  throw new Error(`${cmd} not found on PATH`);
}

function writeShims(dir: string, logFile: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  // Ownership cannot be reproduced (no image users); check targets exist and record the call.
  const chown = (name: string) => `#!/usr/bin/env bash
seen_owner=0
for a in "$@"; do
  case "$a" in -*) continue ;; esac
  if [ "$seen_owner" = 0 ]; then seen_owner=1; continue; fi
  if [ ! -e "$a" ]; then echo "${name}: cannot access '$a': No such file or directory" >&2; exit 1; fi
done
echo "${name} $*" >> ${q(logFile)}
`;
  fs.writeFileSync(path.join(dir, 'chown'), chown('chown'), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'chgrp'), chown('chgrp'), { mode: 0o755 });
  // Never let a replayed `npm cache clean` wipe the host cache the replay depends on.
  const realNpm = which('npm', cleanHostPath());
  fs.writeFileSync(
    path.join(dir, 'npm'),
    `#!/usr/bin/env bash
is_cache=0; is_clean=0
for a in "$@"; do
  case "$a" in cache) is_cache=1 ;; clean|clear|rm) is_clean=1 ;; esac
done
if [ "$is_cache" = 1 ] && [ "$is_clean" = 1 ]; then echo "npm $* (skipped)" >> ${q(logFile)}; exit 0; fi
exec ${q(realNpm)} "$@"
`,
    { mode: 0o755 },
  );
}

function runShell(
  cmd: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', cmd], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

function copyInto(src: string, dest: string, destIsDir: boolean, filter?: (hostPath: string) => boolean): void {
  const st = fs.lstatSync(src);
  if (st.isDirectory()) {
    // Docker copies a directory's *contents* into dest.
    fs.mkdirSync(dest, { recursive: true });
    fs.cpSync(src, dest, {
      recursive: true,
      verbatimSymlinks: true,
      filter: filter ? (s) => s === src || filter(s) : undefined,
    });
    return;
  }
  const target = destIsDir || (fs.existsSync(dest) && fs.statSync(dest).isDirectory()) ? path.join(dest, path.basename(src)) : dest;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.cpSync(src, target, { verbatimSymlinks: true });
}

function expandSourceGlob(baseDir: string, rel: string): string[] {
  if (!/[*?[]/.test(rel)) return [rel];
  const dir = path.posix.dirname(rel);
  if (/[*?[]/.test(dir)) throw new Error(`COPY source globs are only supported in the last segment: ${rel}`);
  const re = globToRegex(path.posix.basename(rel));
  const abs = path.join(baseDir, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs)
    .filter((n) => re.test(n))
    .sort()
    .map((n) => path.posix.join(dir, n));
}

/** Replay every stage of the Dockerfile into `workDir`; see the module comment. */
export async function replayDockerfile(opts: ReplayOptions): Promise<ReplayResult> {
  const contextDir = path.resolve(opts.contextDir);
  const dockerfilePath = opts.dockerfile ?? path.join(contextDir, 'Dockerfile');
  const df = parseDockerfile(fs.readFileSync(dockerfilePath, 'utf8'));
  const ignore = loadDockerignore(contextDir);
  const hasNegation = ignore.patterns.some((p) => p.negate);
  const workDir = path.resolve(opts.workDir);
  const shimDir = path.join(workDir, '.replay-shims');
  const shimLog = path.join(workDir, '.replay-shims.log');
  writeShims(shimDir, shimLog);
  fs.writeFileSync(shimLog, '');
  const log: string[] = [];
  const stages: ReplayedStage[] = [];
  const timeoutMs = opts.runTimeoutMs ?? 180_000;

  for (const stage of df.stages) {
    const label = `stage ${stage.index}${stage.name ? ` (${stage.name})` : ''}`;
    const rootfs = path.join(workDir, `stage-${stage.index}${stage.name ? `-${stage.name}` : ''}`, 'rootfs');
    const parent = findStage(df, stage.base, stage.index);
    let cfg: StageConfig;
    if (parent) {
      const p = stages[parent.index];
      fs.cpSync(p.rootfs, rootfs, { recursive: true, verbatimSymlinks: true });
      cfg = cloneConfig(p);
    } else {
      fs.mkdirSync(rootfs, { recursive: true });
      cfg = baseConfig();
    }
    cfg.args = {};
    log.push(`${label}: FROM ${stage.base}`);

    for (const ins of stage.instructions) {
      const t0 = Date.now();
      const where = `Dockerfile:${ins.line} ${ins.keyword}`;
      if (applyConfig(cfg, ins)) {
        if (ins.keyword === 'WORKDIR') fs.mkdirSync(toHostPath(rootfs, cfg.workdir), { recursive: true });
        log.push(`${label}: ${ins.keyword} ${ins.args}`);
        continue;
      }
      const vars = { ...cfg.args, ...cfg.env };
      const hostWorkdir = toHostPath(rootfs, cfg.workdir);
      fs.mkdirSync(hostWorkdir, { recursive: true });

      if (ins.keyword === 'RUN') {
        if (ins.exec) throw new Error(`${where}: exec-form RUN is not supported by this replay`);
        const cmd = mapContainerPaths(rootfs, ins.args);
        const env = stageProcessEnv({ env: { ...cfg.args, ...cfg.env }, rootfs }, opts.runEnv, shimDir);
        const r = await runShell(cmd, hostWorkdir, env, timeoutMs);
        log.push(`${label}: RUN ${ins.args}  [${Date.now() - t0} ms]`);
        if (r.code !== 0) {
          throw new Error(`${where} failed (exit ${r.code ?? r.signal}): ${ins.args}\n--- output (tail) ---\n${r.output.slice(-4000)}`);
        }
        continue;
      }

      // COPY
      const words = wordsOrExec(ins, vars);
      if (words.length < 2) throw new Error(`${where}: COPY needs at least one source and a destination`);
      const destRaw = words[words.length - 1];
      const dest = toHostPath(rootfs, path.posix.resolve(cfg.workdir, destRaw));
      let fromRoot: string;
      let fromLabel: string;
      if (ins.flags.from !== undefined) {
        const src = findStage(df, expandVars(ins.flags.from, vars), stage.index);
        if (!src) throw new Error(`${where}: --from=${ins.flags.from} is not an earlier stage (images unsupported)`);
        fromRoot = stages[src.index].rootfs;
        fromLabel = `stage ${src.name ?? src.index}`;
      } else {
        fromRoot = contextDir;
        fromLabel = 'build context';
      }
      const sources: string[] = [];
      for (const s of words.slice(0, -1)) {
        const rel = path.posix.normalize(s.replace(/^\/+/, '') || '.');
        if (rel.startsWith('..')) throw new Error(`${where}: source ${s} is outside the ${fromLabel}`);
        const matches = expandSourceGlob(fromRoot, rel).filter(
          (m) => fs.existsSync(path.join(fromRoot, m)) && !(ins.flags.from === undefined && m !== '.' && ignore.excluded(m)),
        );
        if (matches.length === 0) {
          throw new Error(`${where}: "${s}" not found in ${fromLabel}${ins.flags.from === undefined ? ' (or excluded by .dockerignore)' : ''}`);
        }
        sources.push(...matches);
      }
      const destIsDir = destRaw.endsWith('/') || destRaw === '.' || words.length > 2;
      if (words.length > 2 && !destRaw.endsWith('/')) {
        throw new Error(`${where}: with more than one source the destination must end with /`);
      }
      for (const rel of sources) {
        const abs = path.join(fromRoot, rel);
        const filter =
          ins.flags.from === undefined
            ? (hostPath: string) => {
                const r = path.relative(contextDir, hostPath).split(path.sep).join('/');
                if (!ignore.excluded(r)) return true;
                // With negations a child of an excluded dir may be re-included: keep walking dirs.
                return hasNegation && fs.lstatSync(hostPath).isDirectory();
              }
            : undefined;
        copyInto(abs, dest, destIsDir, filter);
      }
      log.push(`${label}: COPY ${ins.args}  [${Date.now() - t0} ms]`);
    }

    stages.push({
      ...cfg,
      index: stage.index,
      name: stage.name,
      base: stage.base,
      rootfs,
      hostWorkdir: toHostPath(rootfs, cfg.workdir),
    });
  }

  const final = stages[stages.length - 1];
  if (!final) throw new Error('Dockerfile has no stages');
  const shimCalls = fs.readFileSync(shimLog, 'utf8').split('\n').filter(Boolean);
  return { stages, final, log, shimCalls };
}
