import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../helpers/chromium.ts';

// AdminJS bundles the console's components at the first request for them, into ADMIN_JS_TMP_DIR,
// which it reads once on import: a folder of this test's own, set before the appliance is imported,
// so the bundle is always built from the components under test and never shared with another run.
const bundleDir = await fs.mkdtemp(path.join(os.tmpdir(), 'console-bundle-'));
process.env.ADMIN_JS_TMP_DIR = bundleDir;
const { TestAppliance } = await import('../helpers/test-appliance.ts');
const { consoleAccount, finishedRecording } = await import('./helpers.ts');

const app = TestAppliance.forFile(test, import.meta.filename);
test.after.always(() => fs.rm(bundleDir, { recursive: true, force: true }));

const ARTIFACTS = path.resolve('test-artifacts');

test('Chromium signs in, shows the dashboard and a recording with its files (screenshots in test-artifacts/)', async (t) => {
  const a = app();
  const account = await consoleAccount(a, 'admin');
  const { recordingId } = await finishedRecording(a, 'Квартальный отчёт', [
    { name: 'video.mp4', kind: 'video', bytes: 3_500_000, codecs: ['hevc', 'aac'] },
    { name: 'audio.m4a', kind: 'audio', bytes: 420_000, codecs: ['aac'] },
  ]);
  await fs.mkdir(ARTIFACTS, { recursive: true });
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'console-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1400, height: 1400 }, locale: 'en-US' });
  try {
    // Offline: the pages' web fonts are refused at once instead of waiting for a network.
    await browser.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${a.url}/admin/login`);
    await page.fill('input[name=email]', account.email);
    await page.fill('input[name=password]', account.password);
    await page.click('button');
    await page.waitForURL(`${a.url}/admin`);
    await page.getByTestId('days-left').waitFor({ timeout: 60_000 });
    t.true(await page.getByText('Состояние устройства').isVisible(), 'Russian, whatever the browser language');
    t.true(await page.getByText('Идущие конференции').isVisible());
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-dashboard.png'), fullPage: true });

    await page.goto(`${a.url}/admin/resources/Recording/records/${recordingId}/show`);
    const files = page.getByTestId('recording-files');
    await files.waitFor();
    t.true(await files.getByText('video.mp4').isVisible());
    t.true(await files.getByText('hevc, aac').isVisible());
    t.is(await files.getByRole('link', { name: 'Скачать' }).count(), 2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-recording.png'), fullPage: true });

    await page.goto(`${a.url}/admin?lang=en`);
    await page.getByText('Appliance status').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-dashboard-en.png'), fullPage: true });
  } finally {
    await browser.close();
    await fs.rm(profile, { recursive: true, force: true });
  }
});
