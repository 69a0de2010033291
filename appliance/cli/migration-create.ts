/**
 * Writes a migration for the difference between the entities and the database at DATABASE_URL
 * (which must already have every committed migration applied). Register the new file in
 * appliance/db/migrations/index.ts.
 */
import { migrate, openOrm } from '../db/orm.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('set DATABASE_URL to a scratch PostgreSQL database');
  process.exit(2);
}
const orm = await openOrm({ databaseUrl });
try {
  await migrate(orm);
  const result = await orm.getMigrator().createMigration('appliance/db/migrations', false, false, process.argv[2]);
  console.log(result.fileName ? `written: appliance/db/migrations/${result.fileName}` : 'no schema difference');
} finally {
  await orm.close();
}
