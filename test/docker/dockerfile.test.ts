/**
 * Dockerfile checks that need no Docker engine.
 *
 * 1. Static: parse the Dockerfile and assert the image's shape (multi-stage,
 *    production-only deps, non-root user, port, volume, healthcheck, exec-form CMD)
 *    and that .dockerignore keeps local artefacts out of the build context.
 * 2. Replay: "build" every stage into temp directories standing in for the stage
 *    filesystems (RUN via `bash -c`, COPY from the context honouring .dockerignore
 *    or from earlier stages), then start the final stage's CMD with its ENV, poll
 *    its HEALTHCHECK, hit /__sandbox/health and check a clean exit on SIGTERM. The image listens on
 *    0.0.0.0, so CMD needs SANDBOX_ADMIN_TOKEN: without it, it must refuse to start (exit 2).
 *
 * npm runs with `npm_config_prefer_offline=true`, so the local npm cache is used.
 * Set DOCKERFILE_TEST_CONTEXT to replay another build context (default: repo root),
 * and DOCKERFILE_TEST_KEEP=1 to keep the replayed stage directories for inspection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commandArgv,
  loadDockerignore,
  parseDockerfile,
  replayDockerfile,
  stageConfig,
  stageProcessEnv,
  toHostPath,
  type CommandSpec,
  type ReplayResult,
} from '../helpers/dockerfile.js';

const REPO_ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CONTEXT = path.resolve(process.env.DOCKERFILE_TEST_CONTEXT ?? REPO_ROOT);
const KEEP = process.env.DOCKERFILE_TEST_KEEP === '1';

const df = parseDockerfile(fs.readFileSync(path.join(CONTEXT, 'Dockerfile'), 'utf8'));
const finalStage = df.stages[df.stages.length - 1];
const finalCfg = stageConfig(df);
const runsOf = (s: typeof finalStage) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const specText = (s: CommandSpec | undefined) => (s?.exec ? s.exec.join(' ') : (s?.shell ?? ''));
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('Dockerfile (static)', () => {
  it('is multi-stage on node:20-bookworm-slim with a named build stage', () => {
    expect(df.stages.length).toBeGreaterThanOrEqual(2);
    for (const s of df.stages) expect(s.base).toMatch(/^node:20(?:[.\d]*)-bookworm-slim(?:@sha256:[0-9a-f]{64})?$/);
    const build = df.stages.find((s) => s.name === 'build');
    expect(build, 'stage "build"').toBeDefined();
    expect(runsOf(build!).some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runsOf(build!).some((r) => /\bnpm run build\b/.test(r))).toBe(true);
    const copiesDist = finalStage.instructions.some((i) => i.keyword === 'COPY' && i.flags.from === 'build' && /(^|\s)\/app\/dist\/?\s/.test(i.args));
    expect(copiesDist, 'final stage copies /app/dist from the build stage').toBe(true);
  });

  it('installs production dependencies only in the final stage and does not compile there', () => {
    const runs = runsOf(finalStage);
    expect(runs.some((r) => /\bnpm ci\b[^&|;]*--omit=dev\b/.test(r))).toBe(true);
    for (const r of runs) {
      expect(r).not.toMatch(/\bnpm (install|i)\b/);
      expect(r).not.toMatch(/\bnpm run build\b|\btsc\b/);
      for (const m of r.matchAll(/\bnpm ci\b[^&|;]*/g)) expect(m[0]).toMatch(/--omit=dev\b/);
    }
  });

  it('sets the container runtime environment', () => {
    expect(finalCfg.env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '4010' });
    expect(finalCfg.env.SANDBOX_DB).toMatch(/^\/.+\.json$/);
    expect(finalCfg.workdir).toBe('/app');
  });

  it('bakes no admin token into the image (it is given at `docker run`)', () => {
    expect(finalCfg.env.SANDBOX_ADMIN_TOKEN).toBeUndefined();
    for (const s of df.stages) for (const i of s.instructions) expect(i.args).not.toMatch(/SANDBOX_ADMIN_TOKEN=|--admin-token/);
  });

  it('runs as a non-root user', () => {
    expect(finalCfg.user, 'USER in final stage').toBeTruthy();
    const [user, group] = finalCfg.user!.split(':');
    expect(['root', '0']).not.toContain(user);
    if (group !== undefined) expect(['root', '0']).not.toContain(group);
  });

  it('EXPOSEs 4010, matching PORT', () => {
    const ports = finalCfg.expose.map((p) => p.replace(/\/tcp$/, ''));
    expect(ports).toContain('4010');
    expect(ports).toContain(finalCfg.env.PORT);
  });

  it('declares the store directory (dirname of SANDBOX_DB) as a VOLUME owned by the runtime user', () => {
    const storeDir = path.posix.dirname(finalCfg.env.SANDBOX_DB);
    expect(finalCfg.volumes.map((v) => path.posix.normalize(v).replace(/(.)\/$/, '$1'))).toContain(storeDir);
    const user = finalCfg.user!.split(':')[0];
    const chowns = runsOf(finalStage).some((r) =>
      new RegExp(`\\bchown\\s+(?:-\\S+\\s+)*${escapeRe(user)}(?::\\S*)?\\s+(?:\\S+\\s+)*${escapeRe(storeDir)}/?(?:\\s|$)`).test(r),
    );
    expect(chowns, `a RUN chowns ${storeDir} to ${user}`).toBe(true);
  });

  it('has a node-based HEALTHCHECK on /__sandbox/health', () => {
    const hc = finalCfg.healthcheck;
    expect(hc).toBeDefined();
    expect(hc!.none).toBe(false);
    expect(hc!.exec, 'exec form').toBeDefined();
    expect(hc!.exec![0]).toBe('node');
    expect(specText(hc)).toContain('/__sandbox/health');
    expect(specText(hc)).not.toMatch(/\b(curl|wget)\b/);
  });

  it('starts node directly with an exec-form CMD (so node receives SIGTERM)', () => {
    expect(finalCfg.entrypoint).toBeUndefined();
    expect(finalCfg.cmd?.exec).toEqual(['node', 'dist/main.js']);
  });

  it('.dockerignore keeps local artefacts out of the context but not the sources', () => {
    const { excluded } = loadDockerignore(CONTEXT);
    for (const p of [
      'node_modules',
      'node_modules/x/index.js',
      'src/x/node_modules',
      'dist',
      'dist/main.js',
      'data',
      'data/sandbox.json',
      '.git',
      '.git/HEAD',
      'coverage',
    ]) {
      expect(excluded(p), `${p} excluded`).toBe(true);
    }
    for (const p of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'src/main.ts',
      'contracts/onerway/x.json',
      'fixtures/x.json',
    ]) {
      expect(excluded(p), `${p} kept`).toBe(false);
    }
    // Every COPY source taken from the context must survive .dockerignore.
    for (const s of df.stages) {
      for (const i of s.instructions) {
        if (i.keyword !== 'COPY' || i.flags.from !== undefined) continue;
        const words = i.exec ?? i.args.split(/\s+/);
        for (const src of words.slice(0, -1)) expect(excluded(src.replace(/^\.?\/+/, '')), `COPY ${src}`).toBe(false);
      }
    }
  });
});

