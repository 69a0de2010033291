import test from 'ava';
import { Recording } from '../../appliance/db/entities/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import { FileWritingBackend } from '../access/recording-fixtures.ts';

const backend = new FileWritingBackend(() => app().appliance.config.recordingsDir);
const app = TestAppliance.forFile(test, import.meta.filename, { backend });

test('a recording whose chat message cannot be posted is still ready, and recording.ready still goes out', async (t) => {
  const a = app();
  const alice = await a.user(a.servers.corporate, 'alice', 'Алиса');
  const socket = await a.socket(alice);
  const id = (await a.as(alice).post('/api/conferences', { title: 'Чат недоступен' }).expect(201)).body.id as string;
  // The built-in chat refuses every message from now on, as a database in trouble would.
  const connection = a.appliance.orm.em.fork().getConnection();
  await connection.execute(`create function refuse_chat() returns trigger language plpgsql as $$ begin raise exception 'chat unavailable'; end $$`);
  await connection.execute('create trigger refuse_chat before insert on chat_messages for each row execute function refuse_chat()');
  try {
    await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
    await a.as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
    const ready = await socket.next((event) => event.type === 'recording.ready', 15_000);
    t.is(ready.conferenceId, id);
    t.is((ready.links as unknown[]).length, 2);
    const recording = await a.appliance.orm.em.fork().findOneOrFail(Recording, ready.recordingId as string);
    t.is(recording.state, 'ready');
  } finally {
    await connection.execute('drop trigger refuse_chat on chat_messages');
    await connection.execute('drop function refuse_chat()');
    socket.close();
  }
});
