import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import request from 'supertest';
import { AuditEntry, ChatMessage, LegalHold, Recording, RecordingFile } from '../../appliance/db/entities/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import { consoleAgents, finishedRecording, form } from './helpers.ts';

const app = TestAppliance.forFile(test, import.meta.filename);
const agents = consoleAgents(app);

const DAY_MS = 24 * 3600 * 1000;

const API = '/admin/api/resources/Recording';
const HOLDS = '/admin/api/resources/LegalHold';
const FILES = [
  { name: 'video.mp4', kind: 'video' as const, bytes: 300_000, codecs: ['hevc', 'aac'] },
  { name: 'audio.m4a', kind: 'audio' as const, bytes: 20_000, codecs: ['aac'] },
];

test('recordings are found by conference (searched by title), by state and by date', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const wanted = await finishedRecording(a, 'Планёрка отдела продаж', FILES);
  await finishedRecording(a, 'Совет директоров');

  const found = await admin.get(`/admin/api/resources/Conference/actions/search/${encodeURIComponent('планёрка')}`).expect(200);
  t.deepEqual(found.body.records.map((r: { id: string }) => r.id), [wanted.conferenceId]);

  const byConference = await admin.get(`${API}/actions/list?filters.conferenceId=${wanted.conferenceId}`).expect(200);
  t.deepEqual(byConference.body.records.map((r: { id: string }) => r.id), [wanted.recordingId]);
  t.is(byConference.body.records[0].title, '«Планёрка отдела продаж» №1');

  const ready = await admin.get(`${API}/actions/list?filters.state=ready&perPage=50`).expect(200);
  t.true(ready.body.records.some((r: { id: string }) => r.id === wanted.recordingId));
  t.true(ready.body.records.every((r: { params: { state: string } }) => r.params.state === 'ready'));

  const today = new Date().toISOString().slice(0, 10);
  const inRange = await admin.get(`${API}/actions/list?filters.startedAt~~from=${today}T00:00:00Z&perPage=50`).expect(200);
  t.true(inRange.body.meta.total >= 2);
  const before = await admin.get(`${API}/actions/list?filters.startedAt~~to=2020-01-01T00:00:00Z`).expect(200);
  t.is(before.body.meta.total, 0);
  const nonsense = await admin.get(`${API}/actions/list?filters.conferenceId=not-an-id`).expect(200);
  t.is(nonsense.body.meta.total, 0);
});

test("a recording's page lists its files with sizes, durations and codecs; an admin downloads one, and that is audited", async (t) => {
  const a = app();
  const admin = await agents.admin();
  const { recordingId, files } = await finishedRecording(a, 'Итоги года', FILES);
  const show = await admin.get(`${API}/records/${recordingId}/show`).expect(200);
  const params = show.body.record.params as Record<string, unknown>;
  t.is(params.state, 'ready');
  t.is(params['files.0.name'], 'audio.m4a');
  t.is(params['files.1.name'], 'video.mp4');
  t.is(params['files.1.sizeBytes'], 300_000);
  t.is(params['files.1.durationMs'], 61_000);
  t.deepEqual([params['files.1.codecs.0'], params['files.1.codecs.1']], ['hevc', 'aac']);
  t.deepEqual(show.body.record.recordActions.map((action: { name: string }) => action.name).sort(), ['delete', 'download', 'repostMessage', 'show']);

  const video = files.find((f) => f.kind === 'video')!;
  const download = await admin.get(`/admin/files/${video.id}/download`).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  t.is(download.status, 200);
  t.is((download.body as Buffer).length, 300_000);
  t.regex(download.headers['content-disposition']!, /filename\*=UTF-8''%D0%98%D1%82%D0%BE%D0%B3%D0%B8/);
  t.truthy(await a.appliance.orm.em.fork().findOne(AuditEntry, { action: 'console.recording_file.downloaded', recordingId }));
  await admin.get('/admin/files/00000000-0000-4000-8000-000000000000/download').expect(404);
});

