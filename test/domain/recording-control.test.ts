import test from 'ava';
import type { Actor, ConferenceAggregate, ServerData } from '../../appliance/domain/index.ts';
import {
  ConflictError,
  ForbiddenError,
  answerPrompt,
  leaveConference,
  liveRecording,
  pauseLiveRecording,
  recordingControlRefusal,
  resumeLiveRecording,
  startRecording,
  stopLiveRecording,
} from '../../appliance/domain/index.ts';
import type { World } from './fixtures.ts';
import { T0, actor, assertRefused, conferenceWith, promote, world } from './fixtures.ts';

test('an admin starts, pauses, resumes and stops a recording', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  w.ctx.advance(1000);
  const { recording, events } = startRecording(aggregate, w.alice, w.ctx);
  t.deepEqual(recording, {
    id: 'id-3',
    conferenceId: 'id-1',
    number: 1,
    state: 'recording',
    startedBy: 'u-alice',
    startedAt: new Date(T0 + 1000),
    recordedMs: 0,
    runningSince: new Date(T0 + 1000),
    stoppedAt: null,
    stoppedBy: null,
    stopReason: null,
    problem: null,
    mode: null,
  });
  t.is(aggregate.recordings[0], recording, 'the recording is the one kept in the aggregate');
  t.deepEqual(events, [
    { type: 'recording.started', conferenceId: 'id-1', recordingId: 'id-3', number: 1 },
    { type: 'consent.given', conferenceId: 'id-1', userId: 'u-alice' },
  ]);
  w.ctx.advance(2000);
  t.deepEqual(pauseLiveRecording(aggregate, w.alice, w.ctx), [{ type: 'recording.paused', conferenceId: 'id-1', recordingId: 'id-3', recordedMs: 2000 }]);
  t.is(recording.state, 'paused');
  w.ctx.advance(5000);
  t.deepEqual(resumeLiveRecording(aggregate, w.alice, w.ctx), [{ type: 'recording.resumed', conferenceId: 'id-1', recordingId: 'id-3', recordedMs: 2000 }]);
  t.is(recording.state, 'recording');
  w.ctx.advance(3000);
  t.deepEqual(stopLiveRecording(aggregate, w.alice, 'menu', w.ctx), [
    { type: 'recording.stopped', conferenceId: 'id-1', recordingId: 'id-3', reason: 'menu', recordedMs: 5000 },
  ]);
  t.like(recording, { state: 'processing', recordedMs: 5000, runningSince: null, stoppedAt: new Date(T0 + 11_000), stoppedBy: 'u-alice', stopReason: 'menu' });
  t.is(liveRecording(aggregate), undefined);
});

test('an admin made by another admin controls recording too', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  promote(aggregate, w.alice, [w.bob]);
  startRecording(aggregate, w.bob, w.ctx);
  // The other admin confirms first: an open confirmation holds back the controls (consent-edge-cases).
  answerPrompt(aggregate, w.alice, 'agree', w.ctx);
  pauseLiveRecording(aggregate, w.alice, w.ctx);
  resumeLiveRecording(aggregate, w.bob, w.ctx);
  stopLiveRecording(aggregate, w.alice, 'timer', w.ctx);
  t.like(aggregate.recordings[0], { startedBy: 'u-bob', stoppedBy: 'u-alice', stopReason: 'timer', state: 'processing' });
});

function controls(w: World) {
  return {
    start: (a: ConferenceAggregate, who: Actor) => startRecording(a, who, w.ctx),
    pause: (a: ConferenceAggregate, who: Actor) => pauseLiveRecording(a, who, w.ctx),
    resume: (a: ConferenceAggregate, who: Actor) => resumeLiveRecording(a, who, w.ctx),
    'stop (timer)': (a: ConferenceAggregate, who: Actor) => stopLiveRecording(a, who, 'timer', w.ctx),
    'stop (menu)': (a: ConferenceAggregate, who: Actor) => stopLiveRecording(a, who, 'menu', w.ctx),
  };
}

