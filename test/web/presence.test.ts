import test from 'ava';
import type { ExecutionContext } from 'ava';
import { FileWritingBackend } from '../helpers/file-writing-backend.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { TestUser } from '../helpers/test-appliance.ts';
import { CuttableNetwork } from './cuttable-network.ts';
import { Person, until } from './web-harness.ts';

/**
 * Leaving without «Покинуть конференцию», in real Chromium through the real server: a closed tab,
 * a killed browser, a cut network, a reload, two tabs. Алиса (the admin) and Борис each have a
 * browser in a conference of their own per test; what the appliance then did is read through the
 * API. The grace period is short so that the tests wait seconds, not half a minute; the heartbeat
 * shorter still, so that a cut network is noticed within it.
 */
const GRACE_SECONDS = 6;
const HEARTBEAT_SECONDS = 2;
const backend = new FileWritingBackend(() => app().appliance.config.recordingsDir);
const app = TestAppliance.forFile(test, import.meta.filename, {
  backend,
  environment: { PRESENCE_GRACE_SECONDS: String(GRACE_SECONDS), PRESENCE_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS) },
});

/** How long a participant's leave may take past the grace period on a busy machine. */
const SLACK_MS = 30_000;
/** How long the appliance takes to notice a network cut at most: a ping unanswered until the next. */
const CUT_NOTICED_MS = 2 * HEARTBEAT_SECONDS * 1000;

interface Participant {
  person: Person;
  user: TestUser;
  /** Their browser reaches the appliance only through it. */
  network: CuttableNetwork;
}

interface ConferenceState {
  state: 'active' | 'ended';
  participants: Array<{ name: string; present: boolean; role: string }>;
  recording: { state: string } | null;
  me: { present: boolean; role: string | null; pendingPrompt: unknown };
}

async function open(sub: string, name: string): Promise<Participant> {
  const user = await app().user(app().servers.corporate, sub, name);
  const network = await CuttableNetwork.open(app().url);
  return { person: await Person.open(network.url, user), user, network };
}

function conference(user: TestUser, id: string): Promise<ConferenceState> {
  return app().as(user).get(`/api/conferences/${id}`).expect(200).then((response) => response.body);
}

const presentNames = (view: ConferenceState) => view.participants.filter((p) => p.present).map((p) => p.name).sort();

/**
 * Алиса creates a conference and Борис joins, each in a browser of their own; she starts the
 * recording from the menu and he agrees in the dialog, as people do.
 */
async function recordedMeeting(tag: string): Promise<{ alice: Participant; boris: Participant; id: string }> {
  const alice = await open(`alice-${tag}`, 'Алиса');
  const boris = await open(`boris-${tag}`, 'Борис');
  const id = (await app().as(alice.user).post('/api/conferences', { title: `Присутствие: ${tag}` }).expect(201)).body.id as string;
  for (const { person } of [alice, boris]) await person.page.goto(`/#/c/${id}`);
  for (const { person } of [alice, boris]) await until(`${person.name}'s tiles`, () => person.page.locator('.tile').count(), (n) => n === 2, 60_000);
  await alice.person.conferenceMenu('Начать запись');
  await boris.person.dialog('Идет запись конференции').getByRole('button', { name: 'Согласен на запись' }).click();
  await until('Борис has agreed', () => conference(boris.user, id), (view) => view.me.pendingPrompt === null && view.recording?.state === 'recording', 30_000);
  return { alice, boris, id };
}

/** Waits, reading the API, until `name` is no longer present; returns the view then. */
function leaveOf(name: string, watcher: TestUser, id: string, withinMs: number): Promise<ConferenceState> {
  return until(`${name} has left`, () => conference(watcher, id), (view) => !presentNames(view).includes(name), withinMs);
}

/**
 * What follows the admin's leave: the recording stopped by itself, and the bot's message with its
 * links reaches the chat that Борис has open in his browser.
 */
async function recordingStoppedByItself(t: ExecutionContext, boris: Participant, id: string): Promise<void> {
  const recordings = (await app().as(boris.user).get(`/api/conferences/${id}/recordings`).expect(200)).body as Array<{ state: string; stopReason: string }>;
  t.is(recordings.length, 1);
  t.not(recordings[0]!.state, 'recording');
  t.is(recordings[0]!.stopReason, 'all-admins-left');
  await boris.person.openPanel('chat');
  const message = boris.person.page.locator('.chat-bot');
  await message.waitFor({ timeout: 60_000 });
  t.regex((await message.textContent()) ?? '', /Запись завершилась автоматически/);
  t.is(await message.getByRole('link').count(), 2, 'a video and an audio link');
}

/** Once nobody is left, the conference has ended and Борис finds it under «Завершенные» with the bot's message. */
async function conferenceEnded(t: ExecutionContext, boris: Participant, id: string, withinMs: number): Promise<void> {
  const ended = await until('the conference ends', () => conference(boris.user, id), (view) => view.state === 'ended', withinMs);
  t.deepEqual(presentNames(ended), []);
  const lists = (await app().as(boris.user).get('/api/conferences').expect(200)).body as { active: Array<{ id: string }>; completed: Array<{ id: string }> };
  t.true(lists.completed.some((c) => c.id === id), 'listed under «Завершенные»');
  t.false(lists.active.some((c) => c.id === id));
  const chat = (await app().as(boris.user).get(`/api/conferences/${id}/chat`).expect(200)).body as Array<{ bot: boolean; links: unknown[] }>;
  t.is(chat.filter((m) => m.bot && m.links.length === 2).length, 1, "the bot's message, once");
}

