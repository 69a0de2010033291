import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { LegalHold, MessengerServer, Recording, RecordingExpiry, RecordingMode, RetentionPolicy } from '../../appliance/db/entities/index.ts';
import type { RetentionAction, RetentionScope } from '../../appliance/domain/index.ts';
import { ManualClock, TestAppliance } from '../helpers/test-appliance.ts';
import { FileWritingBackend, auditEntries, pathOf, recordConference } from '../access/recording-fixtures.ts';

const DAY = 86_400_000;
const MB = 1024 * 1024;
const clock = new ManualClock();
const backend = new FileWritingBackend(() => app().appliance.config.recordingsDir);
const disk = { freeMb: 100_000 };
const app = TestAppliance.forFile(test, import.meta.filename, { clock: clock.now, backend, diskSpace: async () => disk.freeMb * MB });

async function addPolicy(fields: { scope: RetentionScope; keepDays: number; action: RetentionAction; serverId?: string; modeId?: string }): Promise<string> {
  const em = app().appliance.orm.em.fork();
  const row = em.create(RetentionPolicy, { id: crypto.randomUUID(), name: `${fields.scope} ${fields.keepDays}`, serverId: null, modeId: null, ...fields });
  await em.flush();
  return row.id;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

test.serial('the sweep deletes what each policy says, never a recording under legal hold, and audits every deletion', async (t) => {
  const a = app();
  const em = a.appliance.orm.em.fork();
  const alice = await a.user(a.servers.corporate, 'alice', 'Алиса');
  const eve = await a.user(a.servers.otherCorporate, 'eve', 'Ева');
  const audioOnly = await em.findOneOrFail(RecordingMode, { kind: 'audio-only' });
  await addPolicy({ scope: 'global', keepDays: 30, action: 'delete-files' });
  await addPolicy({ scope: 'server', serverId: a.servers.otherCorporate.id, keepDays: 90, action: 'delete-recording' });
  await addPolicy({ scope: 'mode', modeId: audioOnly.id, keepDays: 7, action: 'delete-recording' });

  const byGlobal = await recordConference(a, alice, [], 'Хранится 30 дней');
  const byServer = await recordConference(a, eve, [], 'Хранится 90 дней');
  const held = await recordConference(a, alice, [], 'Под удержанием');
  await em.nativeUpdate(MessengerServer, { id: a.servers.corporate.id }, { defaultModeId: audioOnly.id });
  const byMode = await recordConference(a, alice, [], 'Только звук, 7 дней');
  await em.nativeUpdate(MessengerServer, { id: a.servers.corporate.id }, { defaultModeId: null });
  em.create(LegalHold, { id: crypto.randomUUID(), recordingId: held.recordingId, reason: 'Запрос юристов', placedBy: 'admin@example.org' });
  await em.flush();
  const dir = a.appliance.config.recordingsDir;
  const fileOf = (recordingId: string) => path.join(dir, recordingId, 'video.mp4');

  const sweep = async (days: number) => {
    clock.advance(days * DAY);
    return a.appliance.retention.sweep();
  };
  // Links are good for a week: the checks below follow links asked for just before the sweeps.
  const freshVideoLink = async (recordingId: string) => {
    const files = (await a.as(alice).post(`/api/recordings/${recordingId}/links`).expect(200)).body.files as Array<{ kind: string; url: string }>;
    return pathOf(files.find((f) => f.kind === 'video')!.url);
  };
  // What a recording's folder holds besides its files (segments kept for a join, its parts' notes) goes with it.
  const leftover = path.join(dir, byMode.recordingId, 'part-1', 'segments', 'recording.mp4.000.mkv');
  await fs.mkdir(path.dirname(leftover), { recursive: true });
  await fs.writeFile(leftover, 'segment');
  clock.advance(8 * DAY);
  const byModeLink = await freshVideoLink(byMode.recordingId);
  const week = await sweep(0);
  t.deepEqual(week.expired, [{ recordingId: byMode.recordingId, action: 'delete-recording' }]);
  t.is(await em.fork().findOne(Recording, byMode.recordingId), null);
  t.false(await exists(fileOf(byMode.recordingId)));
  t.false(await exists(path.join(dir, byMode.recordingId)), "the recording's folder goes too, with the segments left in it");
  t.is((await a.as().get(byModeLink).expect(410)).body.error.message, 'this recording has been deleted from the appliance');

  clock.advance(23 * DAY);
  const byGlobalLink = await freshVideoLink(byGlobal.recordingId);
  const month = await sweep(0);
  t.deepEqual(month.expired, [{ recordingId: byGlobal.recordingId, action: 'delete-files' }]);
  t.deepEqual(month.held, [held.recordingId]);
  t.false(await exists(fileOf(byGlobal.recordingId)));
  t.true(await exists(fileOf(held.recordingId)));
  t.truthy(await em.fork().findOne(Recording, byGlobal.recordingId), 'the recording stays on record');
  const expiry = await em.fork().findOneOrFail(RecordingExpiry, { recordingId: byGlobal.recordingId });
  t.like(expiry, { keepDays: 30, fileCount: 2, bytesFreed: 52_000 });
  const gone = await a.as().get(byGlobalLink).expect(410);
  t.regex(gone.body.error.message, /deleted on \d{4}-\d\d-\d\d under the retention policy/);
  const fresh = await a.as(alice).post(`/api/recordings/${byGlobal.recordingId}/links`).expect(409);
  t.regex(fresh.body.error.message, /under the retention policy/);
  t.deepEqual((await sweep(0)).expired, [], 'a second sweep finds nothing more');

  t.deepEqual((await sweep(60)).expired, [{ recordingId: byServer.recordingId, action: 'delete-recording' }]);
  await em.fork().nativeDelete(LegalHold, { recordingId: held.recordingId });
  t.deepEqual((await sweep(0)).expired, [{ recordingId: held.recordingId, action: 'delete-files' }]);

  const audit = await auditEntries(a, 'recording.expired');
  t.deepEqual(
    audit.map((e) => [e.recording_id, e.actor_user_id, e.details.scope, e.details.keepDays, e.details.action]),
    [
      [byMode.recordingId, null, 'mode', 7, 'delete-recording'],
      [byGlobal.recordingId, null, 'global', 30, 'delete-files'],
      [byServer.recordingId, null, 'server', 90, 'delete-recording'],
      [held.recordingId, null, 'global', 30, 'delete-files'],
    ],
  );
  t.deepEqual((audit[1]!.details.files as string[]).sort(), [`${byGlobal.recordingId}/audio.m4a`, `${byGlobal.recordingId}/video.mp4`]);
  await em.fork().nativeDelete(RetentionPolicy, {});
});

test.serial('below the free-space floor a recording does not start, and the admin is told why', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice-floor', 'Алиса');
  const bob = await a.user(a.servers.corporate, 'bob-floor', 'Борис');
  const id = (await a.as(alice).post('/api/conferences', { title: 'Мало места' }).expect(201)).body.id;
  await a.as(bob).post(`/api/conferences/${id}/join`).expect(200);
  disk.freeMb = 1500;
  const refused = await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(409);
  t.is(refused.body.error.code, 'conflict');
  t.regex(refused.body.error.message, /recording cannot start: the appliance has 1500 MB of free disk space left for recordings, below the 2048 MB its administrator requires \(RECORDINGS_MIN_FREE_MB\)/);
  t.is((await a.as(alice).get(`/api/conferences/${id}`).expect(200)).body.recording, null, 'nothing started');
  t.is((await a.as(bob).get(`/api/conferences/${id}`).expect(200)).body.me.pendingPrompt, null, 'nobody was asked to consent');
  // Whoever may not start anyway hears that, not the disk.
  await a.as(bob).post(`/api/conferences/${id}/recording/start`).expect(403);
  disk.freeMb = 100_000;
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
  await a.appliance.finisher.settle();
});

