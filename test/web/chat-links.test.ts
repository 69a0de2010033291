import test from 'ava';
import { FileWritingBackend, pathOf, recordConference } from '../access/recording-fixtures.ts';
import { ManualClock, TestAppliance } from '../helpers/test-appliance.ts';
import type { TestUser } from '../helpers/test-appliance.ts';
import { Person, until } from './web-harness.ts';

/**
 * The Recordings Bot's links, opened in the web client after they have expired: the chat of a live
 * conference and of one under «Завершенные» shows links that work, though nothing was re-posted.
 * The appliance's clock is moved past the links' life instead of waiting a week.
 */
const clock = new ManualClock(Date.now());
const backend = new FileWritingBackend(() => app().appliance.config.recordingsDir);
const app = TestAppliance.forFile(test, import.meta.filename, { clock: clock.now, backend });

const linkLifeMs = () => app().appliance.config.downloads.linkTtlHours * 3_600_000;

/** The links the bot's messages show in the person's chat, in order. */
function shownLinks(person: Person): Promise<string[]> {
  return person.page.locator('.chat-bot a').evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
}

/** What a download of each link answers, fetched by the person's browser. */
async function statuses(person: Person, links: string[]): Promise<number[]> {
  return Promise.all(links.map(async (url) => (await person.page.request.get(app().url + pathOf(url))).status()));
}

async function open(sub: string, name: string): Promise<{ user: TestUser; person: Person }> {
  const user = await app().user(app().servers.corporate, sub, name);
  return { user, person: await Person.open(app().url, user) };
}

test.serial('a finished conference opened from «Завершенные» shows working links once the posted ones have expired', async (t) => {
  const alice = await app().user(app().servers.corporate, 'alice-ended', 'Алиса');
  const boris = await open('boris-ended', 'Борис');
  try {
    const { conferenceId, links } = await recordConference(app(), alice, [boris.user], 'Прошлая неделя');
    for (const user of [alice, boris.user]) await app().as(user).post(`/api/conferences/${conferenceId}/leave`, {}).expect(200);
    clock.advance(linkLifeMs() + 60_000);
    t.deepEqual(await statuses(boris.person, links), [410, 410], 'the posted links have expired');

    await boris.person.page.goto('/');
    const completed = boris.person.page.locator('section', { has: boris.person.page.getByRole('heading', { name: 'Завершенные' }) });
    await completed.getByRole('link', { name: 'Прошлая неделя' }).click();
    const shown = await until('the links in the chat', () => shownLinks(boris.person), (urls) => urls.length === 2);
    t.notDeepEqual(shown, links);
    t.deepEqual(await statuses(boris.person, shown), [200, 200]);
  } finally {
    await boris.person.close();
  }
});

test.serial('in a live conference, opening the chat gives working links for a recording whose posted links have expired', async (t) => {
  const alice = await app().user(app().servers.corporate, 'alice-live', 'Алиса');
  const boris = await open('boris-live', 'Борис');
  try {
    const { conferenceId, links } = await recordConference(app(), alice, [boris.user], 'Идёт неделю');
    await boris.person.page.goto(`/#/c/${conferenceId}`);
    await boris.person.openPanel('chat');
    t.deepEqual(await until('the posted links', () => shownLinks(boris.person), (urls) => urls.length === 2), links);
    await boris.person.page.getByRole('button', { name: 'Закрыть панель' }).click();

    clock.advance(linkLifeMs() + 60_000);
    await boris.person.openPanel('chat');
    const shown = await until('renewed links in the chat', () => shownLinks(boris.person), (urls) => urls.length === 2 && urls.every((url) => !links.includes(url)));
    t.deepEqual(await statuses(boris.person, shown), [200, 200]);
    t.deepEqual(await statuses(boris.person, links), [410, 410]);
  } finally {
    await boris.person.close();
  }
});

test.serial('someone who was not in the conference gets no links from its chat', async (t) => {
  const alice = await app().user(app().servers.corporate, 'alice-outsider', 'Алиса');
  const carol = await app().user(app().servers.corporate, 'carol-outsider', 'Карина');
  const { conferenceId } = await recordConference(app(), alice, [], 'Чужая');
  clock.advance(linkLifeMs() + 60_000);
  const refused = await app().as(carol).get(`/api/conferences/${conferenceId}/chat`).expect(403);
  t.false(JSON.stringify(refused.body).includes('/d/'));
});