test("the bot's message is posted again with the same links, and that is audited", async (t) => {
  const a = app();
  const admin = await agents.admin();
  const { conferenceId, recordingId } = await finishedRecording(a, 'Повтор сообщения', FILES);
  const reposted = await admin.post(`${API}/records/${recordingId}/repostMessage`).type('form').send({}).expect(200);
  t.is(reposted.body.notice.message, 'messageReposted');
  const messages = await a.appliance.orm.em.fork().find(ChatMessage, { conferenceId, authorUserId: null }, { orderBy: { createdAt: 'asc' } });
  const last = messages.at(-1)!;
  t.regex(last.text, /Запись №1 конференции «Повтор сообщения»/);
  t.deepEqual(last.links.map((link) => link.label.split(' · ')[0]), ['Видео', 'Аудио']);
  t.truthy(await a.appliance.orm.em.fork().findOne(AuditEntry, { action: 'console.recording.message_reposted', recordingId }));
});

test('deleting a recording removes its rows and files; one under way cannot be deleted', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const { recordingId, conferenceId, files } = await finishedRecording(a, 'Удаляемая', FILES);
  const folder = path.join(a.appliance.config.recordingsDir, recordingId);
  const deleted = await admin.post(`${API}/records/${recordingId}/delete`).expect(200);
  t.is(deleted.body.notice.type, 'success');
  const em = a.appliance.orm.em.fork();
  t.is(await em.count(Recording, recordingId), 0);
  t.is(await em.count(RecordingFile, { recordingId }), 0);
  await t.throwsAsync(fs.access(folder));
  const entry = await em.findOneOrFail(AuditEntry, { action: 'console.recording.deleted', recordingId });
  t.like(entry, { conferenceId });
  t.deepEqual((entry.details.files as string[]).sort(), files.map((f) => f.path).sort());

  const user = await a.user(a.servers.corporate, 'live-starter', 'Вера');
  const live = (await a.as(user).post('/api/conferences', { title: 'Идёт' }).expect(201)).body.id;
  await a.as(user).post(`/api/conferences/${live}/recording/start`).expect(200);
  const running = await em.findOneOrFail(Recording, { conferenceId: live });
  const refused = await admin.post(`${API}/records/${running.id}/delete`).expect(200);
  t.is(refused.body.notice.type, 'error');
  t.regex(refused.body.notice.message, /still under way/);
  const show = await admin.get(`${API}/records/${running.id}/show`).expect(200);
  t.false(show.body.record.recordActions.some((action: { name: string }) => action.name === 'repostMessage'));
  await a.as(user).post(`/api/conferences/${live}/recording/stop`).expect(200);
});

test('conferences and the audit log are read-only and filterable', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const { conferenceId } = await finishedRecording(a, 'Журналируемая');
  const conferences = await admin.get('/admin/api/resources/Conference/actions/list?filters.title=журналир').expect(200);
  t.deepEqual(conferences.body.records.map((r: { id: string }) => r.id), [conferenceId]);
  t.is(conferences.body.records[0].populated.createdBy.params.name, 'Алиса Петрова');
  const active = await admin.get('/admin/api/resources/Conference/actions/list?filters.state=ended').expect(200);
  t.false(active.body.records.some((r: { id: string }) => r.id === conferenceId));

  const audit = await admin.get(`/admin/api/resources/AuditEntry/actions/list?filters.conferenceId=${conferenceId}&perPage=50`).expect(200);
  t.deepEqual([...new Set(audit.body.records.map((r: { params: { action: string } }) => r.params.action))].sort(), ['conference.created', 'consent.given', 'participant.joined', 'recording.failed', 'recording.started', 'recording.stopped']);
  const byAction = await admin.get('/admin/api/resources/AuditEntry/actions/list?filters.action=recording.FAILED').expect(200);
  t.true(byAction.body.records.length > 0);
  t.true(byAction.body.records.every((r: { params: { action: string } }) => r.params.action === 'recording.failed'));

  for (const resource of ['Conference', 'AuditEntry']) {
    const refused = await admin.post(`/admin/api/resources/${resource}/actions/new`).type('form').send({ title: 'x' }).expect(200);
    t.is(refused.body.notice.message, 'forbiddenError', resource);
  }
});

