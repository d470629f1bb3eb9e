/**
 * The dashboard in real Chromium, the journeys a QA person takes with cards and webhooks: load the
 * showcase, find a frozen card, read its timeline, unfreeze it through the vendor's API from the page,
 * advance the clock, see the settlement and its webhook; resend a failed webhook to a live receiver.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeBrowser } from '../helpers/browser.js';
import { describeStores, type StoreKind } from '../helpers/sandbox.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { dashboardPage, expectAccessible, servedSandbox, settled, shot } from './dashboard-helpers.js';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/**
 * The first journey, on either store: QA on a team's PostgreSQL sandbox clicks through the same page.
 * The docs' screenshots come from the file store's run.
 */
async function showcaseJourney(browser: Browser, store: StoreKind): Promise<void> {
  const forDocs = store === 'file';
  const { url } = await servedSandbox();
  receiver = await startReceiver();
  const d = await dashboardPage(browser, url);
  const { page } = d;

  await d.open('', 'Overview');
  await expectAccessible(page);
  await shot(page, 'showcase', '1-overview', forDocs);

  await d.open('scenarios', 'Scenarios');
  await page.getByRole('button', { name: 'Load showcase' }).click();
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loaded scenario showcase' }).count()).toBe(1);
  await expectAccessible(page);
  await shot(page, 'showcase', '2-scenarios', forDocs);

  // The merchant settles operate records a minute later and has a webhook receiver, so the clock's step
  // shows: both set on the Overview, the settings by keyboard alone.
  await d.open('', 'Overview');
  const merchant = page.locator('tr[data-tenant="onerway-default"]');
  const toggle = page.getByRole('button', { name: '2 settings of onerway-default' });
  await toggle.focus();
  await page.keyboard.press('Enter');
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  const delay = page.locator('tr[data-settings="onerway-default"] [data-setting="settleDelayMs"]');
  expect(await delay.locator('.setting-doc').innerText()).toMatch(/an integer ≥ 0; default 0\. how long an operate record stays P before it settles/);
  await page.getByRole('button', { name: 'Change settleDelayMs of onerway-default' }).press('Enter');
  const input = page.getByLabel('settleDelayMs of onerway-default', { exact: true });
  await expect.poll(() => input.evaluate((e) => e === document.activeElement)).toBe(true);
  const refused = page.waitForRequest((r) => r.method() === 'PATCH' && r.url() === `${url}/__sandbox/tenants/onerway-default`);
  await page.keyboard.type('-5');
  await page.keyboard.press('Enter');
  expect((await refused).postDataJSON()).toEqual({ settings: { settleDelayMs: -5 } });
  // The control plane refuses it, and the page says why in the server's words.
  await expect.poll(() => delay.getByRole('alert').innerText()).toContain('settings.settleDelayMs must be an integer from 0');
  await expectAccessible(page);
  await shot(page, 'merchant-settings', '1-refused', forDocs);
  await input.fill('60000');
  await input.press('Enter');
  await expect.poll(() => delay.getByRole('status').innerText()).toBe('onerway-default: settleDelayMs is now 60000.');
  await expect.poll(() => delay.locator('.setting-value').innerText()).toBe('60000');
  const hookUrl = receiver.url;
  await page.getByRole('button', { name: 'Change the webhook URL of onerway-default' }).click();
  await page.getByLabel('Webhook URL of onerway-default', { exact: true }).fill(hookUrl);
  await merchant.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => merchant.getByText(hookUrl, { exact: true }).count()).toBe(1);
  await expectAccessible(page);
  await shot(page, 'merchant-settings', '2-changed', forDocs);
  const tenants = (await (await fetch(`${url}/__sandbox/tenants`)).json()) as { tenants: Array<{ id: string; settings: unknown; webhookUrl: string }> };
  expect(tenants.tenants.find((t) => t.id === 'onerway-default')).toMatchObject({ settings: { settleDelayMs: 60_000 }, webhookUrl: hookUrl });

  await d.open('cards', 'Cards');
  await page.getByLabel('Vendor', { exact: true }).selectOption('onerway');
  await page.getByLabel('State', { exact: true }).fill('FROZEN');
  await page.getByLabel('State', { exact: true }).press('Enter');
  await expect.poll(() => page.locator('table.cards tbody tr').count()).toBe(1);
  const row = page.locator('table.cards tbody tr');
  expect(await row.getAttribute('data-state')).toBe('FROZEN');
  expect(await row.locator('.badge').innerText()).toBe('FROZEN');
  await expectAccessible(page);
  await shot(page, 'showcase', '3-frozen-cards', forDocs);

  await row.getByRole('link').click();
  await expect.poll(() => page.getByRole('heading', { level: 1, name: 'onerway card 100002' }).count()).toBe(1);
  await settled(page);
  const timeline = page.locator('table.timeline');
  await expect.poll(() => timeline.locator('tr[data-kind="transition"]').filter({ hasText: 'FREEZE' }).count()).toBe(1);
  await expectAccessible(page);
  await shot(page, 'showcase', '4-card-timeline', forDocs);

  const operate = page.waitForRequest((r) => r.url() === `${url}/api/v1/merchant/card/operate`);
  await page.getByRole('button', { name: /^Unfreeze/ }).click();
  const sent = await operate;
  expect(sent.headers()['apikey']).toBe('onerway-test-apikey-0001');
  expect(sent.postDataJSON()).toMatchObject({ cardId: 100002, type: 'UNFREEZE' });
  await expect.poll(() => page.getByRole('status').filter({ hasText: 'operate answered HTTP 200' }).count()).toBe(1);
  // Pending until the clock moves: still frozen, with the UNFREEZE record among the pending ones.
  await expect.poll(() => page.locator('.summary .badge').first().innerText()).toBe('FROZEN');
  await expect.poll(() => timeline.locator('tr[data-kind="request"]').filter({ hasText: 'card/operate' }).count()).toBe(1);
  await shot(page, 'showcase', '5-unfreeze-sent', forDocs);

  await d.open('', 'Overview');
  await page.getByLabel('Advance by').fill('2m');
  await page.getByRole('button', { name: 'Advance', exact: true }).click();
  await expect.poll(() => page.locator('.ran').innerText()).toContain('The clock moved');
  // What fell due: the UNFREEZE record's settlement, then its webhook, delivered to the receiver.
  await expect.poll(() => page.locator('.ran-list [data-ran="settlement"]').filter({ hasText: 'onerway.settleOperateRecord' }).count()).toBeGreaterThan(0);
  await expect.poll(() => page.locator('.ran-list [data-ran="webhook"]').filter({ hasText: 'delivered' }).count()).toBeGreaterThan(0);
  await shot(page, 'showcase', '6-clock-advanced', forDocs);

  const [hook] = await receiver.waitFor(1);
  expect(hook.json).toMatchObject({ event_type: 'issuing.cardOperateEvent', data: { cardId: 100002, type: 'UNFREEZE', status: 'S' } });

  await page.goBack();
  await page.goBack();
  await page.goto(`${url}/__sandbox/ui#/cards/onerway/100002?tenant=onerway-default`);
  await settled(page);
  await expect.poll(() => page.locator('.summary .badge').first().innerText()).toBe('ACTIVE');
  await expect.poll(() => timeline.locator('tr[data-kind="transition"]').filter({ hasText: 'UNFREEZE' }).count()).toBe(1);
  await expect.poll(() => timeline.locator('tr[data-kind="webhook"]').filter({ hasText: 'delivered' }).count()).toBeGreaterThan(0);
  await expectAccessible(page);
  await shot(page, 'showcase', '7-settled-with-webhook', forDocs);

  expect(d.foreign).toEqual([]);
  expect(d.errors).toEqual([]);
}

