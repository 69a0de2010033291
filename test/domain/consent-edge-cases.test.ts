import test from 'ava';
import { ConfirmationPendingError, answerPrompt, liveRecording, makeAdmin, pauseLiveRecording, resumeLiveRecording, startRecording, stopLiveRecording } from '../../appliance/domain/index.ts';
import { assertRefused, conferenceWith, pending, promote, world } from './fixtures.ts';

test('a participant made an admin while their consent question is open gets the admins’ confirmation instead', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  const question = pending(aggregate, w.bob);
  t.is(question?.kind, 'consent');
  const events = makeAdmin(aggregate, w.alice, w.bob.userId);
  t.deepEqual(events, [
    { type: 'participant.role_changed', conferenceId: aggregate.conference.id, userId: 'u-bob', role: 'admin' },
    { type: 'consent.requested', conferenceId: aggregate.conference.id, recordingId: question!.recordingId, userId: 'u-bob', promptId: question!.id, kind: 'admin-confirmation' },
  ]);
  t.is(pending(aggregate, w.bob)?.kind, 'admin-confirmation');
  t.is(aggregate.prompts.filter((p) => p.userId === 'u-bob').length, 1, 'the same question, not a second one');
});

test('a participant made an admin with no open question is asked nothing', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  answerPrompt(aggregate, w.bob, 'agree', w.ctx);
  t.deepEqual(
    makeAdmin(aggregate, w.alice, w.bob.userId).map((e) => e.type),
    ['participant.role_changed'],
  );
});

test('an admin whose confirmation is still open cannot pause or stop; once confirmed they can', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  promote(aggregate, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  t.is(pending(aggregate, w.bob)?.kind, 'admin-confirmation');
  const pause = assertRefused(t, aggregate, () => pauseLiveRecording(aggregate, w.bob, w.ctx), ConfirmationPendingError);
  t.is(pause.code, 'confirmation_pending');
  for (const control of ['timer', 'menu'] as const) assertRefused(t, aggregate, () => stopLiveRecording(aggregate, w.bob, control, w.ctx), ConfirmationPendingError);
  pauseLiveRecording(aggregate, w.alice, w.ctx);
  resumeLiveRecording(aggregate, w.alice, w.ctx);
  answerPrompt(aggregate, w.bob, 'agree', w.ctx);
  pauseLiveRecording(aggregate, w.bob, w.ctx);
  stopLiveRecording(aggregate, w.bob, 'menu', w.ctx);
  t.is(liveRecording(aggregate), undefined);
});
