import test from 'ava';
import { FileWritingBackend } from '../access/recording-fixtures.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { TestUser } from '../helpers/test-appliance.ts';
import { Person, PHONE, until } from './web-harness.ts';

/**
 * The manual's chapter 1, walked in the web client by three people in three browsers: Алиса and
 * Борис, admins of the corporate server, and Роман of the regional server (on a phone), whom Алиса
 * makes an admin at the end. Each step is a test; they run in order on one conference.
 */
let appliance: TestAppliance;
let users: Record<'alice' | 'boris' | 'roman', TestUser>;
let alice: Person;
let boris: Person;
let roman: Person;
let conferenceId = '';

test.before(async () => {
  const backend = new FileWritingBackend(() => appliance.appliance.config.recordingsDir);
  appliance = await TestAppliance.start(import.meta.filename, { backend });
  const { corporate, regional } = appliance.servers;
  users = {
    alice: await appliance.user(corporate, 'alice', 'Алиса Петрова'),
    boris: await appliance.user(corporate, 'boris', 'Борис Смирнов'),
    roman: await appliance.user(regional, 'roman', 'Роман Регионов'),
  };
  const url = appliance.url;
  [alice, boris, roman] = await Promise.all([Person.open(url, users.alice), Person.open(url, users.boris), Person.open(url, users.roman, { viewport: PHONE })]);
});

test.after.always(async () => {
  await Promise.all([alice, boris, roman].map((person) => person?.close()));
  await appliance?.stop();
});

const everyone = () => [alice, boris, roman];

async function timerText(person: Person): Promise<string> {
  return (await person.timer.locator('.timer-time').textContent()) ?? '';
}

async function tiles(person: Person, count: number): Promise<void> {
  await until(`${person.name}'s tiles`, () => person.page.locator('.tile').count(), (n) => n === count);
}

/** Notices come and go (a newer one may replace it at once): this asks whether it was shown at all. */
async function noticeSays(person: Person, text: string): Promise<void> {
  await until(`the notices ${person.name} saw`, () => person.noticesShown(), (shown) => shown.some((notice) => notice.includes(text)));
}

async function makeAdmin(by: Person, name: string): Promise<void> {
  await by.openPanel('participants');
  await by.participant(name).getByRole('button', { name: /Действия/ }).click();
  await by.page.getByRole('menuitem', { name: 'Сделать администратором' }).click();
}

