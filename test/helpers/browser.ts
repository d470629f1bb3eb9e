/**
 * Real Chromium for the browser tests: Debian's `chromium` package driven by playwright-core (never a
 * browser download). Without /usr/bin/chromium the browser suites are skipped with their reason printed,
 * unless SANDBOX_REQUIRE_CHROMIUM=1 (set by .ci/run, which installs it), where they fail instead.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';

export const CHROMIUM = process.env.SANDBOX_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const present = existsSync(CHROMIUM);
const required = process.env.SANDBOX_REQUIRE_CHROMIUM === '1';

/** Where screenshots go: kept after the run (test-results/ is ignored by git). */
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');

/**
 * A describe block with one Chromium for its tests, or skipped (with the reason) where there is none.
 * `browser()` gives the running browser inside the block's tests and hooks.
 */
export function describeBrowser(name: string, body: (browser: () => Browser) => void): void {
  if (!present && !required) {
    console.warn(`${name}: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`);
    describe.skip(name, () => body(() => undefined as never));
    return;
  }
  describe(name, () => {
    let instance: Browser | undefined;
    beforeAll(async () => {
      instance = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    }, 60_000);
    afterAll(async () => {
      await instance?.close();
    });
    body(() => {
      if (!instance) throw new Error(`Chromium did not start from ${CHROMIUM}`);
      return instance;
    });
  });
}

/** Saves a full-page screenshot as `<SCREENSHOTS>/<folder>/<name>.png` and returns its path. */
export async function screenshot(page: Page, folder: string, name: string): Promise<string> {
  const dir = join(SCREENSHOTS, folder);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const axeSource = (): string => {
  const require = createRequire(import.meta.url);
  return (require('axe-core') as { source: string }).source;
};

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page and returns the violations of at least `minimum` impact ("serious" by default). */
export async function accessibilityViolations(page: Page, minimum: 'minor' | 'moderate' | 'serious' | 'critical' = 'serious'): Promise<AxeViolation[]> {
  const order = ['minor', 'moderate', 'serious', 'critical'];
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource() });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (ctx: Document) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => order.indexOf(v.impact ?? 'minor') >= order.indexOf(minimum));
}
