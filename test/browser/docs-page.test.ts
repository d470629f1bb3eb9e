/**
 * The docs page in real Chromium: every operation of every document rendered, a Try-it per vendor
 * answered with the vendor's success code (Finext's signed by the page), nothing fetched from another
 * origin, and an admin token the person types rather than one in a URL.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox.js';
import { accessibilityViolations, describeBrowser, screenshot } from '../helpers/browser.js';
import { T0 } from '../helpers/sandbox.js';

// A browser on a shared machine: each test loads the renderer's 1.7 MB bundle several times.
vi.setConfig({ testTimeout: 60_000 });

const TOKEN = 'docs-page-admin-token-0123456789';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

interface Opened {
  page: Page;
  context: BrowserContext;
  /** Every request the page tried to send to another origin (each was aborted). */
  offOrigin: string[];
  /** Uncaught errors in the page, and what its policy refused. */
  errors: string[];
}

async function openDocs(context: BrowserContext, base: string, query = ''): Promise<Opened> {
  const offOrigin: string[] = [];
  const origin = new URL(base).origin;
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    offOrigin.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The page's Content-Security-Policy refusing something the renderer needed shows as a console error.
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  await page.goto(`${base}/__sandbox/docs${query}`);
  return { page, context, offOrigin, errors };
}

/** `post /card/topup`, for every operation the document has (its paths, not its webhooks). */
function operationsOf(document: { paths?: Record<string, Record<string, unknown>>; webhooks?: Record<string, unknown> }): string[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) => METHODS.filter((m) => m in item).map((m) => `${m} ${path}`));
}

async function renderedOperations(page: Page): Promise<string[]> {
  return page.$$eval('.opblock-tag-section .opblock', (blocks) =>
    blocks.map((b) => {
      const method = /opblock-(get|put|post|delete|patch|head|options|trace)\b/.exec(b.className)?.[1] ?? '?';
      return `${method} ${b.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '?'}`;
    }),
  );
}