// ---------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function parseDuration(s: string | undefined, fallbackMs: number): number {
  if (!s) return fallbackMs;
  let ms = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  return ms || fallbackMs;
}

function runOnce(argv: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, output: String(e) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Dockerfile replay (no Docker engine)', () => {
  let workDir = '';
  let result: ReplayResult;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'card-sandbox-docker-'));
    result = await replayDockerfile({
      contextDir: CONTEXT,
      workDir,
      runEnv: {
        npm_config_prefer_offline: 'true',
        npm_config_update_notifier: 'false',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
      },
    });
  }, 240_000);

  // The replayed stages hold two node_modules trees (tens of thousands of files): removing them
  // took over 30 s once on a loaded CI machine, so the removal is asynchronous with room to finish.
  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    if (workDir && !KEEP) await fs.promises.rm(workDir, { recursive: true, force: true, maxRetries: 3 });
  }, 240_000);

  it('final stage holds dist, runtime data and production dependencies only', () => {
    const app = result.final.hostWorkdir;
    expect(fs.existsSync(path.join(app, 'dist/main.js')), 'dist/main.js').toBe(true);
    expect(fs.statSync(path.join(app, 'contracts')).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(app, 'fixtures')).isDirectory()).toBe(true);
    expect(fs.existsSync(path.join(app, 'src')), 'no sources in runtime image').toBe(false);
    const pkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      expect(fs.existsSync(path.join(app, 'node_modules', dep)), `prod dep ${dep}`).toBe(true);
    }
    for (const dev of ['typescript', 'vitest', 'tsx']) {
      expect(fs.existsSync(path.join(app, 'node_modules', dev)), `dev dep ${dev} absent`).toBe(false);
    }
    // Nothing above the replayed rootfs may supply modules (it would mask missing deps).
    for (let d = path.dirname(result.final.rootfs); d !== path.dirname(d); d = path.dirname(d)) {
      expect(fs.existsSync(path.join(d, 'node_modules')), `${d}/node_modules`).toBe(false);
    }
    expect(fs.existsSync('/node_modules')).toBe(false);
  });

  it('creates the volume directory and hands it to the runtime user', () => {
    const f = result.final;
    const user = f.user!.split(':')[0];
    for (const v of f.volumes) {
      const host = toHostPath(f.rootfs, v);
      expect(fs.existsSync(host), `${v} exists in the image`).toBe(true);
      expect(result.shimCalls.some((c) => c.startsWith(`chown `) && c.includes(` ${user}`) && c.includes(host))).toBe(true);
    }
  });

  it("refuses to start CMD on the image's HOST (0.0.0.0) without SANDBOX_ADMIN_TOKEN: exit 2, with the reason", async () => {
    const f = result.final;
    const env = stageProcessEnv(f, { PORT: '0', SANDBOX_DB: ':memory:' });
    delete env.SANDBOX_ADMIN_TOKEN;
    expect(env.HOST).toBe('0.0.0.0');
    const run = await runOnce(commandArgv(f.rootfs, f.cmd!, f.entrypoint), f.hostWorkdir, env, 30_000);
    expect(run.code, run.output).toBe(2);
    expect(run.output).toMatch(/refusing to listen on "0\.0\.0\.0" without an admin token/);
  }, 30_000);

  it('runs CMD with a token: HEALTHCHECK turns healthy without it, /__sandbox needs it, SIGTERM exits 0', async () => {
    const f = result.final;
    const port = await freePort();
    const token = 'replay-admin-token';
    // Loopback keeps the test's port private; the image's own HOST is covered by the refusal above.
    const env = stageProcessEnv(f, {
      HOST: '127.0.0.1',
      PORT: String(port),
      SANDBOX_DB: toHostPath(f.rootfs, f.env.SANDBOX_DB),
      SANDBOX_ADMIN_TOKEN: token,
    });
    const hc = f.healthcheck!;
    const hcArgv = commandArgv(f.rootfs, hc);
    const hcTimeout = parseDuration(hc.options.timeout, 30_000);

    // The probe must actually fail while nothing is listening.
    const before = await runOnce(hcArgv, f.hostWorkdir, env, hcTimeout);
    expect(before.code, 'healthcheck before start').not.toBe(0);

    const argv = commandArgv(f.rootfs, f.cmd!, f.entrypoint);
    const child = spawn(argv[0], argv.slice(1), { cwd: f.hostWorkdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d));
    child.stderr!.on('data', (d: Buffer) => (output += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    exited.then(
      (e) => (exitInfo = e),
      () => undefined,
    );

    const deadline = Date.now() + 30_000;
    let healthy = false;
    let last = '';
    while (Date.now() < deadline) {
      if (exitInfo) throw new Error(`server exited early (${JSON.stringify(exitInfo)}):\n${output}`);
      const r = await runOnce(hcArgv, f.hostWorkdir, env, hcTimeout);
      last = r.output;
      if (r.code === 0) {
        healthy = true;
        break;
      }
      await sleep(250);
    }
    expect(healthy, `HEALTHCHECK never passed; last probe output: ${last}\nserver output:\n${output}`).toBe(true);

    const res = await fetch(`http://127.0.0.1:${port}/__sandbox/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { status?: string }).status).toBe('ok');
    expect((await fetch(`http://127.0.0.1:${port}/__sandbox/tenants`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${port}/__sandbox/tenants`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    // The docs page and its renderer, from the image's files and production dependencies.
    for (const page of ['/__sandbox/docs', '/__sandbox/docs/assets/swagger-ui-bundle.js', '/__sandbox/docs/assets/docs-page.js'])
      expect((await fetch(`http://127.0.0.1:${port}${page}`)).status, page).toBe(200);

    child.kill('SIGTERM');
    const exit = await Promise.race([exited, sleep(10_000).then(() => 'timeout' as const)]);
    expect(exit, `exit after SIGTERM; server output:\n${output}`).toEqual({ code: 0, signal: null });
  }, 60_000);
});
