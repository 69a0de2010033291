import test from 'ava';
import type { DomainEvent } from '../../appliance/domain/index.ts';
import {
  addresseeOf,
  answerPrompt,
  createConference,
  joinConference,
  leaveConference,
  makeAdmin,
  pauseLiveRecording,
  resumeLiveRecording,
  startRecording,
  stopLiveRecording,
} from '../../appliance/domain/index.ts';
import { world } from './fixtures.ts';

test('a whole conference: each command returns its events, in order', (t) => {
  const w = world();
  const { aggregate, events: created } = createConference(w.alice, 'Ретро', w.ctx); // id-1, alice id-2
  t.deepEqual(created, [
    { type: 'conference.created', conferenceId: 'id-1', title: 'Ретро' },
    { type: 'participant.joined', conferenceId: 'id-1', userId: 'u-alice', name: 'Алиса', role: 'admin' },
  ]);
  t.deepEqual(joinConference(aggregate, w.bob, w.ctx), [{ type: 'participant.joined', conferenceId: 'id-1', userId: 'u-bob', name: 'Борис', role: 'member' }]); // id-3
  t.deepEqual(joinConference(aggregate, w.rita, w.ctx), [{ type: 'participant.joined', conferenceId: 'id-1', userId: 'u-rita', name: 'Рита', role: 'member' }]); // id-4
  t.deepEqual(makeAdmin(aggregate, w.alice, 'u-bob'), [{ type: 'participant.role_changed', conferenceId: 'id-1', userId: 'u-bob', role: 'admin' }]);

  const { events: started } = startRecording(aggregate, w.alice, w.ctx); // rec id-5, consent id-6, prompts id-7, id-8
  t.deepEqual(started, [
    { type: 'recording.started', conferenceId: 'id-1', recordingId: 'id-5', number: 1 },
    { type: 'consent.given', conferenceId: 'id-1', userId: 'u-alice' },
    { type: 'consent.requested', conferenceId: 'id-1', recordingId: 'id-5', userId: 'u-bob', promptId: 'id-7', kind: 'admin-confirmation' },
    { type: 'consent.requested', conferenceId: 'id-1', recordingId: 'id-5', userId: 'u-rita', promptId: 'id-8', kind: 'consent' },
  ]);
  t.deepEqual(answerPrompt(aggregate, w.bob, 'agree', w.ctx), [{ type: 'consent.given', conferenceId: 'id-1', userId: 'u-bob' }]); // id-9
  w.ctx.advance(4000);
  t.deepEqual(pauseLiveRecording(aggregate, w.bob, w.ctx), [{ type: 'recording.paused', conferenceId: 'id-1', recordingId: 'id-5', recordedMs: 4000 }]);
  w.ctx.advance(4000);
  t.deepEqual(resumeLiveRecording(aggregate, w.alice, w.ctx), [{ type: 'recording.resumed', conferenceId: 'id-1', recordingId: 'id-5', recordedMs: 4000 }]);
  t.deepEqual(joinConference(aggregate, w.carol, w.ctx), [
    { type: 'participant.joined', conferenceId: 'id-1', userId: 'u-carol', name: 'Карина', role: 'member' }, // id-10
    { type: 'consent.requested', conferenceId: 'id-1', recordingId: 'id-5', userId: 'u-carol', promptId: 'id-11', kind: 'consent' },
  ]);
  t.deepEqual(answerPrompt(aggregate, w.rita, 'leave', w.ctx), [{ type: 'participant.left', conferenceId: 'id-1', userId: 'u-rita', declinedRecording: true }]);
  w.ctx.advance(1000);
  t.deepEqual(stopLiveRecording(aggregate, w.bob, 'timer', w.ctx), [{ type: 'recording.stopped', conferenceId: 'id-1', recordingId: 'id-5', reason: 'timer', recordedMs: 5000 }]);

  const { events: second } = startRecording(aggregate, w.bob, w.ctx); // rec id-12
  t.deepEqual(second[0], { type: 'recording.started', conferenceId: 'id-1', recordingId: 'id-12', number: 2 });
  // carol's question lapsed with the first recording: she is asked afresh; alice and bob have consented.
  t.is(second.length, 2);
  t.like(second[1], { type: 'consent.requested', conferenceId: 'id-1', recordingId: 'id-12', userId: 'u-carol', promptId: 'id-13', kind: 'consent' });
  w.ctx.advance(2000);
  t.deepEqual(leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx), [{ type: 'participant.left', conferenceId: 'id-1', userId: 'u-alice', declinedRecording: false }]);
  t.deepEqual(leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx), [
    { type: 'participant.left', conferenceId: 'id-1', userId: 'u-bob', declinedRecording: false },
    { type: 'recording.stopped', conferenceId: 'id-1', recordingId: 'id-12', reason: 'all-admins-left', recordedMs: 2000 },
  ]);
  t.deepEqual(leaveConference(aggregate, w.carol, { stopRecording: false }, w.ctx), [
    { type: 'participant.left', conferenceId: 'id-1', userId: 'u-carol', declinedRecording: false },
    { type: 'conference.ended', conferenceId: 'id-1' },
  ]);
});

test('addresseeOf addresses consent.requested to its user and nothing else', (t) => {
  const c = 'conf';
  const broadcast: DomainEvent[] = [
    { type: 'conference.created', conferenceId: c, title: 'T' },
    { type: 'conference.ended', conferenceId: c },
    { type: 'participant.joined', conferenceId: c, userId: 'u-bob', name: 'Б', role: 'member' },
    { type: 'participant.left', conferenceId: c, userId: 'u-bob', declinedRecording: true },
    { type: 'participant.role_changed', conferenceId: c, userId: 'u-bob', role: 'admin' },
    { type: 'recording.started', conferenceId: c, recordingId: 'r', number: 1 },
    { type: 'recording.paused', conferenceId: c, recordingId: 'r', recordedMs: 1 },
    { type: 'recording.resumed', conferenceId: c, recordingId: 'r', recordedMs: 1 },
    { type: 'recording.stopped', conferenceId: c, recordingId: 'r', reason: 'menu', recordedMs: 1 },
    { type: 'consent.given', conferenceId: c, userId: 'u-bob' },
  ];
  t.deepEqual(
    broadcast.map((event) => addresseeOf(event)),
    broadcast.map(() => null),
  );
  for (const kind of ['consent', 'admin-confirmation'] as const) {
    t.is(addresseeOf({ type: 'consent.requested', conferenceId: c, recordingId: 'r', userId: 'u-carol', promptId: 'p', kind }), 'u-carol');
  }
});

test('every event a start produces is addressed correctly', (t) => {
  const w = world();
  const { aggregate } = createConference(w.alice, 'A', w.ctx);
  joinConference(aggregate, w.bob, w.ctx);
  joinConference(aggregate, w.carol, w.ctx);
  const { events } = startRecording(aggregate, w.alice, w.ctx);
  t.deepEqual(events.map(addresseeOf), [null, null, 'u-bob', 'u-carol']);
});
