import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import request from 'supertest';
import { Appliance } from '../../appliance/appliance.ts';
import { loadConfig } from '../../appliance/config.ts';
import { Recording, RetentionPolicy } from '../../appliance/db/entities/index.ts';
import { ManualClock, UNMETERED_DISK } from '../helpers/test-appliance.ts';
import { eventually } from '../webhooks/delivery-fixtures.ts';

/** pg-boss runs on the embedded database too (PGlite behind its socket server): no separate code path. */
test('with the embedded database the retention job runs through pg-boss as well', async (t) => {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'appliance-embedded-jobs-'));
  const clock = new ManualClock();
  const appliance = await Appliance.start(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...UNMETERED_DISK }), { clock: clock.now, jobPollingSeconds: 0.5 });
  try {
    const token = (await request(appliance.url).post('/api/demo/token').send({ user: 'alice' }).expect(200)).body.token as string;
    const post = (p: string, body: object = {}) => request(appliance.url).post(p).set('Authorization', `Bearer ${token}`).send(body);
    const id = (await post('/api/conferences', { title: 'Встроенная база и задания' }).expect(201)).body.id;
    const recordingId = (await post(`/api/conferences/${id}/recording/start`).expect(200)).body.recording.id;
    await post(`/api/conferences/${id}/recording/stop`).expect(200);
    await appliance.finisher.settle();
    const em = appliance.orm.em.fork();
    em.create(RetentionPolicy, { id: crypto.randomUUID(), name: 'неделя', scope: 'global', keepDays: 7, action: 'delete-recording' });
    await em.flush();
    clock.advance(8 * 86_400_000);
    await appliance.retention.requestSweep();
    await eventually(async () => (await appliance.orm.em.fork().findOne(Recording, recordingId)) === null, 'the failed recording (no media here) deleted by the job');
    const audit: Array<{ recording_id: string }> = await appliance.orm.em.fork().getConnection().execute("select recording_id from audit_log where action = 'recording.expired'");
    t.deepEqual(audit.map((row) => row.recording_id), [recordingId]);
  } finally {
    await appliance.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
});
