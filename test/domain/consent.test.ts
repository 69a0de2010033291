import test from 'ava';
import {
  ConflictError,
  answerPrompt,
  hasConsented,
  joinConference,
  leaveConference,
  liveRecording,
  makeAdmin,
  participantOf,
  pauseLiveRecording,
  pendingPromptOf,
  startRecording,
  stopLiveRecording,
} from '../../appliance/domain/index.ts';
import { T0, assertRefused, conferenceWith, pending, present, promote, types, world } from './fixtures.ts';

test('starting with two or more admins: other admins get admin-confirmation, the rest consent, the starter nothing', (t) => {
  const w = world();
  // alice id-2, bob id-3, carol id-4, rita id-5, dave id-6
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol, w.rita, w.dave]);
  promote(aggregate, w.alice, [w.bob, w.rita]);
  w.ctx.advance(1000);
  const { recording, events } = startRecording(aggregate, w.alice, w.ctx);
  t.is(recording.id, 'id-7');
  t.deepEqual(events, [
    { type: 'recording.started', conferenceId: 'id-1', recordingId: 'id-7', number: 1 },
    { type: 'consent.given', conferenceId: 'id-1', userId: 'u-alice' },
    { type: 'consent.requested', conferenceId: 'id-1', recordingId: 'id-7', userId: 'u-bob', promptId: 'id-9', kind: 'admin-confirmation' },
    { type: 'consent.requested', conferenceId: 'id-1', recordingId: 'id-7', userId: 'u-carol', promptId: 'id-10', kind: 'consent' },
    { type: 'consent.requested', conferenceId: 'id-1', recordingId: 'id-7', userId: 'u-rita', promptId: 'id-11', kind: 'admin-confirmation' },
    { type: 'consent.requested', conferenceId: 'id-1', recordingId: 'id-7', userId: 'u-dave', promptId: 'id-12', kind: 'consent' },
  ]);
  t.deepEqual(aggregate.consents, [{ id: 'id-8', conferenceId: 'id-1', userId: 'u-alice', givenAt: new Date(T0 + 1000) }]);
  t.deepEqual(pending(aggregate, w.bob), {
    id: 'id-9',
    conferenceId: 'id-1',
    recordingId: 'id-7',
    userId: 'u-bob',
    kind: 'admin-confirmation',
    createdAt: new Date(T0 + 1000),
    answeredAt: null,
    answer: null,
  });
  t.is(pending(aggregate, w.alice), undefined);
  t.is(aggregate.prompts.length, 4);
  t.true(hasConsented(aggregate, 'u-alice'));
  t.false(hasConsented(aggregate, 'u-bob'));
});

test('with a single admin there is no admin-confirmation: everyone else gets consent', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  const { events } = startRecording(aggregate, w.alice, w.ctx);
  t.deepEqual(
    events.filter((e) => e.type === 'consent.requested').map((e) => [e.userId, e.kind]),
    [
      ['u-bob', 'consent'],
      ['u-carol', 'consent'],
    ],
  );
});

test('participants who already left are not asked', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  const { events } = startRecording(aggregate, w.alice, w.ctx);
  t.deepEqual(types(events), ['recording.started', 'consent.given', 'consent.requested']);
  t.like(events[2], { userId: 'u-carol' });
  t.is(pending(aggregate, w.bob), undefined);
});

test('the recording is live from the start command, before anyone answers', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  w.ctx.advance(7000);
  t.is(liveRecording(aggregate)?.state, 'recording');
  t.truthy(pending(aggregate, w.bob));
  stopLiveRecording(aggregate, w.alice, 'menu', w.ctx);
  t.is(aggregate.recordings[0]?.recordedMs, 7000);
});

test("answering 'agree' records consent and closes the prompt", (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx); // recording id-4, alice's consent id-5, bob's prompt id-6
  w.ctx.advance(2000);
  const events = answerPrompt(aggregate, w.bob, 'agree', w.ctx);
  t.deepEqual(events, [{ type: 'consent.given', conferenceId: 'id-1', userId: 'u-bob' }]);
  t.deepEqual(aggregate.consents[1], { id: 'id-7', conferenceId: 'id-1', userId: 'u-bob', givenAt: new Date(T0 + 2000) });
  t.like(aggregate.prompts[0], { id: 'id-6', answeredAt: new Date(T0 + 2000), answer: 'agree' });
  t.is(pending(aggregate, w.bob), undefined);
  t.true(participantOf(aggregate, 'u-bob')?.present);
  assertRefused(t, aggregate, () => answerPrompt(aggregate, w.bob, 'agree', w.ctx), ConflictError, /no recording question/);
});

