import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import type { Page } from 'playwright-core';
import { Appliance } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import { UNMETERED_DISK } from '../helpers/test-appliance.ts';
import { createTestDatabase } from '../helpers/test-database.ts';
import type { TestDatabase } from '../helpers/test-database.ts';
import { Person, until } from './web-harness.ts';

/**
 * The appliance as `npm start` runs it with the demo sign-in (on a test database of its own): the
 * sign-in screen, the language switch, keyboard-only use, and the server's refusals in its words.
 */
let database: TestDatabase;
let dataDir: string;
let appliance: Appliance;
let person: Person;

test.before(async () => {
  database = await createTestDatabase(import.meta.filename);
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'appliance-web-'));
  appliance = await Appliance.start(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: database.url, DATA_DIR: dataDir, DEMO: 'true', ...UNMETERED_DISK }), { timerPeriodMs: 200 });
  person = await Person.open(appliance.url, null);
});

test.after.always(async () => {
  await person?.close();
  await appliance?.stop();
  await database?.drop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** Presses Tab until the focus is on the element named `name` (a person tabbing along the page). */
async function tabTo(page: Page, name: string | RegExp): Promise<void> {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? `${el.getAttribute('aria-label') ?? ''}|${el.textContent ?? ''}|${el.id}` : '';
    });
    if (typeof name === 'string' ? focused.includes(name) : name.test(focused)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

/** The focused element has a visible outline: a keyboard user sees where they are. */
async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const style = getComputedStyle(document.activeElement!);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  });
}

test.serial('/demo opens the sign-in screen with the demo users; one signs in with the keyboard alone', async (t) => {
  const { page } = person;
  await page.goto('/demo');
  await page.getByRole('heading', { name: 'Вход' }).waitFor();
  t.is(await page.locator('.demo-user').count(), 5);
  await person.screenshot('sign-in');
  await tabTo(page, 'Алиса Петрова');
  t.true(await focusIsVisible(page));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Конференции' }).waitFor();
  await page.getByText('Вы вошли как Алиса Петрова (Демо: корпоративный сервер)').waitFor();
});

test.serial('with the keyboard alone: create a conference, start, pause from the timer, leave finishing the recording', async (t) => {
  const { page } = person;
  await tabTo(page, 'new-title');
  await page.keyboard.type('Клавиатура');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/c\//);

  await tabTo(page, 'Меню конференции');
  await page.keyboard.press('Enter');
  t.true(await focusIsVisible(page));
  await page.keyboard.press('ArrowDown');
  t.is(await page.evaluate(() => document.activeElement?.textContent), 'Начать запись');
  await page.keyboard.press('Enter');
  await person.timer.waitFor();

  // The timer is the first stop of the Tab order; focusing it shows its controls, as hovering does.
  await page.locator('body').focus();
  await tabTo(page, 'Идет запись');
  t.true(await focusIsVisible(page));
  await page.keyboard.press('Tab');
  t.is(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Поставить запись на паузу');
  await page.keyboard.press('Enter');
  await page.locator('.timer.timer-paused').waitFor();

  // Switching the language in the conference keeps it going: the same timer, in English.
  await page.getByRole('button', { name: 'English' }).click();
  t.is(await person.timer.getAttribute('aria-label'), 'Recording paused');
  await page.getByRole('button', { name: 'Leave conference' }).waitFor();
  await page.getByRole('button', { name: 'Русский' }).click();

  await tabTo(page, 'Покинуть конференцию');
  await page.keyboard.press('Enter');
  const leave = person.dialog('Покинуть конференцию?');
  await leave.waitFor();
  await page.keyboard.press('Escape');
  await leave.waitFor({ state: 'detached' });
  t.true(await person.timer.isVisible(), 'Escape keeps the user in the conference');
  await page.getByRole('button', { name: 'Покинуть конференцию' }).focus();
  await page.keyboard.press('Enter');
  await leave.getByLabel('Завершить запись').waitFor();
  t.is(await page.evaluate(() => document.activeElement?.id), 'leave-stop-recording', 'the dialog takes the focus');
  await page.keyboard.press('Space');
  await tabTo(page, 'Покинуть конференцию');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/$/);
  const recordings = await page.evaluate(async () => {
    const list = await (await fetch('/api/conferences', { headers: { Authorization: `Bearer ${localStorage.getItem('appliance.token')}` } })).json();
    const id = list.completed[0].id;
    return (await fetch(`/api/conferences/${id}/recordings`, { headers: { Authorization: `Bearer ${localStorage.getItem('appliance.token')}` } })).json();
  });
  t.is(recordings[0].stopReason, 'leave');
});

test.serial('the interface switches to English, keeps it after a reload, and switches back', async (t) => {
  const { page } = person;
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Conferences' }).waitFor();
  t.true(await page.getByRole('heading', { name: 'Completed' }).isVisible());
  t.is(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.reload();
  await page.getByRole('button', { name: 'Create conference' }).waitFor();
  await person.screenshot('list-english');
  await page.getByRole('button', { name: 'Русский' }).click();
  await page.getByRole('heading', { name: 'Завершенные' }).waitFor();
});

test.serial('a refusal is shown in the server\'s own words', async (t) => {
  const { page } = person;
  await page.getByLabel('Название новой конференции').fill('   ');
  await page.getByRole('button', { name: 'Создать конференцию' }).click();
  const refusal = page.locator('.notice-error', { hasText: 'Сервер отказал' });
  await refusal.waitFor();
  t.regex((await refusal.textContent())!, /^Сервер отказал: .*title/);
});

test.serial('two windows of one browser can be two people (as in the README\'s demo)', async (t) => {
  const second = await person.openWindow();
  try {
    await second.goto('/demo');
    await second.getByRole('button', { name: /Борис Смирнов/ }).click();
    await second.getByText('Вы вошли как Борис Смирнов').waitFor();
    await person.page.reload();
    await person.page.getByText('Вы вошли как Алиса Петрова').waitFor();
    t.pass();
  } finally {
    await second.close();
  }
});

test.serial('a token the appliance no longer accepts leads back to the sign-in, saying why', async (t) => {
  const { page } = person;
  await page.evaluate(() => {
    sessionStorage.setItem('appliance.token', 'not-a-token');
    localStorage.setItem('appliance.token', 'not-a-token');
  });
  await page.reload();
  await page.getByRole('heading', { name: 'Вход' }).waitFor();
  await page.locator('.notice', { hasText: 'Сессия истекла' }).waitFor();
  t.is(await until('the token', () => page.evaluate(() => sessionStorage.getItem('appliance.token') ?? localStorage.getItem('appliance.token')), (token) => token === null), null);
});
