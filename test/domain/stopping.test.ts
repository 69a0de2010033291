import test from 'ava';
import type { ConferenceAggregate, ServerData } from '../../appliance/domain/index.ts';
import {
  ConflictError,
  ForbiddenError,
  answerPrompt,
  joinConference,
  leaveConference,
  liveRecording,
  participantOf,
  pauseLiveRecording,
  startRecording,
  stopLiveRecording,
} from '../../appliance/domain/index.ts';
import type { World } from './fixtures.ts';
import { T0, actor, assertRefused, conferenceWith, present, promote, world } from './fixtures.ts';

/** alice (admin) records with bob (admin) and carol (member); the recording is id-… and 10 s long. */
function recordingConference(w: World): ConferenceAggregate {
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  promote(aggregate, w.alice, [w.bob]);
  startRecording(aggregate, w.alice, w.ctx);
  w.ctx.advance(10_000);
  return aggregate;
}

const threeWays = [
  { way: 'timer stop control', reason: 'timer', run: (a: ConferenceAggregate, w: World) => stopLiveRecording(a, w.alice, 'timer', w.ctx) },
  { way: 'menu «Остановить запись»', reason: 'menu', run: (a: ConferenceAggregate, w: World) => stopLiveRecording(a, w.alice, 'menu', w.ctx) },
  { way: '«Завершить запись» when leaving', reason: 'leave', run: (a: ConferenceAggregate, w: World) => leaveConference(a, w.alice, { stopRecording: true }, w.ctx) },
] as const;

for (const { way, reason, run } of threeWays) {
  test(`stopping by the ${way} ends the recording the same way (reason '${reason}')`, (t) => {
    const w = world();
    const aggregate = recordingConference(w);
    const recording = liveRecording(aggregate);
    const events = run(aggregate, w);
    t.deepEqual(events[0], { type: 'recording.stopped', conferenceId: 'id-1', recordingId: recording?.id ?? 'missing', reason, recordedMs: 10_000 });
    t.deepEqual(aggregate.recordings, [
      {
        id: 'id-5',
        conferenceId: 'id-1',
        number: 1,
        state: 'processing',
        startedBy: 'u-alice',
        startedAt: new Date(T0),
        recordedMs: 10_000,
        runningSince: null,
        stoppedAt: new Date(T0 + 10_000),
        stoppedBy: 'u-alice',
        stopReason: reason,
        problem: null,
        mode: null,
      },
    ]);
    t.is(liveRecording(aggregate), undefined);
    if (reason === 'leave') {
      t.deepEqual(events.slice(1), [{ type: 'participant.left', conferenceId: 'id-1', userId: 'u-alice', declinedRecording: false }]);
      t.deepEqual(present(aggregate), ['u-bob', 'u-carol']);
    } else {
      t.is(events.length, 1);
      t.deepEqual(present(aggregate), ['u-alice', 'u-bob', 'u-carol']);
    }
    t.is(aggregate.conference.state, 'active');
  });
}

test('a paused recording can be stopped by leaving with «Завершить запись»; the pause is not counted', (t) => {
  const w = world();
  const aggregate = recordingConference(w);
  pauseLiveRecording(aggregate, w.alice, w.ctx);
  w.ctx.advance(60_000);
  const events = leaveConference(aggregate, w.alice, { stopRecording: true }, w.ctx);
  t.like(events[0], { type: 'recording.stopped', reason: 'leave', recordedMs: 10_000 });
  t.like(aggregate.recordings[0], { state: 'processing', recordedMs: 10_000, stoppedAt: new Date(T0 + 70_000) });
});

test('leaving without choosing to stop while another admin remains does not stop the recording', (t) => {
  const w = world();
  const aggregate = recordingConference(w);
  const events = leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  t.deepEqual(events, [{ type: 'participant.left', conferenceId: 'id-1', userId: 'u-alice', declinedRecording: false }]);
  t.is(liveRecording(aggregate)?.state, 'recording');
  t.like(participantOf(aggregate, 'u-alice'), { present: false, leftAt: new Date(T0 + 10_000), role: 'admin' });
});