test("answering 'leave' removes the participant with declinedRecording=true and records no consent", (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  w.ctx.advance(2000);
  const events = answerPrompt(aggregate, w.bob, 'leave', w.ctx);
  t.deepEqual(events, [{ type: 'participant.left', conferenceId: 'id-1', userId: 'u-bob', declinedRecording: true }]);
  t.like(participantOf(aggregate, 'u-bob'), { present: false, leftAt: new Date(T0 + 2000) });
  t.like(aggregate.prompts[0], { answer: 'leave', answeredAt: new Date(T0 + 2000) });
  t.false(hasConsented(aggregate, 'u-bob'));
  t.is(liveRecording(aggregate)?.state, 'recording');
});

test("an admin answering 'leave' to the confirmation can make the recording stop by itself", (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  promote(aggregate, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  const events = answerPrompt(aggregate, w.bob, 'leave', w.ctx);
  t.deepEqual(types(events), ['participant.left', 'recording.stopped']);
  t.like(events[0], { declinedRecording: true });
  t.like(events[1], { reason: 'all-admins-left' });
});

test("the last participant answering 'leave' ends the conference", (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  promote(aggregate, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  const events = answerPrompt(aggregate, w.bob, 'leave', w.ctx);
  t.deepEqual(types(events), ['participant.left', 'recording.stopped', 'conference.ended']);
  t.is(aggregate.conference.state, 'ended');
});

test('a question lapses when its recording ends: answering it afterwards is a ConflictError', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  const prompt = pendingPromptOf(aggregate, 'u-bob');
  stopLiveRecording(aggregate, w.alice, 'menu', w.ctx);
  t.is(pendingPromptOf(aggregate, 'u-bob'), undefined);
  t.like(prompt, { answer: null });
  t.not(prompt?.answeredAt, null);
  assertRefused(t, aggregate, () => answerPrompt(aggregate, w.bob, 'leave', w.ctx), ConflictError);
  t.true(participantOf(aggregate, 'u-bob')?.present);
});

test('answering without a question or without being present is a ConflictError', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  assertRefused(t, aggregate, () => answerPrompt(aggregate, w.bob, 'agree', w.ctx), ConflictError);
  assertRefused(t, aggregate, () => answerPrompt(aggregate, w.alice, 'leave', w.ctx), ConflictError);
  startRecording(aggregate, w.alice, w.ctx);
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  assertRefused(t, aggregate, () => answerPrompt(aggregate, w.bob, 'agree', w.ctx), ConflictError, /join it first/);
  assertRefused(t, aggregate, () => answerPrompt(aggregate, w.outsider, 'agree', w.ctx), ConflictError);
});

test('consent is asked once per conference: a second recording does not ask those who agreed', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  startRecording(aggregate, w.alice, w.ctx);
  answerPrompt(aggregate, w.bob, 'agree', w.ctx);
  answerPrompt(aggregate, w.carol, 'agree', w.ctx);
  stopLiveRecording(aggregate, w.alice, 'menu', w.ctx);
  const { events } = startRecording(aggregate, w.alice, w.ctx);
  t.deepEqual(types(events), ['recording.started']);
  t.deepEqual(aggregate.consents.map((c) => c.userId), ['u-alice', 'u-bob', 'u-carol']);
  t.is(aggregate.prompts.filter((p) => p.answeredAt === null).length, 0);
});

test('an admin who consented as a member is not asked again after becoming an admin', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  answerPrompt(aggregate, w.bob, 'agree', w.ctx);
  stopLiveRecording(aggregate, w.alice, 'timer', w.ctx);
  makeAdmin(aggregate, w.alice, 'u-bob');
  t.deepEqual(types(startRecording(aggregate, w.alice, w.ctx).events), ['recording.started']);
});

test('someone who left instead of consenting is asked again on rejoining while a recording is live, and can consent', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  const { recording } = startRecording(aggregate, w.alice, w.ctx); // id-4; bob's first prompt id-6
  answerPrompt(aggregate, w.bob, 'leave', w.ctx);
  w.ctx.advance(1000);
  const events = joinConference(aggregate, w.bob, w.ctx);
  t.deepEqual(events, [
    { type: 'participant.joined', conferenceId: 'id-1', userId: 'u-bob', name: 'Борис', role: 'member' },
    { type: 'consent.requested', conferenceId: 'id-1', recordingId: recording.id, userId: 'u-bob', promptId: 'id-7', kind: 'consent' },
  ]);
  t.like(pending(aggregate, w.bob), { id: 'id-7', createdAt: new Date(T0 + 1000) });
  t.deepEqual(answerPrompt(aggregate, w.bob, 'agree', w.ctx), [{ type: 'consent.given', conferenceId: 'id-1', userId: 'u-bob' }]);
  t.true(hasConsented(aggregate, 'u-bob'));
  t.deepEqual(aggregate.prompts.map((p) => [p.id, p.answer]), [
    ['id-6', 'leave'],
    ['id-7', 'agree'],
  ]);
});