test.serial('when the disk fills during a recording it stops cleanly, keeps what it has, and the bot says so', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice-full', 'Алиса');
  const bob = await a.user(a.servers.corporate, 'bob-full', 'Борис');
  const id = (await a.as(alice).post('/api/conferences', { title: 'Диск заполнился' }).expect(201)).body.id;
  await a.as(bob).post(`/api/conferences/${id}/join`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  const socket = await a.socket(bob);
  clock.advance(65_000);
  disk.freeMb = 1000;
  t.deepEqual(await a.appliance.diskGuard.check(), [], 'below the start floor but above the stop floor: it goes on');
  disk.freeMb = 200;
  t.deepEqual(await a.appliance.diskGuard.check(), [id]);
  disk.freeMb = 100_000;
  const stopped = await socket.next((e) => e.type === 'recording.stopped');
  t.like(stopped, { reason: 'disk-full', recordedMs: 65_000 });
  await a.appliance.finisher.settle();
  const message = (await socket.next((e) => e.type === 'chat.message')).message as { text: string; links: unknown[] };
  t.regex(message.text, /Запись остановлена: на сервере закончилось место; сохранено всё, что было записано\./);
  t.is(message.links.length, 2, 'the files recorded so far are offered');
  const recordings = (await a.as(alice).get(`/api/conferences/${id}/recordings`).expect(200)).body;
  t.like(recordings[0], { state: 'ready', stopReason: 'disk-full', recordedMs: 65_000 });
  t.is((await a.as(bob).get(`/api/conferences/${id}`).expect(200)).body.me.pendingPrompt, null, "the stopped recording's question lapsed");
  const audit = (await auditEntries(a, 'recording.stopped')).filter((e) => e.details.conferenceId === id);
  t.deepEqual(audit.map((e) => [e.actor_user_id, e.details.reason]), [[null, 'disk-full']]);
  socket.close();
});