test('a legal hold names who placed it, keeps the recording from deletion until it is lifted', async (t) => {
  const a = app();
  const admin = await agents.admin();
  const { recordingId } = await finishedRecording(a, 'Под запретом', [{ name: 'video.mp4', kind: 'video', bytes: 1000, codecs: ['hevc'] }]);
  const found = await admin.get(`/admin/api/resources/Recording/actions/search/${encodeURIComponent('под запрет')}`).expect(200);
  t.deepEqual(found.body.records.map((r: { id: string }) => r.id), [recordingId]);

  const noReason = await admin.post(`${HOLDS}/actions/new`).type('form').send(form({ recordingId, reason: ' ' })).expect(200);
  t.regex(noReason.body.record.errors.reason.message, /states its reason/);
  const placed = await admin.post(`${HOLDS}/actions/new`).type('form').send(form({ recordingId, reason: 'Запрос прокуратуры №12', placedBy: 'someone else' })).expect(200);
  t.deepEqual(placed.body.record.errors, {});
  const hold = await a.appliance.orm.em.fork().findOneOrFail(LegalHold, { recordingId });
  t.regex(hold.placedBy, /^admin-.*@example\.org$/);

  const refused = await admin.post(`/admin/api/resources/Recording/records/${recordingId}/delete`).expect(200);
  t.regex(refused.body.notice.message, /under legal hold/);
  t.is(await a.appliance.orm.em.fork().count(Recording, recordingId), 1);

  await admin.post(`${HOLDS}/records/${hold.id}/delete`).expect(200);
  const deleted = await admin.post(`/admin/api/resources/Recording/records/${recordingId}/delete`).expect(200);
  t.is(deleted.body.notice.type, 'success');
  const actions = (await a.appliance.orm.em.fork().find(AuditEntry, { recordingId, action: { $like: 'console.%' } }, { orderBy: { id: 'asc' } })).map((e) => e.action);
  t.deepEqual(actions, ['console.legal_hold.created', 'console.legal_hold.deleted', 'console.recording.deleted']);
});


// Counts the whole appliance: runs before the other tests add conferences and recordings.
test.serial('the dashboard JSON: SFU workers and encoder as the components report them, live counts, disk and days left, recent failures', async (t) => {
  const a = app();
  a.appliance.health.register('test-encoder', async () => ({ ok: true, details: { encoder: 'x265enc' } }));
  const auditor = await agents.auditor();
  await request(a.url).get('/admin/api/dashboard').expect(302);

  const failed = await finishedRecording(a, 'Без медиа');
  const user = await a.user(a.servers.corporate, 'vera', 'Вера');
  const live = (await a.as(user).post('/api/conferences', { title: 'Идёт сейчас' }).expect(201)).body.id;
  await a.as(user).post(`/api/conferences/${live}/recording/start`).expect(200);
  // Sizes recorded three and ten days ago: only the first counts towards the weekly rate.
  const em = a.appliance.orm.em.fork();
  for (const [daysAgo, sizeBytes] of [[3, 7 * 1024 ** 3], [10, 50 * 1024 ** 3]] as const) {
    em.create(RecordingFile, { id: crypto.randomUUID(), recordingId: failed.recordingId, kind: 'video', path: `${failed.recordingId}/${daysAgo}.mp4`, sizeBytes, codecs: ['hevc'], sha256: '0', createdAt: new Date(Date.now() - daysAgo * DAY_MS) });
  }
  await em.flush();

  const { body } = await auditor.get('/admin/api/dashboard').expect(200);
  const report = await a.appliance.health.report();
  const workers = Object.values(report.components).find((c) => c.details && 'workers' in c.details)?.details?.workers as unknown[] | undefined;
  t.deepEqual(body.sfuWorkers, workers ? { total: workers.length, up: workers.length } : null);
  t.is(body.encoder, 'x265enc');
  t.deepEqual(body.components.map((c: { name: string }) => c.name), Object.keys(report.components));
  t.is(body.activeConferences, 2);
  t.is(body.liveRecordings, 1);
  t.is(body.disk.recordedBytesLastWeek, 7 * 1024 ** 3);
  t.true(body.disk.freeBytes > 0 && body.disk.totalBytes >= body.disk.freeBytes);
  t.is(Math.round(body.disk.daysLeft * 1000), Math.round((body.disk.freeBytes / 1024 ** 3) * 1000));
  t.deepEqual(body.failedRecordings.map((r: { title: string }) => r.title), ['«Без медиа» №1']);
  t.is(body.failedRecordings[0].problem, 'На этом сервере не подключена запись медиа.');
  t.true(body.failureEntries.some((e: { action: string; details: { problem?: string } }) => e.action === 'recording.failed' && /запись медиа/.test(e.details.problem ?? '')));
  await a.as(user).post(`/api/conferences/${live}/recording/stop`).expect(200);
});