test.serial('Алиса creates the conference from the list; Борис and Роман join by its link; she makes Борис an admin', async (t) => {
  await appliance.as(users.alice).post('/api/conferences', { title: 'Еженедельный обзор' }).expect(201);
  await alice.page.goto('/');
  await alice.page.getByRole('heading', { name: 'Завершенные' }).waitFor();
  await alice.page.getByRole('link', { name: 'Еженедельный обзор' }).waitFor();
  await alice.page.getByLabel('Название новой конференции').fill('Планёрка');
  await alice.page.getByRole('button', { name: 'Создать конференцию' }).click();
  await alice.page.waitForURL(/#\/c\/[0-9a-f-]{36}$/);
  conferenceId = alice.page.url().split('/c/')[1]!;
  await Promise.all([boris.page.goto(`/#/c/${conferenceId}`), roman.page.goto(`/#/c/${conferenceId}`)]);
  for (const person of everyone()) await tiles(person, 3);

  await makeAdmin(alice, 'Борис Смирнов');
  await boris.participant('Борис Смирнов').getByText('администратор').waitFor();
  await noticeSays(alice, 'Борис Смирнов теперь администратор');
  // A participant is offered no «Сделать администратором»; an admin is, beside everyone who is not one yet.
  await roman.openPanel('participants');
  t.is(await roman.page.locator('.participant-menu:not([hidden])').count(), 0);
  t.is(await boris.page.locator('.participant-menu:not([hidden])').count(), 1);
  await roman.page.getByRole('button', { name: 'Закрыть панель' }).click();
  // Nor is a participant offered recording: only the admins who may control it are.
  await roman.page.getByRole('button', { name: 'Меню конференции' }).click();
  t.deepEqual(await roman.page.getByRole('menuitem').allTextContents(), ['Скопировать ссылку']);
  await roman.page.keyboard.press('Escape');
});

test.serial('an open menu stays open while the conference changes under it: someone joins and leaves', async (t) => {
  const dina = await appliance.user(appliance.servers.corporate, 'dina', 'Дина Орлова');
  await alice.openPanel('participants');
  await alice.participant('Роман Регионов').getByRole('button', { name: /Действия/ }).click();
  const entry = alice.page.getByRole('menuitem', { name: 'Сделать администратором' });
  await entry.waitFor();
  // Дина's row comes in above Роман's, so his row moves while his menu is open; then she leaves.
  await appliance.as(dina).post(`/api/conferences/${conferenceId}/join`).expect(200);
  await alice.participant('Дина Орлова').getByText('участник').waitFor();
  t.true(await entry.isVisible(), 'open after Дина joined');
  await appliance.as(dina).post(`/api/conferences/${conferenceId}/leave`, {}).expect(200);
  await alice.participant('Дина Орлова').getByText('вышел').waitFor();
  t.true(await entry.isVisible(), 'open after Дина left');
  t.true(await entry.evaluate((element) => element === document.activeElement), 'the focus stayed on the entry');
  // Escape closes the menu, and only the menu: the panel stays open.
  await alice.page.keyboard.press('Escape');
  await entry.waitFor({ state: 'hidden' });
  t.is(await alice.page.locator('[data-panel="participants"]').getAttribute('aria-expanded'), 'true');
  for (const person of everyone()) await tiles(person, 3);
});

test.serial('media flows both ways: every browser decodes the others\' video and receives their audio', async (t) => {
  for (const person of everyone()) {
    const others = everyone().filter((p) => p !== person).map((p) => p.name);
    const streams = (media: Awaited<ReturnType<Person['receivedMedia']>>, kind: string) => media.inbound.filter((s) => s.kind === kind && s.bytes > 1000).length;
    const first = await until(
      `what ${person.name} receives`,
      () => person.receivedMedia(),
      (media) => others.every((name) => media.framesByName[name]! > 0) && streams(media, 'audio') >= 2 && streams(media, 'video') >= 2,
      30_000,
    );
    // Frames keep coming from everyone: each count grows between two looks. A busy machine may
    // decode nothing for a second, so the test looks again rather than once after a fixed wait.
    const growing = new Set<string>();
    let previous = first.framesByName;
    await until(
      `${person.name} keeps receiving frames from ${others.join(' and ')}`,
      () => person.receivedMedia(),
      (media) => {
        for (const name of others) if (media.framesByName[name]! > previous[name]!) growing.add(name);
        previous = media.framesByName;
        return growing.size === others.length;
      },
      20_000,
    );
    for (const name of others) t.true(growing.has(name), `${person.name} keeps receiving frames from ${name}`);
  }
  await roman.screenshot('conference-phone');
});

test.serial('Алиса turns her camera and microphone off and on: the others see it on her tile', async (t) => {
  const tileAtBoris = boris.tile('Алиса Петрова');
  await alice.page.getByRole('button', { name: 'Выключить камеру' }).click();
  await alice.page.getByRole('button', { name: 'Выключить микрофон' }).click();
  await boris.page.locator('.tile.camera-off', { hasText: 'Алиса Петрова' }).waitFor();
  await tileAtBoris.getByRole('img', { name: 'Микрофон выключен' }).waitFor();
  t.true(await alice.page.locator('.tile-self.camera-off').isVisible(), 'her own preview shows it too');
  await alice.page.getByRole('button', { name: 'Включить камеру' }).click();
  await alice.page.getByRole('button', { name: 'Включить микрофон' }).click();
  await boris.page.locator('.tile.has-video', { hasText: 'Алиса Петрова' }).waitFor();
  await tileAtBoris.getByRole('img', { name: 'Микрофон выключен' }).waitFor({ state: 'hidden' });
});

test.serial('«Начать запись»: the timer appears top-left; Борис confirms, Роман is asked for consent and leaves instead', async (t) => {
  await alice.conferenceMenu('Начать запись');
  for (const person of everyone()) await person.timer.waitFor();
  const confirm = boris.dialog('Подтвердите участие в записи');
  await confirm.waitFor();
  await boris.screenshot('confirm-dialog');
  await confirm.getByRole('button', { name: 'Согласен на запись' }).click();
  await confirm.waitFor({ state: 'detached' });

  const consent = roman.dialog('Идет запись конференции');
  await consent.waitFor();
  // It must be answered: Escape, even twice (when the browser insists on closing), does not put it away.
  await roman.page.keyboard.press('Escape');
  await roman.page.keyboard.press('Escape');
  await roman.page.waitForTimeout(300);
  t.true(await consent.getByRole('button', { name: 'Покинуть конференцию' }).isVisible());
  await roman.screenshot('consent-dialog-phone');
  await consent.getByRole('button', { name: 'Покинуть конференцию' }).click();
  // The conference window closes.
  await roman.page.waitForURL(/#\/$/);
  await noticeSays(roman, 'Вы отказались от участия в записи');
  await roman.screenshot('list-phone');
  await tiles(alice, 2);
  await alice.participant('Роман Регионов').getByText('вышел').waitFor();
});

test.serial('Роман rejoins from the list and agrees; he is back in the media', async (t) => {
  await roman.page.getByRole('link', { name: 'Планёрка' }).click();
  const consent = roman.dialog('Идет запись конференции');
  await consent.getByRole('button', { name: 'Согласен на запись' }).click();
  await consent.waitFor({ state: 'detached' });
  await roman.timer.waitFor();
  await tiles(alice, 3);
  const media = await until('Роман\'s video at Алиса', () => alice.receivedMedia(), (m) => m.framesByName['Роман Регионов']! > 0, 30_000);
  t.true(media.framesByName['Роман Регионов']! > 0);
});

test.serial('«Остановить запись» in the menu; a second recording asks nobody again', async (t) => {
  await alice.conferenceMenu('Остановить запись');
  for (const person of everyone()) await person.timer.waitFor({ state: 'hidden' });
  await noticeSays(boris, 'Запись завершена');
  await alice.conferenceMenu('Начать запись');
  for (const person of everyone()) await person.timer.waitFor();
  await boris.page.waitForTimeout(1500);
  for (const person of [boris, roman]) t.is(await person.page.locator('dialog[open]').count(), 0, `${person.name} is not asked again`);
});

test.serial('pause and resume from the timer: it holds still while paused, for everyone', async (t) => {
  await boris.timer.hover();
  await boris.timer.getByRole('button', { name: 'Поставить запись на паузу' }).click();
  for (const person of everyone()) await person.page.locator('.timer.timer-paused').waitFor();
  const held = await Promise.all(everyone().map(timerText));
  await alice.page.waitForTimeout(2500);
  t.deepEqual(await Promise.all(everyone().map(timerText)), held, 'the timers hold still while paused');
  await boris.timer.getByRole('button', { name: 'Возобновить запись' }).click();
  t.not(await until('Алиса\'s timer after resuming', () => timerText(alice), (text) => text !== held[0]), held[0]);
  await alice.timer.hover();
  await alice.screenshot('conference-timer');
});

test.serial('stop from the timer (the first way)', async (t) => {
  await alice.timer.hover();
  await alice.timer.getByRole('button', { name: 'Завершить запись' }).click();
  for (const person of everyone()) await person.timer.waitFor({ state: 'hidden' });
  const stops = (await appliance.as(users.alice).get(`/api/conferences/${conferenceId}/recordings`).expect(200)).body.map((r: { stopReason: string }) => r.stopReason);
  t.deepEqual(stops, ['menu', 'timer']);
});

test.serial('leaving with «Завершить запись» (the third way); the Recordings Bot posts the links in the chat', async (t) => {
  await alice.conferenceMenu('Начать запись');
  await alice.timer.waitFor();
  await alice.page.getByRole('button', { name: 'Покинуть конференцию' }).click();
  const leave = alice.dialog('Покинуть конференцию?');
  await leave.getByLabel('Завершить запись').check();
  await alice.screenshot('leave-dialog');
  await leave.getByRole('button', { name: 'Покинуть конференцию' }).click();
  await alice.page.waitForURL(/#\/$/);
  await noticeSays(alice, 'Вы покинули конференцию «Планёрка»');
  for (const person of [boris, roman]) await person.timer.waitFor({ state: 'hidden' });

  await boris.openPanel('chat');
  // One message per recording: stopped from the menu, from the timer, by leaving.
  await until('bot messages at Борис', () => boris.page.locator('.chat-bot').count(), (n) => n === 3);
  const links = boris.page.locator('.chat-bot').last().getByRole('link');
  t.is(await links.count(), 2);
  const href = (await links.first().getAttribute('href'))!;
  const download = await boris.page.request.get(appliance.url + new URL(href).pathname);
  t.is(download.status(), 200);
  await boris.screenshot('chat-bot-message');
});

test.serial('Роман, made an admin, sees no recording controls, and the server refuses his direct attempt', async (t) => {
  await alice.page.goto(`/#/c/${conferenceId}`);
  await alice.timer.waitFor({ state: 'hidden' });
  await makeAdmin(alice, 'Роман Регионов');
  await roman.openPanel('participants');
  await roman.participant('Роман Регионов').getByText('администратор').waitFor();
  await roman.page.getByRole('button', { name: 'Закрыть панель' }).click();
  await boris.conferenceMenu('Начать запись');
  await roman.timer.waitFor();
  t.is(await roman.page.locator('dialog[open]').count(), 0, 'he agreed once: not asked again');
  await roman.timer.focus();
  t.false(await roman.timer.getByRole('button').first().isVisible(), 'no pause or stop on his timer');
  await roman.page.getByRole('button', { name: 'Меню конференции' }).click();
  t.deepEqual(await roman.page.getByRole('menuitem').allTextContents(), ['Скопировать ссылку']);
  await roman.page.keyboard.press('Escape');

  const refusal = await roman.page.evaluate(async (id) => {
    const response = await fetch(`/api/conferences/${id}/recording/pause`, { method: 'POST', headers: { Authorization: `Bearer ${localStorage.getItem('appliance.token')}` } });
    return { status: response.status, body: await response.json() };
  }, conferenceId);
  t.is(refusal.status, 403);
  t.regex(refusal.body.error.message, /regional server .* cannot control recording/);
});

test.serial('the recording ends by itself when both corporate admins leave; the completed conference opens to its links', async (t) => {
  for (const admin of [alice, boris]) {
    await admin.page.getByRole('button', { name: 'Покинуть конференцию' }).click();
    await admin.dialog('Покинуть конференцию?').getByRole('button', { name: 'Покинуть конференцию' }).click();
    await admin.page.waitForURL(/#\/$/);
  }
  await roman.timer.waitFor({ state: 'hidden' });
  await noticeSays(roman, 'покинул последний администратор, который мог управлять записью');
  // Роман may not control recording, so he is not asked how to leave.
  await roman.page.getByRole('button', { name: 'Покинуть конференцию' }).click();
  await roman.page.waitForURL(/#\/$/);

  const completed = roman.page.locator('section', { has: roman.page.getByRole('heading', { name: 'Завершенные' }) });
  await completed.getByRole('link', { name: 'Планёрка' }).click();
  await roman.page.getByText('Конференция завершена. Ссылки на записи — в чате.').waitFor();
  await until('bot messages of the completed conference', () => roman.page.locator('.chat-bot').count(), (n) => n === 4);
  t.true((await roman.page.locator('.chat-bot a[href*="/d/"]').count()) >= 8);
  await roman.screenshot('completed-conference-phone');
  await alice.page.getByRole('link', { name: 'Планёрка' }).waitFor();
  await alice.screenshot('conference-list');
});