/** Why the appliance says each participant left, from its audit log. */
async function leaveCauses(id: string): Promise<unknown[]> {
  const rows: Array<{ details: { cause?: string } }> = await app().appliance.orm.em.fork().getConnection().execute(`select details from audit_log where conference_id = ? and action = 'participant.left' order by id`, [id]);
  return rows.map((row) => row.details.cause ?? null);
}

/** Nothing changed for Алиса: still present and admin, not asked again, the recording running, one tile of her at Борис's. */
async function nothingChanged(t: ExecutionContext, alice: Participant, boris: Participant, id: string): Promise<void> {
  const view = await conference(alice.user, id);
  t.like(view.me, { present: true, role: 'admin', pendingPrompt: null });
  t.is(view.recording?.state, 'recording');
  t.deepEqual(presentNames(view), ['Алиса', 'Борис']);
  t.deepEqual(await leaveCauses(id), []);
  t.is(await boris.person.tile('Алиса').count(), 1);
  t.is(await alice.person.page.locator('dialog[open]').count(), 0, 'no question for her');
}

/** Whatever way each left, their browser and network go; a browser already gone is no error. */
async function closeAll(...participants: Participant[]): Promise<void> {
  await Promise.all(participants.map(({ person, network }) => person.close().catch(() => undefined).then(() => network.close())));
}

test.serial('a closed tab: after the grace period the admin leaves, the recording stops by itself, the bot posts; the last closed tab ends the conference', async (t) => {
  const { alice, boris, id } = await recordedMeeting('tab');
  try {
    const closedAt = Date.now();
    await alice.person.page.close();
    await leaveOf('Алиса', boris.user, id, GRACE_SECONDS * 1000 + SLACK_MS);
    t.true(Date.now() - closedAt >= GRACE_SECONDS * 1000 - 200, 'not before the grace period ran out');
    await recordingStoppedByItself(t, boris, id);
    await boris.person.page.close();
    await conferenceEnded(t, boris, id, GRACE_SECONDS * 1000 + SLACK_MS);
    t.deepEqual(await leaveCauses(id), ['соединение потеряно', 'соединение потеряно']);
  } finally {
    await closeAll(alice, boris);
  }
});

test.serial('a killed browser (SIGKILL): the admin leaves after the grace period, the recording stops, the conference ends when the other browser is killed too', async (t) => {
  const { alice, boris, id } = await recordedMeeting('kill');
  try {
    await alice.person.kill();
    await leaveOf('Алиса', boris.user, id, GRACE_SECONDS * 1000 + SLACK_MS);
    await recordingStoppedByItself(t, boris, id);
    await boris.person.kill();
    await conferenceEnded(t, boris, id, GRACE_SECONDS * 1000 + SLACK_MS);
    t.deepEqual(await leaveCauses(id), ['соединение потеряно', 'соединение потеряно']);
  } finally {
    await closeAll(alice, boris);
  }
});

test.serial('the network cut for longer than the grace period: the admin leaves once the heartbeat and the grace period have run, and so does the last one', async (t) => {
  const { alice, boris, id } = await recordedMeeting('cut-long');
  try {
    alice.network.cut();
    await leaveOf('Алиса', boris.user, id, CUT_NOTICED_MS + GRACE_SECONDS * 1000 + SLACK_MS);
    await recordingStoppedByItself(t, boris, id);
    boris.network.cut();
    await conferenceEnded(t, boris, id, CUT_NOTICED_MS + GRACE_SECONDS * 1000 + SLACK_MS);
    t.deepEqual(await leaveCauses(id), ['соединение потеряно', 'соединение потеряно']);
  } finally {
    await closeAll(alice, boris);
  }
});

test.serial('the network cut for less than the grace period: the socket is dropped and comes back, and nothing changes', async (t) => {
  const { alice, boris, id } = await recordedMeeting('cut-short');
  try {
    // Long enough for the appliance to drop her socket, short of the grace period that then starts.
    const cutMs = CUT_NOTICED_MS + 1000;
    t.true(cutMs < GRACE_SECONDS * 1000);
    alice.network.cut();
    await new Promise((resolve) => setTimeout(resolve, cutMs));
    alice.network.restore();
    await until('the notices Алиса saw', () => alice.person.noticesShown(), (shown) => shown.some((text) => text.includes('Соединение восстановлено')), 30_000);
    // Past the moment the grace period would have run out, had she not come back.
    await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000));
    await nothingChanged(t, alice, boris, id);
  } finally {
    await closeAll(alice, boris);
  }
});

test.serial('a reload changes nothing: no leave, no second question, the role kept, one tile', async (t) => {
  const { alice, boris, id } = await recordedMeeting('reload');
  try {
    await alice.person.page.reload();
    await alice.person.timer.waitFor({ timeout: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 + 2000));
    await nothingChanged(t, alice, boris, id);
  } finally {
    await closeAll(alice, boris);
  }
});

test.serial('two tabs of one user: closing one keeps her present; closing the other makes her leave, and the recording stops', async (t) => {
  const { alice, boris, id } = await recordedMeeting('tabs');
  try {
    const second = await alice.person.openWindow();
    await second.goto(`/#/c/${id}`);
    await second.locator('.timer').waitFor({ timeout: 60_000 });
    await alice.person.page.close();
    await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 + 2000));
    const view = await conference(alice.user, id);
    t.like(view.me, { present: true, role: 'admin' });
    t.is(view.recording?.state, 'recording');
    t.deepEqual(await leaveCauses(id), []);
    await second.close();
    await leaveOf('Алиса', boris.user, id, GRACE_SECONDS * 1000 + SLACK_MS);
    await recordingStoppedByItself(t, boris, id);
    await boris.person.page.close();
    await conferenceEnded(t, boris, id, GRACE_SECONDS * 1000 + SLACK_MS);
  } finally {
    await closeAll(alice, boris);
  }
});