/** A conference in each state a control applies to, with alice (admin), bob (member) present. */
function setupFor(control: string, w: World, extra: Actor[] = []) {
  const aggregate = conferenceWith(w, w.alice, [w.bob, ...extra]);
  if (control !== 'start') startRecording(aggregate, w.alice, w.ctx);
  if (control === 'resume') pauseLiveRecording(aggregate, w.alice, w.ctx);
  return aggregate;
}

for (const control of ['start', 'pause', 'resume', 'stop (timer)', 'stop (menu)'] as const) {
  test(`${control}: a member is refused with ForbiddenError and nothing changes`, (t) => {
    const w = world();
    const aggregate = setupFor(control, w);
    assertRefused(t, aggregate, () => controls(w)[control](aggregate, w.bob), ForbiddenError, /admins/);
  });

  test(`${control}: someone who never joined is refused with ForbiddenError`, (t) => {
    const w = world();
    const aggregate = setupFor(control, w);
    assertRefused(t, aggregate, () => controls(w)[control](aggregate, w.outsider), ForbiddenError, /not in this conference/);
  });

  test(`${control}: an admin who left is refused with ForbiddenError`, (t) => {
    const w = world();
    const aggregate = setupFor(control, w, [w.carol]);
    promote(aggregate, w.alice, [w.carol]);
    leaveConference(aggregate, w.carol, { stopRecording: false }, w.ctx);
    assertRefused(t, aggregate, () => controls(w)[control](aggregate, w.carol), ForbiddenError, /not in this conference/);
  });

  test(`${control}: a member who left is refused with ForbiddenError`, (t) => {
    const w = world();
    const aggregate = setupFor(control, w, [w.carol]);
    leaveConference(aggregate, w.carol, { stopRecording: false }, w.ctx);
    assertRefused(t, aggregate, () => controls(w)[control](aggregate, w.carol), ForbiddenError);
  });

  test(`${control}: a regional admin is refused with a ForbiddenError that says why`, (t) => {
    const w = world();
    const aggregate = setupFor(control, w, [w.rita]);
    promote(aggregate, w.alice, [w.rita]);
    const error = assertRefused(t, aggregate, () => controls(w)[control](aggregate, w.rita), ForbiddenError, /regional/);
    t.is(error.message, 'users of the regional server "Региональный" cannot control recording, even as conference admins');
  });
}

test('a regional user who created the conference is its admin but cannot start a recording', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.rita, [w.alice]);
  assertRefused(t, aggregate, () => startRecording(aggregate, w.rita, w.ctx), ForbiddenError, /regional server "Региональный"/);
  // A corporate admin in the same conference can.
  promote(aggregate, w.rita, [w.alice]);
  t.is(startRecording(aggregate, w.alice, w.ctx).recording.number, 1);
});

test('the rule comes from the server rules: a regional server allowed to control recording may', (t) => {
  const w = world();
  const open: ServerData = { id: 'srv-region-open', name: 'Открытый регион', kind: 'regional', rules: { mayControlRecording: true, downloadPolicy: 'anyone-with-link' } };
  const rosa = actor('u-rosa', 'Роза', open);
  const aggregate = conferenceWith(w, rosa, [w.bob]);
  t.is(recordingControlRefusal(aggregate, rosa), null);
  startRecording(aggregate, rosa, w.ctx);
  pauseLiveRecording(aggregate, rosa, w.ctx);
  resumeLiveRecording(aggregate, rosa, w.ctx);
  stopLiveRecording(aggregate, rosa, 'timer', w.ctx);
  t.like(aggregate.recordings[0], { startedBy: 'u-rosa', stoppedBy: 'u-rosa', state: 'processing' });
});

test('the rule comes from the server rules: a corporate server not allowed to control recording may not', (t) => {
  const w = world();
  const locked: ServerData = { id: 'srv-locked', name: 'Закрытый', kind: 'corporate', rules: { mayControlRecording: false, downloadPolicy: 'participants' } };
  const lev = actor('u-lev', 'Лев', locked);
  const aggregate = conferenceWith(w, lev, [w.bob]);
  const error = assertRefused(t, aggregate, () => startRecording(aggregate, lev, w.ctx), ForbiddenError);
  t.is(error.message, 'users of the server "Закрытый" are not allowed to control recording');
  t.notRegex(error.message, /regional/);
});

