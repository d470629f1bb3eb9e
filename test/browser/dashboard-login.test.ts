/**
 * The dashboard of a sandbox with an admin token, in real Chromium: nothing but a login prompt until the
 * token is given, by keyboard; the token kept for the tab (never in a URL); the views reached by keyboard.
 */
import { expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { dashboardPage, expectAccessible, servedSandbox, settled, shot } from './dashboard-helpers.js';

const TOKEN = 'dashboard-admin-token-0001';

describeBrowser('dashboard: admin token', (browser) => {
  it('shows only a login prompt, refuses a wrong token, opens with the right one and keeps it for the tab only', async () => {
    const { url } = await servedSandbox({ adminToken: TOKEN });
    const d = await dashboardPage(browser(), url);
    const { page } = d;
    const seen: string[] = [];
    page.on('request', (r) => seen.push(r.url()));

    await page.goto(`${url}/__sandbox/ui`);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'card-sandbox dashboard' }).count()).toBe(1);
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await page.getByRole('table').count()).toBe(0);
    await expectAccessible(page);
    await shot(page, 'login', '1-prompt', true);

    await page.getByLabel('Admin token').focus();
    await page.keyboard.type('not-the-token');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'not the admin token' }).count()).toBe(1);
    expect(await page.getByRole('navigation').count()).toBe(0);
    await shot(page, 'login', '2-wrong-token');

    await page.getByLabel('Admin token').fill(TOKEN);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Overview' }).count()).toBe(1);
    await settled(page);
    await expectAccessible(page);
    await shot(page, 'login', '3-overview');
    expect(await page.evaluate(() => sessionStorage.getItem('card-sandbox.admin-token'))).toBe(TOKEN);

    // Kept for the tab: a reload opens the dashboard without asking again.
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Overview' }).count()).toBe(1);
    expect(seen.filter((u) => u.includes(TOKEN))).toEqual([]);
    expect(d.foreign).toEqual([]);
    expect(d.errors).toEqual([]);
  }, 60_000);

  it('reaches every view by keyboard from the navigation, each passing the accessibility check', async () => {
    const { url } = await servedSandbox();
    const d = await dashboardPage(browser(), url);
    const { page } = d;
    await d.open('', 'Overview');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    for (const view of ['Scenarios', 'Cards', 'Webhooks', 'Requests', 'Faults', 'Overview']) {
      const link = page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view });
      await link.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('heading', { level: 1, name: view }).count()).toBe(1);
      // The view's heading takes the focus, so a screen reader announces the view.
      await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
      expect(await link.getAttribute('aria-current')).toBe('page');
      await settled(page);
      await expectAccessible(page);
    }
    expect(d.errors).toEqual([]);
  }, 60_000);
});
