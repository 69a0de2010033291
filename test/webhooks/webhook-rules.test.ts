import test from 'ava';
import { InvalidInputError, validateWebhookInput, webhookAnswerDelivered, webhookSignedText } from '../../appliance/domain/index.ts';
import { webhookSignature } from '../../appliance/webhooks/webhook-channel.ts';

test('a webhook needs a name, an http(s) URL without credentials, a secret of 16 characters or more, and known events', (t) => {
  const ok = { name: 'Архив', url: 'https://archive.example.org/hooks', secret: 'x'.repeat(16), events: ['recording.ready'] };
  t.notThrows(() => validateWebhookInput(ok));
  const refused: Array<[object, string]> = [
    [{ ...ok, name: '' }, 'name'],
    [{ ...ok, name: '   ' }, 'name'],
    [{ ...ok, name: undefined }, 'name'],
    [{ ...ok, url: 'ftp://archive.example.org' }, 'url'],
    [{ ...ok, url: 'not a url' }, 'url'],
    [{ ...ok, url: 'https://user:pw@archive.example.org' }, 'url'],
    [{ ...ok, secret: 'short' }, 'secret'],
    [{ ...ok, events: [] }, 'events'],
    [{ ...ok, events: ['recording.paused'] }, 'events'],
  ];
  for (const [input, field] of refused) t.is(t.throws(() => validateWebhookInput(input), { instanceOf: InvalidInputError })?.field, field, JSON.stringify(input));
});

test('the signature covers the timestamp and the body; only 2xx answers count as delivered', (t) => {
  t.is(webhookSignedText(1_700_000_000, '{"a":1}'), '1700000000.{"a":1}');
  // HMAC-SHA256 of "1700000000.{}" with the key "secret", as a receiver computes it (e.g. openssl dgst -sha256 -hmac secret).
  t.is(webhookSignature('secret', 1_700_000_000, '{}'), 'sha256=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163');
  t.not(webhookSignature('secret', 1_700_000_000, '{}'), webhookSignature('secret', 1_700_000_001, '{}'));
  t.not(webhookSignature('secret', 1_700_000_000, '{}'), webhookSignature('other', 1_700_000_000, '{}'));
  for (const status of [200, 202, 204]) t.true(webhookAnswerDelivered(status));
  for (const status of [301, 400, 410, 500]) t.false(webhookAnswerDelivered(status));
});
