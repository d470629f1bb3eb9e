/**
 * The dashboard's browser tests: a sandbox on a real port serving the page built from src/ui now (so a
 * test never runs a stale build), and pages that record every request they make outside the sandbox's
 * origin and every script error.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, expect } from 'vitest';
import type { SandboxOptions } from '../../src/sandbox.js';
import { accessibilityViolations, screenshot } from '../helpers/browser.js';
import { makeSandbox } from '../helpers/sandbox.js';

const ROOT = resolve(import.meta.dirname, '../..');
let built = false;

/**
 * Builds src/ui into dist/ui with `npm run build:ui` when the sources changed since the last build, so a
 * test never runs a stale page. Test files run in parallel processes: one builds under a lock while the
 * others wait for it (none starts a server on a half-written page).
 */
export function buildUi(): void {
  if (built) return;
  const hash = sourceHash();
  const lock = join(ROOT, 'dist/.ui-build-lock');
  const stamp = join(ROOT, 'dist/.ui-build-hash');
  const current = () => (existsSync(stamp) ? readFileSync(stamp, 'utf8') : '');
  while (current() !== hash) {
    try {
      mkdirSync(lock, { recursive: false });
    } catch {
      // Another file's build: wait for it (a lock left by a killed run goes after two minutes).
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      continue;
    }
    try {
      if (current() !== hash) {
        execFileSync('npm', ['run', '--silent', 'build:ui'], { cwd: ROOT, stdio: 'inherit' });
        writeFileSync(stamp, hash);
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  built = true;
}

/** A digest of everything the page's build reads. */
function sourceHash(): string {
  const digest = createHash('sha256');
  const files = [
    ...readdirSync(join(ROOT, 'src/ui'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name)),
    join(ROOT, 'tsconfig.ui.json'),
    join(ROOT, 'package.json'),
    join(ROOT, 'src/client/types.ts'),
    join(ROOT, 'src/core/wire-types.ts'),
  ].sort();
  for (const file of files) digest.update(file).update(readFileSync(file));
  return digest.digest('hex');
}

/** A sandbox listening on a free port of 127.0.0.1; `url` is its origin. */
export async function servedSandbox(options: SandboxOptions = {}) {
  buildUi();
  const sandbox = await makeSandbox(options);
  const url = await sandbox.listen(0, '127.0.0.1');
  return { sandbox, url };
}

const axeSource = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

export interface DashboardPage {
  page: Page;
  context: BrowserContext;
  /** Requests the page made to another origin (there must be none). */
  foreign: string[];
  /** Uncaught script errors and console errors. */
  errors: string[];
  /** Opens a view by its hash route ('' for the overview) and waits for its heading. */
  open(route: string, heading: string | RegExp): Promise<void>;
  close(): Promise<void>;
}

const pages: DashboardPage[] = [];
afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.close()));
});

/** A page on the dashboard of the sandbox at `origin`, closed after the test. */
export async function dashboardPage(browser: Browser, origin: string, permissions: string[] = []): Promise<DashboardPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (permissions.length) await context.grantPermissions(permissions, { origin });
  // axe goes in before the page's own scripts: the page's Content-Security-Policy allows no injected <script>.
  await context.addInitScript({ content: axeSource });
  const page = await context.newPage();
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.protocol !== 'blob:' && u.origin !== origin) foreign.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // A refused call (the test's own fault rule, a wrong token) is logged by the browser as a failed resource; the page shows it.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  const opened: DashboardPage = {
    page,
    context,
    foreign,
    errors,
    async open(route, heading) {
      await page.goto(`${origin}/__sandbox/ui#/${route}`);
      await expect.poll(() => page.getByRole('heading', { level: 1, name: heading }).count(), { timeout: 10_000 }).toBe(1);
      await settled(page);
    },
    close: () => context.close(),
  };
  pages.push(opened);
  return opened;
}

/** Waits until no part of the view is still loading. */
export async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.loading').count(), { timeout: 10_000 }).toBe(0);
}

const DOCS_IMAGES = resolve(ROOT, 'docs/img/dashboard');

/**
 * A journey step's screenshot under test-results/screenshots/<journey>/<step>.png; with
 * UPDATE_DASHBOARD_SCREENSHOTS=1, the steps marked for the docs are also copied to docs/img/dashboard/.
 */
export async function shot(page: Page, journey: string, step: string, forDocs = false): Promise<void> {
  const path = await screenshot(page, journey, step);
  if (forDocs && process.env.UPDATE_DASHBOARD_SCREENSHOTS === '1') {
    mkdirSync(DOCS_IMAGES, { recursive: true });
    copyFileSync(path, join(DOCS_IMAGES, `${journey}-${step}.png`));
  }
}

/** No serious or critical accessibility violation in the view as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityViolations(page)).toEqual([]);
}
