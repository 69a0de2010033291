import crypto from 'node:crypto';
import test from 'ava';
import { migrate, openOrm } from '../../appliance/db/orm.ts';
import { seedRecordingModes } from '../../appliance/db/seed-recording-modes.ts';
import { Conference, MessengerServer, Recording, RecordingFile, RecordingMode, User } from '../../appliance/db/entities/index.ts';
import { createTestDatabase } from '../helpers/test-database.ts';

test('the committed migrations build exactly the schema the entities describe, and run twice harmlessly', async (t) => {
  const database = await createTestDatabase(import.meta.filename);
  const orm = await openOrm({ databaseUrl: database.url });
  try {
    const applied = await migrate(orm);
    t.true(applied.length >= 2);
    t.deepEqual(await migrate(orm), []);
    const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    t.is(diff.trim(), '', `entities and migrations differ:\n${diff}`);
  } finally {
    await orm.close();
    await database.drop();
  }
});

test('recording files lose their unused link token and may wait for their checksum; going back fills in both', async (t) => {
  const database = await createTestDatabase(import.meta.filename);
  const orm = await openOrm({ databaseUrl: database.url });
  const linkTokens = () => orm.em.getConnection().execute(`select column_name from information_schema.columns where table_name = 'recording_files' and column_name = 'link_token'`);
  try {
    await migrate(orm);
    t.deepEqual(await linkTokens(), []);
    const em = orm.em.fork();
    const at = new Date();
    const server = em.create(MessengerServer, { id: crypto.randomUUID(), name: 'Сервер', kind: 'corporate', tokenKey: 'k'.repeat(32), mayControlRecording: true });
    const user = em.create(User, { id: crypto.randomUUID(), serverId: server.id, externalId: 'alice', name: 'Алиса' });
    const conference = em.create(Conference, { id: crypto.randomUUID(), title: 'Планёрка', createdBy: user.id, state: 'ended', createdAt: at, endedAt: at });
    const recording = em.create(Recording, { id: crypto.randomUUID(), conferenceId: conference.id, number: 1, state: 'ready', startedBy: user.id, startedAt: at, recordedMs: 1000, runningSince: null, stoppedAt: at, stoppedBy: user.id, stopReason: 'menu', problem: null, mode: null });
    for (const [name, sha256] of [['recording.mp4', '0'], ['recording-audio.m4a', null]] as const) {
      em.create(RecordingFile, { id: crypto.randomUUID(), recordingId: recording.id, kind: 'video', path: `${recording.id}/${name}`, sizeBytes: 1, sha256 });
    }
    await em.flush();

    // Back past every later migration, and this one.
    await orm.getMigrator().down({ to: 'Migration20261126062740_recording_file_checksum_later' });
    const checksums = await orm.em.getConnection().execute(`select sha256 from recording_files order by sha256`);
    t.deepEqual(checksums.map((row) => row.sha256), ['', '0'], 'a checksum not computed yet becomes an empty one');
    await orm.getMigrator().down();
    const restored = await orm.em.getConnection().execute(`select count(distinct link_token)::int as tokens from recording_files`);
    t.is(restored[0]?.tokens, 2);
    await migrate(orm);
    t.deepEqual(await linkTokens(), []);
    t.is(await orm.em.fork().count(RecordingFile, { recordingId: recording.id }), 2);
  } finally {
    await orm.close();
    await database.drop();
  }
});

test("a recording stopped as 'controllers-left' reads 'all-admins-left' in the older schema, which knew no other", async (t) => {
  const database = await createTestDatabase(import.meta.filename);
  const orm = await openOrm({ databaseUrl: database.url });
  try {
    await migrate(orm);
    const em = orm.em.fork();
    const at = new Date();
    const server = em.create(MessengerServer, { id: crypto.randomUUID(), name: 'Сервер', kind: 'corporate', tokenKey: 'k'.repeat(32), mayControlRecording: true });
    const user = em.create(User, { id: crypto.randomUUID(), serverId: server.id, externalId: 'alice', name: 'Алиса' });
    const conference = em.create(Conference, { id: crypto.randomUUID(), title: 'Планёрка', createdBy: user.id, state: 'active', createdAt: at, endedAt: null });
    em.create(Recording, { id: crypto.randomUUID(), conferenceId: conference.id, number: 1, state: 'ready', startedBy: user.id, startedAt: at, recordedMs: 1000, runningSince: null, stoppedAt: at, stoppedBy: null, stopReason: 'controllers-left', problem: null, mode: null });
    await em.flush();
    const reasons = async () => (await orm.em.getConnection().execute(`select stop_reason from recordings`)).map((row) => row.stop_reason);
    await orm.getMigrator().down({ to: 'Migration20261205125748_controllers_left_stop_reason' });
    t.deepEqual(await reasons(), ['all-admins-left']);
    await t.throwsAsync(orm.em.getConnection().execute(`update recordings set stop_reason = 'controllers-left'`), { message: /recordings_stop_reason_check/ });
    await migrate(orm);
    await orm.em.getConnection().execute(`update recordings set stop_reason = 'controllers-left'`);
    t.deepEqual(await reasons(), ['controllers-left']);
  } finally {
    await orm.close();
    await database.drop();
  }
});

test('a fresh database gets the standard recording modes, exactly one of them the default', async (t) => {
  const database = await createTestDatabase(import.meta.filename);
  const orm = await openOrm({ databaseUrl: database.url });
  try {
    await migrate(orm);
    await seedRecordingModes(orm);
    await seedRecordingModes(orm);
    const modes = await orm.em.fork().find(RecordingMode, {});
    t.deepEqual(modes.map((m) => m.kind).sort(), ['audio-only', 'composite', 'separate-tracks']);
    t.is(modes.filter((m) => m.isDefault).length, 1);
    // The database itself refuses a second default.
    const em = orm.em.fork();
    const other = await em.findOneOrFail(RecordingMode, { isDefault: false });
    other.isDefault = true;
    await t.throwsAsync(em.flush(), { message: /recording_modes_one_default/ });
  } finally {
    await orm.close();
    await database.drop();
  }
});
