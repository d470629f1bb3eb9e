/**
 * Runs every example of README.md and docs/ against a real sandbox on a real port, in a real shell,
 * and compares what it prints with the output written beside it (markup: docs/README.md).
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { createServer, type AddressInfo } from 'node:net';
import { createTestDatabase, POSTGRES_REQUIRED, POSTGRES_URL } from '../helpers/postgres.js';
import { jsonDifferences, jsonValues, textMatches } from './compare.js';
import { chains, readPages, type Example } from './markdown.js';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/loader.mjs');
const SRC_INDEX = join(ROOT, 'src/index.ts');
const SRC_TESTING = join(ROOT, 'src/testing/index.ts');
const END = '@@docs-example-end@@';

const pages = readPages(ROOT);
const preamble = pages.flatMap((p) => (p.preamble ? [p.preamble] : []));

let sandbox: Sandbox;
let port: number;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'docs-examples-'));
  sandbox = await createSandbox({ db: join(dir, 'data/sandbox.json'), logLevel: 'silent', strictContracts: true, frozenAt: Date.UTC(2026, 2, 1) });
  port = Number(new URL(await sandbox.listen(0, '127.0.0.1')).port);
  // `card-sandbox` on the examples' PATH: the CLI from source, as `npx card-sandbox` runs it once built.
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'card-sandbox'), `#!/bin/sh\nexec "${process.execPath}" --import "${TSX}" "${join(ROOT, 'src/main.ts')}" "$@"\n`);
  chmodSync(join(bin, 'card-sandbox'), 0o755);
});

afterAll(async () => {
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The example's code as it runs here: the docs' port 4010 is this sandbox's port. */
function local(code: string): string {
  return code.replace(/(localhost|127\.0\.0\.1):4010/g, `127.0.0.1:${port}`);
}

/** Ports the PostgreSQL examples' replicas listen on (`localhost:4011`, `:4012`, … in the docs), free ones here. */
const REPLICA_PORTS = [4011, 4012, 4013];

function shell(script: string, extraEnv: Record<string, string> = {}): Promise<string> {
  return new Promise((done) => {
    execFile(
      'bash',
      ['--noprofile', '--norc', '-c', `exec 2>&1\n${script}`],
      {
        cwd: dir,
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, HOME: dir, SANDBOX_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', ...extraEnv },
      },
      (error, stdout) => done(error && error.killed ? `${stdout}\n[killed after 60 s]` : stdout),
    );
  });
}

function jsScript(example: Example, index: number): string {
  const file = join(dir, `example-${index}.mjs`);
  writeFileSync(file, example.code.replace(/from 'card-sandbox'/g, `from '${SRC_INDEX}'`).replace(/from 'card-sandbox\/testing'/g, `from '${SRC_TESTING}'`));
  return `"${process.execPath}" --import "${TSX}" "${file}"`;
}

/** One shell per chain: the reset preamble if the chain starts from a reset, then each example, its output cut at END. */
async function runChain(chain: Example[]): Promise<string[]> {
  if (chain[0].start === 'postgres') return runPostgresChain(chain);
  const parts: string[] = [];
  if (chain[0].start === 'reset') parts.push(`{\n${local(preamble[0].code)}\n} > /dev/null`);
  chain.forEach((example, i) => {
    parts.push(example.lang === 'sh' ? local(example.code) : jsScript(example, i));
    parts.push(`printf '\\n${END}\\n'`);
  });
  const out = (await shell(parts.join('\n'))).replaceAll(`127.0.0.1:${port}`, '127.0.0.1:4010');
  return out.split(`\n${END}\n`).slice(0, chain.length);
}

/**
 * A chain that starts `# with PostgreSQL`: its shell gets SANDBOX_DB, a fresh database on the test
 * server (SANDBOX_TEST_PG), and the docs' replica ports 4011… become free ports.
 */