test('recordingControlRefusal gives the reason for each kind of actor', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.rita, w.erin]);
  promote(aggregate, w.alice, [w.rita, w.erin]);
  t.is(recordingControlRefusal(aggregate, w.alice), null);
  t.is(recordingControlRefusal(aggregate, w.erin), null, 'an admin of the second corporate server may');
  t.is(recordingControlRefusal(aggregate, w.bob), 'only the conference admins control recording');
  t.is(recordingControlRefusal(aggregate, w.outsider), 'you are not in this conference');
  t.regex(recordingControlRefusal(aggregate, w.rita) ?? '', /regional/);
});

test('a regional member is refused as a member first (the reason names the role, not the server)', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.rita]);
  t.is(recordingControlRefusal(aggregate, w.rita), 'only the conference admins control recording');
});

test('one recording at a time: start while recording or paused is a ConflictError', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  promote(aggregate, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  assertRefused(t, aggregate, () => startRecording(aggregate, w.alice, w.ctx), ConflictError, /^a recording is already under way$/);
  assertRefused(t, aggregate, () => startRecording(aggregate, w.bob, w.ctx), ConflictError);
  pauseLiveRecording(aggregate, w.alice, w.ctx);
  assertRefused(t, aggregate, () => startRecording(aggregate, w.bob, w.ctx), ConflictError, /\(paused\)/);
  t.is(aggregate.recordings.length, 1);
});

test('pause while paused and resume while recording are ConflictErrors', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  startRecording(aggregate, w.alice, w.ctx);
  assertRefused(t, aggregate, () => resumeLiveRecording(aggregate, w.alice, w.ctx), ConflictError, /not paused/);
  pauseLiveRecording(aggregate, w.alice, w.ctx);
  assertRefused(t, aggregate, () => pauseLiveRecording(aggregate, w.alice, w.ctx), ConflictError, /already paused/);
});

test('after stop every control but start is a ConflictError', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  stopLiveRecording(aggregate, w.alice, 'menu', w.ctx);
  for (const control of ['pause', 'resume', 'stop (timer)', 'stop (menu)'] as const) {
    assertRefused(t, aggregate, () => controls(w)[control](aggregate, w.alice), ConflictError, /no recording is under way/);
  }
  // «Завершить запись» with nothing left to stop still lets the admin leave.
  t.deepEqual(leaveConference(aggregate, w.alice, { stopRecording: true }, w.ctx), [{ type: 'participant.left', conferenceId: 'id-1', userId: 'u-alice', declinedRecording: false }]);
});

test('controls with no recording ever started are ConflictErrors for an admin, ForbiddenErrors for a member', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  for (const control of ['pause', 'resume', 'stop (timer)', 'stop (menu)'] as const) {
    assertRefused(t, aggregate, () => controls(w)[control](aggregate, w.alice), ConflictError);
    assertRefused(t, aggregate, () => controls(w)[control](aggregate, w.bob), ForbiddenError);
  }
});

test('recording numbers go 1, 2, 3 with fresh ids, and only the last is live', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  const numbers: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const { recording } = startRecording(aggregate, w.alice, w.ctx);
    numbers.push(recording.number);
    t.is(liveRecording(aggregate), recording);
    if (i < 2) stopLiveRecording(aggregate, w.alice, i === 0 ? 'timer' : 'menu', w.ctx);
  }
  t.deepEqual(numbers, [1, 2, 3]);
  t.deepEqual(aggregate.recordings.map((r) => r.state), ['processing', 'processing', 'recording']);
  t.deepEqual(aggregate.recordings.map((r) => r.stopReason), ['timer', 'menu', null]);
  t.is(new Set(aggregate.recordings.map((r) => r.id)).size, 3);
  // The starter consented once; later recordings do not add consents.
  t.is(aggregate.consents.length, 1);
});