test('someone who left instead of consenting is asked again by the next recording', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  answerPrompt(aggregate, w.bob, 'leave', w.ctx);
  stopLiveRecording(aggregate, w.alice, 'menu', w.ctx);
  t.deepEqual(joinConference(aggregate, w.bob, w.ctx).map((e) => e.type), ['participant.joined'], 'no live recording, no question');
  const { recording, events } = startRecording(aggregate, w.alice, w.ctx);
  t.deepEqual(events.slice(1), [
    { type: 'consent.requested', conferenceId: 'id-1', recordingId: recording.id, userId: 'u-bob', promptId: pending(aggregate, w.bob)?.id ?? 'missing', kind: 'consent' },
  ]);
});

test('a late joiner during a live recording is asked; with no live recording is not', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  t.deepEqual(types(joinConference(aggregate, w.bob, w.ctx)), ['participant.joined']);
  const { recording } = startRecording(aggregate, w.alice, w.ctx);
  const carol = joinConference(aggregate, w.carol, w.ctx);
  t.deepEqual(types(carol), ['participant.joined', 'consent.requested']);
  t.like(carol[1], { recordingId: recording.id, userId: 'u-carol', kind: 'consent' });
  stopLiveRecording(aggregate, w.alice, 'menu', w.ctx);
  t.deepEqual(types(joinConference(aggregate, w.dave, w.ctx)), ['participant.joined']);
  t.is(pending(aggregate, w.dave), undefined);
});

test('a late joiner while the recording is paused is asked too', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  startRecording(aggregate, w.alice, w.ctx);
  w.ctx.advance(10);
  pauseLiveRecording(aggregate, w.alice, w.ctx);
  t.is(liveRecording(aggregate)?.state, 'paused');
  t.deepEqual(types(joinConference(aggregate, w.bob, w.ctx)), ['participant.joined', 'consent.requested']);
});

test('an admin rejoining during a live recording without having confirmed gets admin-confirmation', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  promote(aggregate, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  answerPrompt(aggregate, w.bob, 'leave', w.ctx);
  const events = joinConference(aggregate, w.bob, w.ctx);
  t.like(events[1], { type: 'consent.requested', userId: 'u-bob', kind: 'admin-confirmation' });
});

test('a participant who left without answering and rejoins keeps the pending prompt (same id)', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  const { recording } = startRecording(aggregate, w.alice, w.ctx);
  const first = pending(aggregate, w.bob);
  t.truthy(first);
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  t.is(pending(aggregate, w.bob), first, 'leaving does not answer the question');
  w.ctx.advance(3000);
  const events = joinConference(aggregate, w.bob, w.ctx);
  t.deepEqual(events[1], { type: 'consent.requested', conferenceId: 'id-1', recordingId: recording.id, userId: 'u-bob', promptId: first?.id ?? 'missing', kind: 'consent' });
  t.is(aggregate.prompts.length, 1);
  t.is(pending(aggregate, w.bob)?.createdAt.getTime(), T0, 'the prompt is the original one');
});

test('consents and prompts are per conference', (t) => {
  const w = world();
  const first = conferenceWith(w, w.alice, [w.bob]);
  startRecording(first, w.alice, w.ctx);
  answerPrompt(first, w.bob, 'agree', w.ctx);
  const second = conferenceWith(w, w.alice, [w.bob]);
  const { events } = startRecording(second, w.alice, w.ctx);
  t.deepEqual(types(events), ['recording.started', 'consent.given', 'consent.requested']);
  t.like(events[2], { userId: 'u-bob', conferenceId: second.conference.id });
});

// ——— Questions left open from before: the starter and a new recording ———

test('a starter who still had a pending question counts as consented and has no pending question left', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  t.truthy(pending(aggregate, w.bob), 'bob is asked as a member');
  makeAdmin(aggregate, w.alice, 'u-bob');
  stopLiveRecording(aggregate, w.alice, 'menu', w.ctx);
  // bob, now an admin, starts the next recording without having answered.
  startRecording(aggregate, w.bob, w.ctx);
  t.true(hasConsented(aggregate, 'u-bob'));
  t.is(pendingPromptOf(aggregate, 'u-bob'), undefined, 'starting is the starter’s own agreement: the old question is settled');
  // Answering the stale question afterwards must not record a second consent.
  t.throws(() => answerPrompt(aggregate, w.bob, 'agree', w.ctx), { instanceOf: ConflictError });
  t.is(aggregate.consents.filter((c) => c.userId === 'u-bob').length, 1);
});

test('a question still pending from an earlier recording names the recording it is asked for now', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  stopLiveRecording(aggregate, w.alice, 'menu', w.ctx);
  const second = startRecording(aggregate, w.alice, w.ctx);
  const asked = second.events.find((e) => e.type === 'consent.requested');
  t.like(asked, { userId: 'u-bob', recordingId: second.recording.id });
  t.is(pending(aggregate, w.bob)?.recordingId, second.recording.id);
  t.deepEqual(present(aggregate), ['u-alice', 'u-bob']);
});
