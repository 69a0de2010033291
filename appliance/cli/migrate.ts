/** Applies the committed migrations to DATABASE_URL (deployment runs this before starting the service). */
import { migrate, openOrm } from '../db/orm.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('set DATABASE_URL: the embedded database is migrated by the appliance itself at start');
  process.exit(2);
}
const orm = await openOrm({ databaseUrl });
try {
  const applied = await migrate(orm);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
} finally {
  await orm.close();
}
