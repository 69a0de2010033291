import crypto from 'node:crypto';
import test from 'ava';
import PgBoss from 'pg-boss';
import { Appliance } from '../../appliance/appliance.ts';
import { Recording, RecordingExpiry, RetentionPolicy } from '../../appliance/db/entities/index.ts';
import { JOB_SCHEMA } from '../../appliance/jobs/job-queue.ts';
import { RETENTION_QUEUE } from '../../appliance/retention/retention-sweeper.ts';
import { ManualClock, TestAppliance } from '../helpers/test-appliance.ts';
import { FileWritingBackend, pathOf, recordConference } from '../access/recording-fixtures.ts';
import { eventually } from '../webhooks/delivery-fixtures.ts';

const DAY = 86_400_000;

test('the retention job is durable: its schedule and a sweep queued while the appliance was down survive the restart', async (t) => {
  const clock = new ManualClock();
  let recordingsDir = '';
  const backend = new FileWritingBackend(() => recordingsDir);
  const options = { clock: clock.now, backend, jobPollingSeconds: 0.5 };
  const a = await TestAppliance.start(import.meta.filename, options);
  let restarted: Appliance | undefined;
  try {
    recordingsDir = a.appliance.config.recordingsDir;
    const alice = await a.user(a.servers.corporate, 'alice', 'Алиса');
    const { recordingId, links } = await recordConference(a, alice, [], 'Переживёт перезапуск');
    const em = a.appliance.orm.em.fork();
    em.create(RetentionPolicy, { id: crypto.randomUUID(), name: 'сутки', scope: 'global', keepDays: 1, action: 'delete-files' });
    await em.flush();
    const sql = (text: string) => a.appliance.orm.em.fork().getConnection().execute(text);
    t.deepEqual(await sql(`select name, cron from ${JOB_SCHEMA}.schedule`), [{ name: RETENTION_QUEUE, cron: a.appliance.config.retentionCron }]);
    await a.appliance.stop();

    // While the appliance is down, a sweep is asked for (as the console's "run now" would) and time passes.
    const boss = new PgBoss({ connectionString: a.database.url, schema: JOB_SCHEMA, supervise: false, schedule: false });
    await boss.start();
    t.truthy(await boss.send(RETENTION_QUEUE, {}));
    await boss.stop({ graceful: false, wait: true });
    clock.advance(2 * DAY);

    restarted = await Appliance.start(a.appliance.config, options);
    const expiry = await eventually(() => restarted!.orm.em.fork().findOne(RecordingExpiry, { recordingId }), 'the queued sweep');
    t.is(expiry.fileCount, 2);
    t.truthy(await restarted.orm.em.fork().findOne(Recording, recordingId), 'delete-files keeps the recording on record');
    const after = (text: string) => restarted!.orm.em.fork().getConnection().execute(text);
    t.is((await after("select id from audit_log where action = 'recording.expired'")).length, 1);
    t.is((await after(`select name from ${JOB_SCHEMA}.schedule`)).length, 1, 'the schedule is kept once, not added again at each start');
    // The link key lives in the data directory: a link posted before the restart still verifies, and says why its file is gone.
    const res = await fetch(`${restarted.url}${pathOf(links[0]!)}`);
    t.is(res.status, 410);
    t.regex(((await res.json()) as { error: { message: string } }).error.message, /under the retention policy/);
  } finally {
    await restarted?.stop();
    await a.stop();
  }
});