test('a member leaving does not stop the recording', (t) => {
  const w = world();
  const aggregate = recordingConference(w);
  const events = leaveConference(aggregate, w.carol, { stopRecording: false }, w.ctx);
  t.is(events.length, 1);
  t.is(liveRecording(aggregate)?.state, 'recording');
});

test('a refused leave-with-stop by a member changes nothing at all', (t) => {
  const w = world();
  const aggregate = recordingConference(w);
  assertRefused(t, aggregate, () => leaveConference(aggregate, w.carol, { stopRecording: true }, w.ctx), ForbiddenError);
  t.true(participantOf(aggregate, 'u-carol')?.present);
  t.is(liveRecording(aggregate)?.state, 'recording');
});

test('a refused leave-with-stop by a regional admin changes nothing at all', (t) => {
  const w = world();
  const aggregate = recordingConference(w);
  joinConference(aggregate, w.rita, w.ctx);
  answerPrompt(aggregate, w.rita, 'agree', w.ctx);
  promote(aggregate, w.alice, [w.rita]);
  assertRefused(t, aggregate, () => leaveConference(aggregate, w.rita, { stopRecording: true }, w.ctx), ForbiddenError, /regional/);
  t.true(participantOf(aggregate, 'u-rita')?.present);
  t.is(liveRecording(aggregate)?.state, 'recording');
});

test('a leave-with-stop when nothing is recording (another admin stopped first) just leaves; a member is still refused', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  assertRefused(t, aggregate, () => leaveConference(aggregate, w.bob, { stopRecording: true }, w.ctx), ForbiddenError);
  t.deepEqual(leaveConference(aggregate, w.alice, { stopRecording: true }, w.ctx), [{ type: 'participant.left', conferenceId: 'id-1', userId: 'u-alice', declinedRecording: false }]);
  t.false(participantOf(aggregate, 'u-alice')?.present);
});

test('leaving when not present is a ConflictError', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  assertRefused(t, aggregate, () => leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx), ConflictError);
  assertRefused(t, aggregate, () => leaveConference(aggregate, w.outsider, { stopRecording: false }, w.ctx), ConflictError);
});

test("the recording stops by itself ('all-admins-left') when the last admin leaves, though members remain", (t) => {
  const w = world();
  const aggregate = recordingConference(w);
  leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  w.ctx.advance(5000);
  const events = leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  t.deepEqual(events, [
    { type: 'participant.left', conferenceId: 'id-1', userId: 'u-bob', declinedRecording: false },
    { type: 'recording.stopped', conferenceId: 'id-1', recordingId: 'id-5', reason: 'all-admins-left', recordedMs: 15_000 },
  ]);
  t.like(aggregate.recordings[0], { state: 'processing', stoppedBy: null, stopReason: 'all-admins-left', recordedMs: 15_000, stoppedAt: new Date(T0 + 15_000) });
  t.deepEqual(present(aggregate), ['u-carol']);
  t.is(aggregate.conference.state, 'active');
});

test('a paused recording also stops by itself when every admin has left', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.carol]);
  startRecording(aggregate, w.alice, w.ctx);
  w.ctx.advance(4000);
  pauseLiveRecording(aggregate, w.alice, w.ctx);
  w.ctx.advance(4000);
  const events = leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  t.like(events[1], { type: 'recording.stopped', reason: 'all-admins-left', recordedMs: 4000 });
});

test('admins from a server that may not control recording do not hold the recording open', (t) => {
  const w = world();
  const aggregate = recordingConference(w);
  joinConference(aggregate, w.rita, w.ctx);
  promote(aggregate, w.alice, [w.rita]);
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  t.is(liveRecording(aggregate)?.state, 'recording', 'alice still holds it open');
  const events = leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  t.deepEqual(
    events.map((e) => e.type),
    ['participant.left', 'recording.stopped'],
  );
  // Rita is still an admin, so the reason must not say that every admin has gone.
  t.like(events[1], { reason: 'controllers-left' });
  t.deepEqual(present(aggregate), ['u-carol', 'u-rita']);
});

