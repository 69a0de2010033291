import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { RecordingFile } from '../../appliance/db/entities/index.ts';
import { FileWritingBackend } from '../helpers/file-writing-backend.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import type { TestUser } from '../helpers/test-appliance.ts';

const backend = new FileWritingBackend(() => app().appliance.config.recordingsDir);
const app = TestAppliance.forFile(test, import.meta.filename, { backend });

test('the Recordings Bot posts one message with a link per file; links stream with Range', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice', 'Алиса');
  const bob = await a.user(a.servers.otherCorporate, 'bob', 'Борис');
  const id = (await a.as(alice).post('/api/conferences', { title: 'Итоги: квартал/год' }).expect(201)).body.id;
  await a.as(bob).post(`/api/conferences/${id}/join`).expect(200);
  const socket = await a.socket(bob);
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/recording/pause`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/recording/resume`).expect(200);
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
  const ready = await socket.next((e) => e.type === 'recording.ready');
  const message = (await socket.next((e) => e.type === 'chat.message')).message as { authorName: string; bot: boolean; text: string; links: { label: string; url: string }[] };
  t.deepEqual(backend.calls.filter(([id]) => id === ready.recordingId).map(([, call]) => call), ['start', 'pause', 'resume', 'finish']);
  t.is(message.authorName, 'Recordings Bot');
  t.true(message.bot);
  t.regex(message.text, /Запись №1 конференции «Итоги: квартал\/год»/);
  t.regex(message.text, /HEVC/);
  t.is(message.links.length, 2);
  t.regex(message.links[0]!.label, /^Видео/);
  t.deepEqual(ready.links, message.links);

  const videoUrl = new URL(message.links[0]!.url);
  const whole = await a.as().get(videoUrl.pathname).expect(200);
  t.is(whole.headers['content-type'], 'video/mp4');
  t.is(Number(whole.headers['content-length']), 200_000);
  t.regex(whole.headers['content-disposition'] ?? '', /filename\*=UTF-8''%D0%98%D1%82%D0%BE%D0%B3%D0%B8/);
  t.notRegex(whole.headers['content-disposition'] ?? '', /quarter\/year|квартал\/год/);
  const part = await a.as().get(videoUrl.pathname).set('Range', 'bytes=100-199').expect(206);
  t.is(part.headers['content-range'], 'bytes 100-199/200000');
  t.is(Number(part.headers['content-length']), 100);

  // The files' metadata is stored with the recording; the checksums follow the links.
  await a.appliance.finisher.settle();
  const rows: Array<{ kind: string; sha256: string; codecs: string[] }> = await a.appliance.orm.em.fork().getConnection().execute('select kind, size_bytes, codecs, sha256 from recording_files where recording_id = ? order by kind', [ready.recordingId]);
  t.deepEqual(rows.map((r) => r.kind), ['audio', 'video']);
  const content = backend.written.get(ready.recordingId as string)!;
  const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
  t.deepEqual(rows.map((r) => r.sha256), [sha(content.subarray(0, 1000)), sha(content)]);
  t.deepEqual(rows[1]!.codecs, ['hevc', 'aac']);

  // Unknown links are 404; the chat keeps the message for every participant, not for others.
  await a.as().get('/d/not-a-token/x.mp4').expect(404);
  const chat = await a.as(bob).get(`/api/conferences/${id}/chat`).expect(200);
  t.is(chat.body.at(-1).authorName, 'Recordings Bot');
  const outsider = await a.user(a.servers.corporate, 'outsider');
  const refused = await a.as(outsider).get(`/api/conferences/${id}/chat`).expect(403);
  t.regex(refused.body.error.message, /participants/);
  socket.close();
});

/** A conference of its own, recorded from start to stop; its id, and `user`'s socket that heard it. */
async function recordedConference(user: TestUser, title: string) {
  const a = app();
  const socket = await a.socket(user);
  const id = (await a.as(user).post('/api/conferences', { title }).expect(201)).body.id as string;
  await a.as(user).post(`/api/conferences/${id}/recording/start`).expect(200);
  await a.as(user).post(`/api/conferences/${id}/recording/stop`).expect(200);
  return { id, socket };
}

// Serial, so that no other test's files are waiting for their checksums meanwhile.
test.serial('files an appliance stopped before checksumming get their checksum at the next start; a file gone meanwhile is skipped', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice-sums', 'Алиса');
  const { socket } = await recordedConference(alice, 'Контрольные суммы');
  const { recordingId } = await socket.next((e) => e.type === 'recording.ready');
  socket.close();
  await a.appliance.finisher.settle();
  const em = a.appliance.orm.em.fork();
  const files = await em.find(RecordingFile, { recordingId: recordingId as string }, { orderBy: { path: 'asc' } });
  const computed = files.map((file) => file.sha256);
  for (const file of files) file.sha256 = null;
  await em.flush();
  const [audio] = files;
  await fs.rm(path.join(a.appliance.config.recordingsDir, audio!.path));

  // The finisher starts again, as in the next run of the appliance.
  await a.appliance.finisher.stop();
  await a.appliance.finisher.start();
  await a.appliance.finisher.settle();
  const after = await a.appliance.orm.em.fork().find(RecordingFile, { recordingId: recordingId as string }, { orderBy: { path: 'asc' } });
  t.deepEqual(after.map((file) => file.sha256), [null, computed[1]]);
});

test('a recording with no files is marked failed and the bot says so', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice2', 'Алиса');
  const { id, socket } = await recordedConference(alice, 'Запись без файлов');
  const failed = await socket.next((e) => e.type === 'recording.failed');
  t.is(failed.conferenceId, id);
  const message = (await socket.next((e) => e.type === 'chat.message')).message as { text: string; links: unknown[] };
  t.regex(message.text, /Файлы записи не сформированы/);
  t.deepEqual(message.links, []);
  socket.close();
});

test('the chat is kept after the conference ends; participants list their conferences as active and completed', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice3', 'Алиса');
  const bob = await a.user(a.servers.corporate, 'bob3', 'Борис');
  const done = (await a.as(alice).post('/api/conferences', { title: 'Прошедшая' }).expect(201)).body.id;
  const live = (await a.as(alice).post('/api/conferences', { title: 'Идущая' }).expect(201)).body.id;
  await a.as(bob).post(`/api/conferences/${done}/join`).expect(200);
  await a.as(bob).post(`/api/conferences/${done}/chat`, { text: '  Всем привет  ' }).expect(201);
  await a.as(alice).post(`/api/conferences/${done}/leave`).expect(200);
  await a.as(bob).post(`/api/conferences/${done}/leave`).expect(200);
  const lists = await a.as(alice).get('/api/conferences').expect(200);
  t.deepEqual(lists.body.active.map((c: { id: string }) => c.id), [live]);
  t.deepEqual(lists.body.completed.map((c: { id: string }) => c.id), [done]);
  t.is(lists.body.completed[0].state, 'ended');
  const chat = await a.as(alice).get(`/api/conferences/${done}/chat`).expect(200);
  t.deepEqual(chat.body.map((m: { text: string }) => m.text), ['Всем привет']);
  // Writing into an ended conference is refused; rejoining it too.
  await a.as(bob).post(`/api/conferences/${done}/chat`, { text: 'ещё' }).expect(409);
  await a.as(bob).post(`/api/conferences/${done}/join`).expect(409);
  const bobLists = await a.as(bob).get('/api/conferences').expect(200);
  t.deepEqual(bobLists.body.active, []);
});
