import test from 'ava';
import type { ConferenceAggregate } from '../../appliance/domain/index.ts';
import { PresenceLedger, answerPrompt, joinConference, leaveConference, liveRecording, loseConnection, startRecording } from '../../appliance/domain/index.ts';
import type { World } from './fixtures.ts';
import { T0, conferenceWith, present, promote, snapshot, types, world } from './fixtures.ts';

/** alice (admin) records with bob and carol present; both agreed. */
function recording(w: World, admins: World['alice'][] = []): ConferenceAggregate {
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol, w.rita]);
  promote(aggregate, w.alice, admins);
  startRecording(aggregate, w.alice, w.ctx);
  for (const who of [w.bob, w.carol, w.rita]) answerPrompt(aggregate, who, 'agree', w.ctx);
  w.ctx.advance(10_000);
  return aggregate;
}

test('a lost connection is a leave, said to be one, and the recording goes on while an admin who may control it stays', (t) => {
  const w = world();
  const aggregate = recording(w, [w.bob]);
  const events = loseConnection(aggregate, w.alice.userId, w.ctx);
  t.deepEqual(events, [{ type: 'participant.left', conferenceId: aggregate.conference.id, userId: 'u-alice', declinedRecording: false, connectionLost: true }]);
  t.deepEqual(present(aggregate), ['u-bob', 'u-carol', 'u-rita']);
  t.is(aggregate.participants.find((p) => p.userId === 'u-alice')?.leftAt?.getTime(), w.ctx.now.getTime());
  t.is(liveRecording(aggregate)?.state, 'recording');
});

test('the last admin who may control recording losing their connection stops the recording by itself, though a regional admin stays', (t) => {
  const w = world();
  const aggregate = recording(w, [w.rita]);
  const events = loseConnection(aggregate, w.alice.userId, w.ctx);
  t.deepEqual(types(events), ['participant.left', 'recording.stopped']);
  t.like(events[1], { reason: 'controllers-left', recordedMs: 10_000 });
  t.like(aggregate.recordings[0], { state: 'processing', stoppedBy: null, stopReason: 'controllers-left' });
  t.is(aggregate.conference.state, 'active');
});

test('the conference ends when the last one present loses their connection, and the recording stops first', (t) => {
  const w = world();
  const aggregate = recording(w);
  for (const who of [w.bob, w.carol, w.rita]) leaveConference(aggregate, who, { stopRecording: false }, w.ctx);
  const events = loseConnection(aggregate, w.alice.userId, w.ctx);
  t.deepEqual(types(events), ['participant.left', 'recording.stopped', 'conference.ended']);
  t.is(aggregate.conference.state, 'ended');
  t.is(aggregate.conference.endedAt?.getTime(), T0 + 10_000);
});

test('a lost connection of someone who already left, never joined, or of an ended conference changes nothing', (t) => {
  const w = world();
  const aggregate = recording(w, [w.bob]);
  leaveConference(aggregate, w.carol, { stopRecording: false }, w.ctx);
  const before = snapshot(aggregate);
  t.deepEqual(loseConnection(aggregate, w.carol.userId, w.ctx), []);
  t.deepEqual(loseConnection(aggregate, w.outsider.userId, w.ctx), []);
  t.deepEqual(aggregate, before);
  for (const who of [w.alice, w.bob, w.rita]) leaveConference(aggregate, who, { stopRecording: false }, w.ctx);
  const ended = snapshot(aggregate);
  t.deepEqual(loseConnection(aggregate, w.alice.userId, w.ctx), []);
  t.deepEqual(aggregate, ended);
});

test('coming back after a lost connection keeps the admin role and the consent: no second question', (t) => {
  const w = world();
  const aggregate = recording(w, [w.bob]);
  loseConnection(aggregate, w.bob.userId, w.ctx);
  const events = joinConference(aggregate, w.bob, w.ctx);
  t.deepEqual(events, [{ type: 'participant.joined', conferenceId: aggregate.conference.id, userId: 'u-bob', name: 'Борис', role: 'admin' }]);
});

const alice = { conferenceId: 'c-1', userId: 'u-alice' };
const bob = { conferenceId: 'c-1', userId: 'u-bob' };
const at = (ms: number) => new Date(T0 + ms);

test('the ledger lets a participant go only when every connection of theirs has been gone for the grace period', (t) => {
  const ledger = new PresenceLedger(30_000);
  ledger.connected(alice, 'tab-1');
  ledger.connected(alice, 'tab-2');
  ledger.disconnected(alice, 'tab-1', at(0));
  t.true(ledger.isConnected(alice));
  t.is(ledger.nextDueAt(), null);
  t.deepEqual(ledger.due(at(60_000)), [], 'a second tab keeps them present');
  ledger.disconnected(alice, 'tab-2', at(1_000));
  t.deepEqual(ledger.nextDueAt(), at(31_000));
  t.deepEqual(ledger.due(at(30_999)), []);
  t.deepEqual(ledger.due(at(31_000)), [alice]);
  t.deepEqual(ledger.due(at(90_000)), [], 'each is reported once');
  t.is(ledger.nextDueAt(), null);
});

test('a reload or reconnect within the grace period stops the clock; a connection gone twice counts once', (t) => {
  const ledger = new PresenceLedger(30_000);
  ledger.connected(alice, 'tab-1');
  ledger.disconnected(alice, 'tab-1', at(0));
  ledger.connected(alice, 'tab-1-reloaded');
  t.deepEqual(ledger.due(at(120_000)), []);
  ledger.disconnected(alice, 'tab-1', at(130_000));
  t.deepEqual(ledger.due(at(300_000)), [], 'an old connection reported again does not end the new one');
  ledger.disconnected(alice, 'tab-1-reloaded', at(300_000));
  t.deepEqual(ledger.due(at(330_000)), [alice]);
});

test('after a restart, those present from before have the grace period to come back; leaving by themselves ends their clock', (t) => {
  const ledger = new PresenceLedger(20_000);
  ledger.unconfirmed(alice, at(0));
  ledger.unconfirmed(bob, at(0));
  ledger.connected(bob, 'tab');
  ledger.unconfirmed(bob, at(5_000));
  t.deepEqual(ledger.due(at(20_000)), [alice], 'bob came back; alice did not');
  ledger.disconnected(bob, 'tab', at(21_000));
  ledger.left(bob);
  t.deepEqual(ledger.due(at(100_000)), []);
});

test('a grace period that is not a duration is refused', (t) => {
  t.throws(() => new PresenceLedger(-1), { instanceOf: RangeError });
  t.throws(() => new PresenceLedger(Number.NaN), { instanceOf: RangeError });
  t.is(new PresenceLedger(0).graceMs, 0);
});