test('an admin of a regional server allowed to control recording does hold it open', (t) => {
  const open: ServerData = { id: 'srv-region-open', name: 'Открытый регион', kind: 'regional', rules: { mayControlRecording: true, downloadPolicy: 'anyone-with-link' } };
  const w = world([open]);
  const rosa = actor('u-rosa', 'Роза', open);
  const aggregate = recordingConference(w);
  joinConference(aggregate, rosa, w.ctx);
  promote(aggregate, w.alice, [rosa]);
  leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  t.is(liveRecording(aggregate)?.state, 'recording');
});

test('an admin of a corporate server not allowed to control recording does not hold it open', (t) => {
  const locked: ServerData = { id: 'srv-locked', name: 'Закрытый', kind: 'corporate', rules: { mayControlRecording: false, downloadPolicy: 'anyone-with-link' } };
  const w = world([locked]);
  const lev = actor('u-lev', 'Лев', locked);
  const aggregate = recordingConference(w);
  joinConference(aggregate, lev, w.ctx);
  promote(aggregate, w.alice, [lev]);
  leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  const events = leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  t.like(events[1], { type: 'recording.stopped', reason: 'controllers-left' });
});

test("once the admins who may not control recording leave too, a later recording's stop is 'all-admins-left' again", (t) => {
  const w = world();
  const aggregate = recordingConference(w);
  joinConference(aggregate, w.rita, w.ctx);
  promote(aggregate, w.alice, [w.rita]);
  leaveConference(aggregate, w.rita, { stopRecording: false }, w.ctx);
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  const events = leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  t.like(events[1], { type: 'recording.stopped', reason: 'all-admins-left' });
});

test('an admin of the second corporate server holds the recording open', (t) => {
  const w = world();
  const aggregate = recordingConference(w);
  joinConference(aggregate, w.erin, w.ctx);
  promote(aggregate, w.alice, [w.erin]);
  leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  t.is(liveRecording(aggregate)?.state, 'recording');
  answerPrompt(aggregate, w.erin, 'agree', w.ctx);
  stopLiveRecording(aggregate, w.erin, 'menu', w.ctx);
  t.like(aggregate.recordings[0], { stoppedBy: 'u-erin', stopReason: 'menu' });
});

test('the conference ends when the last participant leaves, and the recording stops before it ends', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.carol]);
  startRecording(aggregate, w.alice, w.ctx);
  w.ctx.advance(3000);
  leaveConference(aggregate, w.carol, { stopRecording: false }, w.ctx);
  t.is(aggregate.conference.state, 'active');
  w.ctx.advance(1000);
  const events = leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  t.deepEqual(events, [
    { type: 'participant.left', conferenceId: 'id-1', userId: 'u-alice', declinedRecording: false },
    { type: 'recording.stopped', conferenceId: 'id-1', recordingId: 'id-4', reason: 'all-admins-left', recordedMs: 4000 },
    { type: 'conference.ended', conferenceId: 'id-1' },
  ]);
  t.like(aggregate.conference, { state: 'ended', endedAt: new Date(T0 + 4000) });
});

test('the last participant leaving with «Завершить запись» stops it as a leave and ends the conference', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  startRecording(aggregate, w.alice, w.ctx);
  w.ctx.advance(2500);
  const events = leaveConference(aggregate, w.alice, { stopRecording: true }, w.ctx);
  t.deepEqual(events, [
    { type: 'recording.stopped', conferenceId: 'id-1', recordingId: 'id-3', reason: 'leave', recordedMs: 2500 },
    { type: 'participant.left', conferenceId: 'id-1', userId: 'u-alice', declinedRecording: false },
    { type: 'conference.ended', conferenceId: 'id-1' },
  ]);
  t.is(aggregate.recordings.length, 1);
  t.is(aggregate.recordings[0]?.stopReason, 'leave');
});

test('the conference ends when the last participant leaves with no recording', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  t.is(aggregate.conference.state, 'active', 'a member alone keeps the conference going');
  w.ctx.advance(500);
  const events = leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  t.deepEqual(events, [
    { type: 'participant.left', conferenceId: 'id-1', userId: 'u-bob', declinedRecording: false },
    { type: 'conference.ended', conferenceId: 'id-1' },
  ]);
  t.like(aggregate.conference, { state: 'ended', endedAt: new Date(T0 + 500) });
  t.deepEqual(present(aggregate), []);
});