describeBrowser('dashboard: cards and webhooks', (browser) => {
  describeStores('the showcase journey', (store) => {
    it('loads the showcase, finds a frozen card, unfreezes it through the vendor API, advances the clock and shows the settlement and its webhook', async () => {
      await showcaseJourney(browser(), store);
    }, 120_000);
  });

  it("changes Finext and OPEN-API cards' states through their own APIs from the page: Finext's request signed with its MD5 sign", async () => {
    const { url } = await servedSandbox();
    await fetch(`${url}/__sandbox/scenarios/showcase`, { method: 'POST' });
    const d = await dashboardPage(browser(), url);
    const { page } = d;
    const cases = [
      {
        vendor: 'finext',
        card: '4b7e1f659b2f413e8863ec88004ba1f8',
        tenant: 'finext-default',
        button: /^Block/,
        path: '/api/v1/card/modifyOpStatus',
        to: 'BLOCKED',
      },
      { vendor: 'openapi-cn', card: 'cid_fBWWMWm8aUUYy3sd', tenant: 'openapi-cn-default', button: /^Freeze/, path: '/v1/openApi/card/freeze', to: 'FROZEN' },
      // Activation needs the PIN the cardholder chose: typed beside the buttons.
      {
        vendor: 'finext',
        card: '6a0c7e21d8f94b53a2e4c1b9f07d3e15',
        tenant: 'finext-default',
        button: /^Activate/,
        path: '/api/v1/card/active',
        to: 'ACTIVE',
        extra: '{"pin": "4321"}',
      },
    ];
    for (const c of cases) {
      await d.open(`cards/${c.vendor}/${c.card}?tenant=${c.tenant}`, `${c.vendor} card ${c.card}`);
      const answered = page.waitForResponse((r) => r.url() === `${url}${c.path}`);
      if (c.extra) await page.getByLabel('More body fields (JSON, optional)').fill(c.extra);
      await page.getByRole('button', { name: c.button }).click();
      const answer = await answered;
      expect(answer.status()).toBe(200);
      expect(answer.headers()['x-sandbox-diagnostic']).toBeUndefined();
      expect(await answer.json()).toMatchObject(c.vendor === 'finext' ? { code: 10200 } : { code: 0 });
      if (c.vendor === 'finext')
        expect(answer.request().postDataJSON()).toMatchObject({ username: expect.any(String), sign: expect.stringMatching(/^[0-9a-f]{32}$/) });
      if (c.extra) expect(answer.request().postDataJSON()).toMatchObject(JSON.parse(c.extra) as object);
      await expect.poll(() => page.locator('.summary .badge').first().innerText()).toBe(c.to);
      await shot(page, 'vendor-changes', `${c.vendor}-${c.to.toLowerCase()}`, c.to === 'BLOCKED');
    }
    expect(d.foreign).toEqual([]);
    expect(d.errors).toEqual([]);
  }, 90_000);

  it("sends card-network events from a card's page and forces the outcome of its pending record", async () => {
    const { url } = await servedSandbox();
    await fetch(`${url}/__sandbox/scenarios/showcase`, { method: 'POST' });
    const d = await dashboardPage(browser(), url);
    const { page } = d;
    const timeline = page.locator('table.timeline');

    await d.open('cards/onerway/100001?tenant=onerway-default', 'onerway card 100001');
    await page.getByLabel('Amount (USD)').fill('12.34');
    await page.getByRole('button', { name: 'Send authorize' }).click();
    const authorized = page.getByRole('status').filter({ hasText: /Authorize 12\.34 USD: transaction \S+ approved/ });
    await expect.poll(() => authorized.count()).toBe(1);
    const txn = /transaction (\S+) approved/.exec(await authorized.innerText())![1];
    await expect.poll(() => timeline.locator('tr[data-kind="ledger"]').filter({ hasText: txn }).count()).toBeGreaterThan(0);
    // The authorization's id is filled in for the clearing.
    await page.getByLabel('Event').selectOption('clear');
    expect(await page.getByLabel('Transaction id').inputValue()).toBe(txn);
    await page.getByRole('button', { name: 'Send clear' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /^Clear 12\.34 USD: transaction \S+ approved/ })
          .count(),
      )
      .toBe(1);
    await shot(page, 'card-actions', '1-authorized-and-cleared', true);

    await d.open('cards/onerway/100002?tenant=onerway-default', 'onerway card 100002');
    const pending = page.locator('section', { has: page.getByRole('heading', { name: 'Pending records' }) });
    const id = await pending.locator('tbody tr code').first().innerText();
    await pending.getByLabel(`Outcome for operateRecord ${id}`).selectOption('failed');
    await pending.getByRole('button', { name: 'Force' }).click();
    await expect.poll(() => pending.getByText('Nothing pending on this card.').count()).toBe(1);
    const card = (await (await fetch(`${url}/__sandbox/cards/onerway/100002?tenant=onerway-default`)).json()) as { pending: unknown[] };
    expect(card.pending).toEqual([]);
    await expectAccessible(page);

    expect(d.foreign).toEqual([]);
    expect(d.errors).toEqual([]);
  }, 90_000);

  it('loads the showcase from the page and renders its cards view (times measured, not asserted)', async () => {
    const { url } = await servedSandbox();
    const d = await dashboardPage(browser(), url);
    const { page } = d;
    const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)];

    // Load: the click on "Load showcase" until the page says it is loaded.
    await d.open('scenarios', 'Scenarios');
    const loads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await page.getByRole('button', { name: 'Load showcase' }).click();
      await page.getByRole('status').filter({ hasText: 'Loaded scenario showcase' }).waitFor();
      loads.push(performance.now() - started);
      await page.getByRole('button', { name: 'Load default' }).click();
      await page.getByRole('status').filter({ hasText: 'Loaded scenario default' }).waitFor();
    }
    await page.getByRole('button', { name: 'Load showcase' }).click();
    await page.getByRole('status').filter({ hasText: 'Loaded scenario showcase' }).waitFor();

    // Render: a fresh page load of the cards view until its last row is there.
    const total = ((await (await fetch(`${url}/__sandbox/cards`)).json()) as { total: number }).total;
    const renders: number[] = [];
    for (let i = 0; i < 5; i++) {
      await page.goto('about:blank');
      const started = performance.now();
      await page.goto(`${url}/__sandbox/ui#/cards`);
      await page
        .locator('table.cards tbody tr')
        .nth(total - 1)
        .waitFor();
      renders.push(performance.now() - started);
    }
    expect(await page.locator('table.cards tbody tr').count()).toBe(total);
    const out = resolve(import.meta.dirname, '../../test-results');
    mkdirSync(out, { recursive: true });
    const figures = { cards: total, loadShowcaseMs: loads, cardsViewMs: renders, medianLoadMs: median(loads), medianCardsViewMs: median(renders) };
    writeFileSync(resolve(out, 'dashboard-timing.json'), `${JSON.stringify(figures, null, 2)}\n`);
    const shown = (ms: number[]) => `${ms.map((t) => t.toFixed(0)).join(', ')} ms (median ${median(ms).toFixed(0)} ms)`;
    console.log(`dashboard: showcase loaded from the page in ${shown(loads)}; its cards view (${total} cards) rendered in ${shown(renders)}`);
  }, 60_000);

  it('resends a failed webhook to a receiver and shows the new attempt', async () => {
    const { url } = await servedSandbox();
    await fetch(`${url}/__sandbox/scenarios/showcase`, { method: 'POST' });
    receiver = await startReceiver();
    const d = await dashboardPage(browser(), url);
    const { page } = d;

    // The merchant's webhooks go to the test's receiver from now on, set from the Overview.
    await d.open('', 'Overview');
    const merchant = page.locator('tr[data-tenant="onerway-second"]');
    await merchant.getByRole('button', { name: 'Change the webhook URL of onerway-second' }).click();
    await merchant.getByLabel('Webhook URL of onerway-second').fill(receiver.url);
    await merchant.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => merchant.locator('code').filter({ hasText: receiver!.url }).count()).toBe(1);
    const tenants = (await (await fetch(`${url}/__sandbox/tenants`)).json()) as { tenants: Array<{ id: string; webhookUrl: string | null }> };
    expect(tenants.tenants.find((t) => t.id === 'onerway-second')?.webhookUrl).toBe(receiver.url);

    await d.open('webhooks?state=failed', 'Webhooks');
    const failed = page.locator('table.webhooks tbody tr[data-state="failed"]').filter({ hasText: 'onerway-second' }).first();
    const id = await failed.getAttribute('data-delivery');
    expect(id).toMatch(/^whd_/);
    await failed.getByText(/attempts/).click();
    await expectAccessible(page);
    await shot(page, 'webhook-resend', '1-failed', true);

    await failed.getByRole('button', { name: `Resend ${id}` }).click();
    const [hook] = await receiver.waitFor(1);
    expect(hook.headers['x-signature']).toBeDefined();

    await page.getByLabel('State', { exact: true }).selectOption('delivered');
    const delivered = page.locator(`tr[data-delivery="${id}"]`);
    await expect.poll(() => delivered.getAttribute('data-state')).toBe('delivered');
    await delivered.getByText(/attempts/).click();
    await expect.poll(() => delivered.locator('.attempts li').last().innerText()).toContain(receiver.url);
    await expectAccessible(page);
    await shot(page, 'webhook-resend', '2-delivered', true);

    expect(d.foreign).toEqual([]);
    expect(d.errors).toEqual([]);
  }, 90_000);
});