async function runPostgresChain(chain: Example[]): Promise<string[]> {
  const db = await createTestDatabase(POSTGRES_URL!);
  const ports = await Promise.all(REPLICA_PORTS.map(() => freePort()));
  const swap = (text: string, from: readonly number[], to: readonly number[]) =>
    from.reduce((t, p, i) => t.replace(new RegExp(`(?<=[:= ])${p}\\b`, 'g'), String(to[i])), text);
  const mapPorts = (text: string) => swap(text, REPLICA_PORTS, ports);
  const unmapPorts = (text: string) => swap(text, ports, REPLICA_PORTS);
  try {
    // Replicas an example starts in the background are stopped with its shell, whatever happens.
    const parts: string[] = [`trap 'kill $(jobs -p) 2> /dev/null' EXIT`];
    chain.forEach((example, i) => {
      parts.push(example.lang === 'sh' ? mapPorts(local(example.code)) : jsScript(example, i));
      parts.push(`printf '\\n${END}\\n'`);
    });
    const out = unmapPorts(await shell(parts.join('\n'), { SANDBOX_DB: db.url })).replaceAll(db.url, '$SANDBOX_DB');
    return out.split(`\n${END}\n`).slice(0, chain.length);
  } finally {
    await db.drop();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function check(example: Example, actual: string): void {
  const where = `${example.file}:${example.line} (output at line ${example.output.line})`;
  if (example.output.lang === 'text') {
    expect.soft(textMatches(actual, example.output.text), `${where}\n--- got ---\n${actual}\n--- docs ---\n${example.output.text}`).toBe(true);
    return;
  }
  let values: unknown[];
  try {
    values = jsonValues(actual);
  } catch (error) {
    expect.soft((error as Error).message, `${where}: the output is not JSON:\n${actual}`).toBe('');
    return;
  }
  expect.soft(jsonDifferences(values, jsonValues(example.output.text)), `${where}\n--- got ---\n${actual}`).toEqual([]);
}

/** What the examples call besides the sandbox (docs/README.md says so to readers). */
const TOOLS = ['curl', 'jq', 'md5sum'];

describe('the docs examples', () => {
  it(`run in bash with ${TOOLS.join(', ')} installed`, () => {
    const missing = execFileSync('bash', ['-c', `for t in ${TOOLS.join(' ')}; do command -v "$t" > /dev/null || echo "$t"; done`], { encoding: 'utf8' }).trim();
    expect(missing, 'install these to run the docs examples').toBe('');
  });

  it('every code block is a runnable example with its output, or says why it is not run', () => {
    expect(pages.flatMap((p) => p.errors)).toEqual([]);
    expect(preamble, 'exactly one reset preamble (docs/README.md)').toHaveLength(1);
  });

  const skipped = pages.flatMap((p) => p.skipped);
  it(`lists the ${skipped.length} blocks not run, with their reasons`, () => {
    // Printed so that nothing is skipped silently; each is also a skipped test below.
    console.log(`code blocks not run:\n${skipped.map((s) => `  ${s.file}:${s.line}  ${s.reason}`).join('\n')}`);
    for (const s of skipped) expect(s.reason.trim().length, `${s.file}:${s.line} gives a reason`).toBeGreaterThan(3);
  });
  for (const s of skipped) it.skip(`${s.file}:${s.line} not run: ${s.reason}`, () => {});

  for (const page of pages) {
    for (const chain of chains(page)) {
      const head = chain[0];
      const name = `${head.file}:${head.line}${chain.length > 1 ? ` and the ${chain.length - 1} after it` : ''}`;
      if (head.start === 'postgres' && !POSTGRES_URL && !POSTGRES_REQUIRED) {
        it.skip(`${name} not run: it needs PostgreSQL (SANDBOX_TEST_PG; .ci/run starts one)`, () => {});
        continue;
      }
      it(name, { timeout: 120_000 }, async () => {
        const outputs = await runChain(chain);
        chain.forEach((example, i) => check(example, outputs[i] ?? ''));
      });
    }
  }
});