/** Opens one operation, presses Try it out, lets `edit` change the body, executes, and returns the response panel's status and body. */
async function tryIt(page: Page, path: string, edit?: (body: Record<string, unknown>) => Record<string, unknown>) {
  const block = page.locator('.opblock-tag-section .opblock', { has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
  await block.locator('.opblock-summary').first().click();
  await block.locator('.try-out__btn').click();
  let sent: Record<string, unknown> | undefined;
  const textarea = block.locator('textarea.body-param__text');
  if ((await textarea.count()) > 0) {
    sent = JSON.parse(await textarea.inputValue()) as Record<string, unknown>;
    if (edit) {
      sent = edit(sent);
      await textarea.fill(JSON.stringify(sent, null, 2));
    }
  }
  await block.locator('button.execute').click();
  const status = block.locator('.live-responses-table .response .response-col_status');
  await status.waitFor();
  const body = await block
    .locator('.live-responses-table .response-col_description pre.microlight, .live-responses-table .response-col_description pre')
    .first()
    .textContent();
  return { prefilled: sent, status: Number((await status.textContent())?.trim()), body: JSON.parse(body ?? 'null') as Record<string, unknown> };
}

describeBrowser('the docs page', (browser) => {
  let sb: Sandbox;
  let base: string;
  let documents: Array<{ vendor: string; title: string }>;

  beforeAll(async () => {
    sb = await createSandbox({ db: ':memory:', logLevel: 'silent', frozenAt: T0 });
    base = await sb.listen(0);
    documents = ((await (await fetch(`${base}/__sandbox/openapi`)).json()) as { documents: typeof documents }).documents;
  });
  afterAll(async () => {
    await sb.close();
  });

  it('renders every operation and webhook of every document, the selector switching between them, with nothing fetched from another origin', async () => {
    const context = await browser().newContext();
    try {
      const { page, offOrigin, errors } = await openDocs(context, base);
      const options = await page.$$eval('#sandbox-document option', (o) => o.map((x) => (x as HTMLOptionElement).value));
      expect(options).toEqual(documents.map((d) => d.vendor));
      expect(options).toEqual(['onerway', 'finext', 'openapi-cn', 'control-plane']);
      for (const { vendor } of documents) {
        const document = (await (await fetch(`${base}/__sandbox/openapi/${vendor}`)).json()) as Parameters<typeof operationsOf>[0] & {
          info: { title: string };
        };
        await page.selectOption('#sandbox-document', vendor);
        await page.locator('.information-container .title', { hasText: document.info.title }).waitFor();
        const expected = operationsOf(document);
        expect(expected.length).toBeGreaterThan(0);
        expect((await renderedOperations(page)).sort()).toEqual(expected.sort());
        const webhooks = await page.$$eval('.webhooks .opblock .opblock-summary-path', (paths) => paths.map((p) => p.getAttribute('data-path')));
        expect(webhooks.sort()).toEqual(Object.keys(document.webhooks ?? {}).sort());
        expect(new URL(page.url()).searchParams.get('doc')).toBe(vendor);
        await screenshot(page, 'docs-page', vendor);
      }
      expect(offOrigin).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("tries one operation per vendor with the default merchants' credentials, Finext's signed by the page", async () => {
    const tenants = ((await (await fetch(`${base}/__sandbox/tenants`)).json()) as { tenants: Array<{ id: string; credentials: Record<string, string> }> })
      .tenants;
    const credentials = (id: string) => tenants.find((t) => t.id === id)!.credentials;
    // Without the page's policy only so that axe-core can be injected at the end; every request is still routed.
    const context = await browser().newContext({ bypassCSP: true });
    try {
      const { page, offOrigin, errors } = await openDocs(context, base, '?doc=onerway');
      await page.locator('.opblock-tag-section .opblock').first().waitFor();
      const onerway = await tryIt(page, '/common/regionList');
      expect(onerway.status).toBe(200);
      expect(onerway.body).toMatchObject({ respCode: '20000' });

      await page.selectOption('#sandbox-document', 'finext');
      await page.locator('.information-container .title', { hasText: 'Finext' }).waitFor();
      const finext = await tryIt(page, '/account/getAccountDetails', (body) => ({ ...body, username: 'lili12' }));
      expect(finext.prefilled).toMatchObject({ api_key: credentials('finext-default').api_key });
      expect(finext.body).toMatchObject({ code: 10200, data: { username: 'lili12' } });
      await screenshot(page, 'docs-page', 'finext-try-it');

      await page.selectOption('#sandbox-document', 'openapi-cn');
      await page.locator('.information-container .title', { hasText: 'OPEN-API' }).waitFor();
      const cn = credentials('openapi-cn-default');
      const openapiCn = await tryIt(page, '/wallet/list', (body) => ({ customer_id: body.customer_id, app_id: body.app_id, key: body.key }));
      const { customer_id, app_id, key } = openapiCn.prefilled!;
      expect({ customer_id: String(customer_id), app_id: String(app_id), key }).toEqual({ customer_id: cn.customer_id, app_id: cn.app_id, key: cn.key });
      expect(openapiCn.body).toMatchObject({ code: 0 });
      expect(await accessibilityViolations(page), 'with answers shown').toEqual([]);

      // The requests reached the sandbox as sent (the journal), and none went elsewhere.
      const journal = (await (await fetch(`${base}/__sandbox/requests?limit=10`)).json()) as { requests: Array<{ vendor: string; operation: string }> };
      expect(journal.requests.map((r) => r.vendor)).toEqual(expect.arrayContaining(['onerway', 'finext', 'openapi-cn']));
      expect(offOrigin).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('has no serious accessibility violation, in any document, an operation open for trying', async () => {
    // The page's policy refuses inline scripts, as axe-core is injected.
    const context = await browser().newContext({ bypassCSP: true });
    try {
      const { page, errors } = await openDocs(context, base);
      for (const { vendor } of documents) {
        const { info } = (await (await fetch(`${base}/__sandbox/openapi/${vendor}`)).json()) as { info: { title: string } };
        await page.selectOption('#sandbox-document', vendor);
        // This document's title, not the one before it (its operations would be replaced under the clicks).
        await page.locator('.information-container .title', { hasText: info.title }).waitFor();
        // An operation with parameters where there is one (the control plane's), else the first.
        const withParameters = page.locator('.opblock-tag-section .opblock', { has: page.locator('.opblock-summary-path[data-path*="{"]') });
        const first = (await withParameters.count()) > 0 ? withParameters.first() : page.locator('.opblock-tag-section .opblock').first();
        await first.locator('.opblock-summary').click();
        await first.locator('.try-out__btn').click();
        const violations = await accessibilityViolations(page);
        expect(violations, vendor).toEqual([]);
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  describeBrowser('with an admin token', (tokenBrowser) => {
    let guarded: Sandbox;
    let guardedBase: string;
    beforeAll(async () => {
      guarded = await createSandbox({ db: ':memory:', logLevel: 'silent', frozenAt: T0, adminToken: TOKEN });
      guardedBase = await guarded.listen(0);
    });
    afterAll(async () => {
      await guarded.close();
    });

    it('serves the page without the token, asks for it, and tries control-plane routes with the bearer typed in (never in a URL)', async () => {
      const context = await tokenBrowser().newContext();
      try {
        const urls: string[] = [];
        context.on('request', (r) => urls.push(r.url()));
        const { page, offOrigin, errors } = await openDocs(context, guardedBase, '?doc=control-plane');
        await expect.poll(() => page.locator('#sandbox-status').textContent()).toMatch(/admin token/);
        await page.fill('#sandbox-token-input', TOKEN);
        await page.click('#sandbox-token button');
        await page.locator('.information-container .title', { hasText: 'control plane' }).waitFor();
        const clock = await tryIt(page, '/clock');
        expect(clock.status).toBe(200);
        expect(clock.body).toEqual({ now: T0, mode: 'frozen' });
        await page.selectOption('#sandbox-document', 'finext');
        await page.locator('.information-container .title', { hasText: 'Finext' }).waitFor();
        const finext = await tryIt(page, '/account/getAccountDetails', (body) => ({ ...body, username: 'lili12' }));
        expect(finext.body).toMatchObject({ code: 10200 });
        await screenshot(page, 'docs-page', 'admin-token');
        expect(urls.filter((u) => u.includes(TOKEN))).toEqual([]);
        const kept = await page.evaluate(() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie, location.href]));
        expect(kept).not.toContain(TOKEN);
        expect(offOrigin).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
