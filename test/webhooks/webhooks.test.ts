import crypto from 'node:crypto';
import test from 'ava';
import { DeliveryAttempt, OutboundDelivery, Webhook } from '../../appliance/db/entities/index.ts';
import type { WebhookEvent } from '../../appliance/domain/index.ts';
import { TestAppliance } from '../helpers/test-appliance.ts';
import { FileWritingBackend, auditEntries, recordConference } from '../access/recording-fixtures.ts';
import type { ReceivedRequest } from './delivery-fixtures.ts';
import { LocalServer, eventually, shortenRetries } from './delivery-fixtures.ts';

const backend = new FileWritingBackend(() => app().appliance.config.recordingsDir);
const app = TestAppliance.forFile(test, import.meta.filename, { backend, jobPollingSeconds: 0.5 });
const SECRET = 'whsec-0123456789abcdef';

/** What a receiver does with the documented headers: recompute the HMAC and refuse stale timestamps. */
function verify(request: ReceivedRequest, secret: string): boolean {
  const timestamp = Number(request.headers['x-webhook-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = Buffer.from(`sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`);
  const given = Buffer.from(String(request.headers['x-webhook-signature']));
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

async function addWebhook(name: string, url: string, events: WebhookEvent[], enabled = true): Promise<string> {
  const em = app().appliance.orm.em.fork();
  const row = em.create(Webhook, { id: crypto.randomUUID(), name, url, secret: SECRET, events, enabled });
  await em.flush();
  return row.id;
}

async function deliveriesOf(webhookId: string) {
  return app().appliance.orm.em.fork().find(OutboundDelivery, { webhookId }, { orderBy: { createdAt: 'asc', event: 'asc' } });
}

test.serial('recording started and ready are POSTed signed; failing answers are retried with growing waits until they succeed', async (t) => {
  const a = app();
  await shortenRetries(a, 5);
  // Each delivery is refused twice (500, then 503) and taken the third time; a bad signature is a 401.
  const tries = new Map<string, number>();
  const receiver = await LocalServer.start((request) => {
    if (!verify(request, SECRET)) return { status: 401 };
    const delivery = String(request.headers['x-webhook-delivery']);
    const n = (tries.get(delivery) ?? 0) + 1;
    tries.set(delivery, n);
    return { status: [500, 503][n - 1] ?? 200 };
  });
  const failedOnly = await LocalServer.start(() => ({ status: 200 }));
  try {
    const hook = await addWebhook('Архив', `${receiver.url}/hooks/recordings`, ['recording.started', 'recording.ready', 'recording.failed']);
    const onlyFailures = await addWebhook('Только сбои', failedOnly.url, ['recording.failed']);
    await addWebhook('Выключен', receiver.url, ['recording.started', 'recording.ready'], false);
    const alice = await a.user(a.servers.corporate, 'alice', 'Алиса');
    const { conferenceId, recordingId } = await recordConference(a, alice, [], 'Вебхуки');
    await a.appliance.webhooks.settle();

    const done = await eventually(async () => {
      const rows = await deliveriesOf(hook);
      return rows.length === 2 && rows.every((d) => d.state === 'delivered') && rows;
    }, 'both deliveries delivered');
    t.deepEqual(done.map((d) => [d.event, d.attempts]).sort(), [['recording.ready', 3], ['recording.started', 3]]);
    t.is(receiver.requests.length, 6, 'the disabled webhook got nothing');
    t.true(receiver.requests.every((r) => verify(r, SECRET)), 'every request, retries included, is signed');
    t.is(failedOnly.requests.length, 0);
    t.deepEqual(await deliveriesOf(onlyFailures), []);

    for (const delivery of done) {
      const requests = receiver.requests.filter((r) => r.headers['x-webhook-delivery'] === delivery.id);
      t.true(requests.every((r) => r.body === requests[0]!.body), 'the same body on every try');
      t.true(requests.every((r) => r.url === '/hooks/recordings' && r.headers['x-webhook-event'] === delivery.event && r.headers['content-type'] === 'application/json'));
      const [first, second, third] = requests.map((r) => r.at) as [number, number, number];
      t.true(second - first >= 900, `first retry after ${second - first} ms`);
      t.true(third - second >= 1900, `second retry after ${third - second} ms: the wait doubles`);
      const attempts = await a.appliance.orm.em.fork().find(DeliveryAttempt, { deliveryId: delivery.id }, { orderBy: { number: 'asc' } });
      t.deepEqual(attempts.map((at) => [at.number, at.httpStatus, at.outcome]), [[1, 500, 'retry'], [2, 503, 'retry'], [3, 200, 'delivered']]);
      t.is(attempts[0]!.error, 'the receiver answered HTTP 500');
    }

    const started = JSON.parse(receiver.requests.find((r) => r.headers['x-webhook-event'] === 'recording.started')!.body);
    t.like(started, { event: 'recording.started', conference: { id: conferenceId, title: 'Вебхуки' }, recording: { id: recordingId, number: 1, state: 'recording', files: [] } });
    const ready = JSON.parse(receiver.requests.find((r) => r.headers['x-webhook-event'] === 'recording.ready')!.body);
    t.like(ready, { event: 'recording.ready', recording: { id: recordingId, state: 'ready', legalHold: false, filesDeletedAt: null } });
    t.deepEqual(ready.recording.files.map((f: { kind: string }) => f.kind).sort(), ['audio', 'video']);
    t.regex(ready.recording.files[0].url, /^http:\/\/localhost:\d+\/d\/[0-9a-f-]{36}\.\d+\.[\w-]{43}\//);

    // A failed recording reaches the webhook listening to failures only.
    await recordConference(a, alice, [], 'Запись без файлов');
    await a.appliance.webhooks.settle();
    await eventually(async () => failedOnly.requests.length === 1, 'the failure webhook');
    t.like(JSON.parse(failedOnly.requests[0]!.body), { event: 'recording.failed', recording: { state: 'failed' } });
  } finally {
    await receiver.stop();
    await failedOnly.stop();
    await app().appliance.orm.em.fork().nativeUpdate(Webhook, {}, { enabled: false });
  }
});

test.serial('a receiver that never answers is given up after the retry limit, and the audit log says why', async (t) => {
  const a = app();
  await shortenRetries(a, 1);
  const gone = await LocalServer.start(() => ({ status: 200 }));
  const url = gone.url;
  await gone.stop();
  const hook = await addWebhook('Недоступен', url, ['recording.started']);
  const alice = await a.user(a.servers.corporate, 'alice-gone', 'Алиса');
  const { recordingId } = await recordConference(a, alice, [], 'Получатель недоступен');
  await a.appliance.webhooks.settle();
  const [delivery] = await eventually(async () => {
    const rows = await deliveriesOf(hook);
    return rows[0]?.state === 'failed' && rows;
  }, 'the delivery given up');
  t.is(delivery!.attempts, 2, 'the first try and one retry');
  t.regex(delivery!.lastError ?? '', /^no success after 2 attempts; the last one: no answer from the receiver: .*ECONNREFUSED/);
  const attempts = await a.appliance.orm.em.fork().find(DeliveryAttempt, { deliveryId: delivery!.id }, { orderBy: { number: 'asc' } });
  t.deepEqual(attempts.map((at) => [at.httpStatus, at.outcome]), [[null, 'retry'], [null, 'failed']]);
  const audit = (await auditEntries(a, 'webhook.failed')).filter((e) => e.recording_id === recordingId);
  t.is(audit.length, 1);
  t.like(audit[0]!.details, { deliveryId: delivery!.id, target: url, event: 'recording.started', attempts: 2 });
});
