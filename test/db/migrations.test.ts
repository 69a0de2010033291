import test from 'ava';
import { migrate, openOrm } from '../../appliance/db/orm.ts';
import { seedRecordingModes } from '../../appliance/db/seed-recording-modes.ts';
import { RecordingMode } from '../../appliance/db/entities/index.ts';
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
