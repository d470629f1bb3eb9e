/**
 * The package as a consumer gets it: `npm pack` in a copy of the working tree (its dist/ not built yet, as
 * in a fresh clone), the tarball installed into an empty project, then its CLI, its server, its library
 * entry and its types used from there. One pack and one install, shared by the file's tests; npm prefers
 * its local cache, so the install needs the registry only for what the cache lacks.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const NPM = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];

let dir: string;
let app: string;
let packed: { filename: string; size: number; files: Array<{ path: string }> };

/** Runs a command in the consumer project; resolves with its exit code and output (never rejects on a non-zero exit). */
async function inApp(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: app, env: { ...process.env, LOG_LEVEL: 'warn' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'card-sandbox-package-'));
  // The working tree as git sees it (tracked and new files, nothing ignored: no dist/, no data/), with our
  // node_modules linked in for the build.
  const source = join(dir, 'source');
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
  const files = stdout.split('\0').filter(Boolean);
  await Promise.all(files.map((file) => cp(join(ROOT, file), join(source, file), { errorOnExist: false }).catch(ignoreDeleted)));
  await symlink(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  // Left by an earlier build whose source is gone: a pack starts from a clean dist/.
  await mkdir(join(source, 'dist'));
  await writeFile(join(source, 'dist/removed-module.js'), 'export {};\n');
  const pack = await run('npm', ['pack', '--json', '--pack-destination', dir, ...NPM], { cwd: source, maxBuffer: 64 * 1024 * 1024 });
  [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));

  app = join(dir, 'app');
  await mkdir(app);
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // A TypeScript consumer asks for Node's types itself; it does not ask for Express's.
  const nodeTypes = JSON.parse(await readFile(join(ROOT, 'node_modules/@types/node/package.json'), 'utf8')).version as string;
  await run('npm', ['install', ...NPM, join(dir, packed.filename), `@types/node@${nodeTypes}`], { cwd: app, maxBuffer: 64 * 1024 * 1024 });
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A file listed by git but deleted in the working tree is not part of it. */
function ignoreDeleted(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

describe('the packed tarball', () => {
  it('holds the freshly built dist/ (no source maps, nothing left from an earlier build), contracts/ and fixtures/, and nothing of src/ or test/', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/main.js', 'fixtures/scenarios/default.json', 'docs-page/index.html']),
    );
    expect(paths.some((p) => p.startsWith('contracts/onerway/'))).toBe(true);
    expect(paths.filter((p) => p.endsWith('.map') || p.startsWith('src/') || p.startsWith('test/') || p === 'dist/removed-module.js')).toEqual([]);
  });

  it('installs into an empty project, where `npx card-sandbox --help` prints the usage', async () => {
    const { code, stdout, stderr } = await inApp('npx', ['card-sandbox', '--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: card-sandbox \[serve\] \[options\]/);
  });

  it('serves: the installed bin starts, answers health, and `card-sandbox wait` sees it', async () => {
    const child = spawn(join(app, 'node_modules/.bin/card-sandbox'), ['--port', '0'], { cwd: app, env: { ...process.env, LOG_LEVEL: 'warn' } });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const url = await new Promise<string>((done, fail) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) done(m[1]);
        });
        exited.then((code) => fail(new Error(`exited ${code} before listening: ${err}`)), fail);
      });
      const health = await fetch(`${url}/__sandbox/health`);
      expect(health.status).toBe(200);
      // The docs page the banner links, and its renderer, from the installed package's files and dependencies.
      const docs = /API docs: +(http:\/\/\S+)/.exec(out)?.[1];
      expect(docs).toBe(`${url}/__sandbox/docs`);
      for (const page of [docs!, `${url}/__sandbox/docs/assets/swagger-ui-bundle.js`, `${url}/__sandbox/docs/assets/docs-page.js`])
        expect((await fetch(page)).status, page).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', vendors: ['onerway', 'finext', 'openapi-cn'], store: 'sandbox.json' });
      // The Postman collections ship in the package (collections/), served with the sandbox as baseUrl.
      const collection = await fetch(`${url}/__sandbox/collections/finext`);
      expect(collection.status).toBe(200);
      expect(((await collection.json()) as { variable: unknown[] }).variable).toContainEqual({ key: 'baseUrl', value: url, type: 'string' });
      // The dashboard, linked from the banner, with every file its import map names (from the installed dependencies).
      expect(out).toContain(`${url}/__sandbox/ui`);
      const dashboard = await fetch(`${url}/__sandbox/ui`);
      expect(dashboard.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const map = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(await dashboard.text())![1]) as { imports: Record<string, string> };
      for (const path of [...Object.values(map.imports), '/__sandbox/ui/main.js', '/__sandbox/ui/style.css'])
        expect((await fetch(`${url}${path}`)).status, path).toBe(200);
      const waited = await inApp('npx', ['card-sandbox', 'wait', '--url', url, '--timeout', '10s']);
      expect(waited.code).toBe(0);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('works as a library: createSandbox() in memory on port 0, and its package.json is exported', async () => {
    await writeFile(
      join(app, 'use.mjs'),
      [
        "import { createRequire } from 'node:module';",
        "import { createSandbox } from 'card-sandbox';",
        "const { version } = createRequire(import.meta.url)('card-sandbox/package.json');",
        "const sandbox = await createSandbox({ logLevel: 'silent' });",
        'const url = await sandbox.listen(0);',
        'const health = await (await fetch(`${url}/__sandbox/health`)).json();',
        'await sandbox.close();',
        'console.log(JSON.stringify({ version, store: health.store }));',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await inApp(process.execPath, ['use.mjs']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(JSON.parse(stdout)).toEqual({ version, store: ':memory:' });
  });

  it('has types that compile in a strict consumer with skipLibCheck off and no Express types', async () => {
    await writeFile(
      join(app, 'consumer.ts'),
      [
        "import { createServer } from 'node:http';",
        "import { Clock, Contracts, CONTRACTS_DIR, createSandbox, loadConfig, Store, VENDORS, type Config, type Sandbox, type SandboxOptions } from 'card-sandbox';",
        "import pkg from 'card-sandbox/package.json' with { type: 'json' };",
        "const options: SandboxOptions = { logLevel: 'silent', frozenAt: Date.UTC(2026, 2, 1) };",
        'const sandbox: Sandbox = await createSandbox(options);',
        'const server = createServer(sandbox.app);',
        'const config: Readonly<Config> = loadConfig([], {});',
        'const now: number = sandbox.clock.now();',
        'const store: Store = sandbox.store;',
        'const slugs: string[] = VENDORS.map((v) => v.slug);',
        'const dir: string = CONTRACTS_DIR;',
        'const version: string = pkg.version;',
        'console.log(server.listening, config.port, now, store, slugs, dir, version, Clock, Contracts);',
        'await sandbox.close();',
      ].join('\n'),
    );
    await writeFile(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          resolveJsonModule: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    const { code, stdout, stderr } = await inApp(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.']);
    expect(stdout + stderr).toBe('');
    expect(code).toBe(0);
    await expect(readFile(join(app, 'node_modules/@types/express/package.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
