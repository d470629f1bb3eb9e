/**
 * The dashboard's Scenarios view in real Chromium: download a snapshot, upload it back, and upload a
 * broken pack, refused with the JSON Pointer of the value at fault while nothing changes.
 */
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { describeBrowser } from '../helpers/browser.js';
import { dashboardPage, expectAccessible, servedSandbox, shot } from './dashboard-helpers.js';

describeBrowser('dashboard: scenario packs', (browser) => {
  it('downloads a snapshot, loads it back, and shows a refused pack with the JSON Pointer of its problem', async () => {
    const { url } = await servedSandbox();
    const d = await dashboardPage(browser(), url);
    const { page } = d;
    await d.open('scenarios', 'Scenarios');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download snapshot' }).click();
    const file = await (await download).path();
    const snapshot = JSON.parse(await readFile(file, 'utf8')) as { collections: { _tenants: Array<Record<string, unknown>> } };
    expect(snapshot.collections._tenants.length).toBeGreaterThan(1);

    const before = await (await fetch(`${url}/__sandbox/snapshot`)).text();
    snapshot.collections._tenants[1].credentials = 'oops';
    await page
      .getByLabel('Pack file (JSON)')
      .setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(snapshot)) });
    await page.getByRole('button', { name: 'Upload and load' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'invalid_param' });
    await expect.poll(() => refusal.count()).toBe(1);
    expect(await refusal.locator('code.pointer').innerText()).toBe('/collections/_tenants/1/credentials');
    expect(await (await fetch(`${url}/__sandbox/snapshot`)).text()).toBe(before);
    await expectAccessible(page);
    await shot(page, 'scenarios', '1-pack-refused', true);

    await page.getByLabel('Pack file (JSON)').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload and load' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: /^Loaded / })
          .count(),
      )
      .toBe(1);

    expect(d.foreign).toEqual([]);
    expect(d.errors).toEqual([]);
  }, 60_000);
});
