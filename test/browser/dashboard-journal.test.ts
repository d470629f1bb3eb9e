/**
 * The dashboard in real Chromium, the journeys around requests: create a merchant, copy its key, call the
 * vendor with it and see the call in the live journal; add a 503 fault, see a request fail, remove it.
 */
import { expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { dashboardPage, expectAccessible, servedSandbox, shot } from './dashboard-helpers.js';

const regionList = (url: string, apiKey: string) =>
  fetch(`${url}/api/v1/merchant/common/regionList`, { method: 'POST', headers: { 'content-type': 'application/json', ApiKey: apiKey }, body: '{}' });

describeBrowser('dashboard: merchants, journal and faults', (browser) => {
  it('creates a merchant, copies its key, and shows a request made with it in the live journal, the key masked', async () => {
    const { url } = await servedSandbox();
    const d = await dashboardPage(browser(), url, ['clipboard-read', 'clipboard-write']);
    const { page } = d;

    await d.open('', 'Overview');
    await page.getByLabel('Vendor', { exact: true }).selectOption('onerway');
    await page.getByRole('button', { name: 'Create merchant' }).click();
    const created = page.getByRole('status').filter({ hasText: 'Created merchant' });
    await expect.poll(() => created.count()).toBe(1);
    const id = /Created merchant (onerway-[0-9a-f]+)/.exec(await created.innerText())?.[1];
    expect(id).toBeDefined();
    const row = page.locator(`tr[data-tenant="${id}"]`);
    await expect.poll(() => row.count()).toBe(1);
    // Hidden until asked.
    expect(await row.locator('.secret code').first().innerText()).toMatch(/^•+$/);
    await row.getByRole('button', { name: `Copy ${id} apiKey` }).click();
    await expect.poll(() => row.getByRole('status').filter({ hasText: 'Copied' }).count()).toBe(1);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const tenants = (await (await fetch(`${url}/__sandbox/tenants`)).json()) as { tenants: Array<{ id: string; credentials: { apiKey: string } }> };
    expect(copied).toBe(tenants.tenants.find((t) => t.id === id)?.credentials.apiKey);
    await expectAccessible(page);
    await shot(page, 'new-merchant', '1-created-and-copied', true);

    await d.open('requests', 'Requests');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'following the journal' }).count()).toBe(1);
    expect((await regionList(url, copied)).status).toBe(200);
    const entry = page.locator(`li[data-tenant="${id}"]`);
    await expect.poll(() => entry.count(), { timeout: 10_000 }).toBe(1);
    await entry.locator('summary').click();
    const shown = await entry.innerText();
    expect(shown).toContain('/api/v1/merchant/common/regionList');
    expect(shown).toContain('"apikey": "****"');
    expect(shown).not.toContain(copied);
    await expectAccessible(page);
    await shot(page, 'new-merchant', '2-live-journal', true);

    expect(d.foreign).toEqual([]);
    expect(d.errors).toEqual([]);
  }, 90_000);

  it('adds a 503 fault, shows the request it fails, and removes it', async () => {
    const { url } = await servedSandbox();
    const d = await dashboardPage(browser(), url);
    const { page } = d;

    await d.open('faults', 'Faults');
    await expect.poll(() => page.getByText('No fault rules').count()).toBe(1);
    await page.getByLabel('Fault', { exact: true }).selectOption('http_error');
    await page.getByLabel('HTTP status').fill('503');
    await page.getByLabel('Vendor', { exact: true }).selectOption('onerway');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rule = page.locator('tr[data-fault]');
    await expect.poll(() => rule.count()).toBe(1);
    const ruleId = (await rule.getAttribute('data-fault'))!;
    expect(await rule.innerText()).toContain('503');
    await expectAccessible(page);
    await shot(page, 'fault-503', '1-rule-added', true);

    expect((await regionList(url, 'onerway-test-apikey-0001')).status).toBe(503);
    await d.open('requests', 'Requests');
    const failed = page.locator('ol.journal li').filter({ hasText: '/api/v1/merchant/common/regionList' });
    await expect.poll(() => failed.count(), { timeout: 10_000 }).toBe(1);
    expect(await failed.locator('.badge').first().innerText()).toBe('503');
    expect(await failed.locator('.badge-bad', { hasText: 'fault' }).count()).toBe(1);
    await failed.locator('summary').click();
    await expectAccessible(page);
    await shot(page, 'fault-503', '2-request-failed', true);

    await d.open('faults', 'Faults');
    await page.getByRole('button', { name: `Remove fault ${ruleId}` }).click();
    await expect.poll(() => page.getByText('No fault rules').count()).toBe(1);
    expect((await regionList(url, 'onerway-test-apikey-0001')).status).toBe(200);
    await shot(page, 'fault-503', '3-rule-removed');

    expect(d.foreign).toEqual([]);
    expect(d.errors).toEqual([]);
  }, 90_000);
});
