import test from 'ava';
import { ConflictError, ForbiddenError, createConference, joinConference, leaveConference, makeAdmin, participantOf } from '../../appliance/domain/index.ts';
import { T0, assertRefused, conferenceWith, types, world } from './fixtures.ts';

test('the creator of a conference becomes its admin; the conference starts active', (t) => {
  const w = world();
  const { aggregate, events } = createConference(w.alice, '  Планёрка   отдела ', w.ctx);
  t.deepEqual(aggregate.conference, {
    id: 'id-1',
    title: 'Планёрка отдела',
    createdBy: 'u-alice',
    state: 'active',
    createdAt: new Date(T0),
    endedAt: null,
  });
  t.deepEqual(aggregate.participants, [
    { id: 'id-2', conferenceId: 'id-1', userId: 'u-alice', name: 'Алиса', serverId: 'srv-corp', role: 'admin', present: true, joinedAt: new Date(T0), leftAt: null },
  ]);
  t.deepEqual(aggregate.recordings, []);
  t.deepEqual(aggregate.consents, []);
  t.deepEqual(aggregate.prompts, []);
  t.deepEqual(events, [
    { type: 'conference.created', conferenceId: 'id-1', title: 'Планёрка отдела' },
    { type: 'participant.joined', conferenceId: 'id-1', userId: 'u-alice', name: 'Алиса', role: 'admin' },
  ]);
});

test('a regional user who creates a conference is its admin too', (t) => {
  const w = world();
  const { aggregate } = createConference(w.rita, 'Встреча', w.ctx);
  t.is(participantOf(aggregate, 'u-rita')?.role, 'admin');
  t.is(participantOf(aggregate, 'u-rita')?.serverId, 'srv-region');
});

test('a bad title refuses creation with InvalidInputError on the title field', (t) => {
  const w = world();
  const error = t.throws(() => createConference(w.alice, '   ', w.ctx));
  t.is(error?.name, 'InvalidInputError');
  t.is((error as { field?: string }).field, 'title');
});

test('people who join are members', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  w.ctx.advance(1000);
  const events = joinConference(aggregate, w.bob, w.ctx);
  t.deepEqual(events, [{ type: 'participant.joined', conferenceId: 'id-1', userId: 'u-bob', name: 'Борис', role: 'member' }]);
  t.deepEqual(participantOf(aggregate, 'u-bob'), {
    id: 'id-3',
    conferenceId: 'id-1',
    userId: 'u-bob',
    name: 'Борис',
    serverId: 'srv-corp',
    role: 'member',
    present: true,
    joinedAt: new Date(T0 + 1000),
    leftAt: null,
  });
});

test('joining while already present changes nothing and says nothing', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  const before = structuredClone(aggregate);
  t.deepEqual(joinConference(aggregate, w.bob, w.ctx), []);
  t.deepEqual(joinConference(aggregate, w.alice, w.ctx), []);
  t.deepEqual(aggregate, before);
});

test('an admin can make another present participant an admin', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  const events = makeAdmin(aggregate, w.alice, 'u-bob');
  t.deepEqual(events, [{ type: 'participant.role_changed', conferenceId: 'id-1', userId: 'u-bob', role: 'admin' }]);
  t.is(participantOf(aggregate, 'u-bob')?.role, 'admin');
  t.is(participantOf(aggregate, 'u-carol')?.role, 'member');
  // The new admin can in turn promote others.
  t.deepEqual(makeAdmin(aggregate, w.bob, 'u-carol'), [{ type: 'participant.role_changed', conferenceId: 'id-1', userId: 'u-carol', role: 'admin' }]);
});

test('a regional admin can still make others admins (only recording control is withheld)', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.rita, [w.bob]);
  t.deepEqual(types(makeAdmin(aggregate, w.rita, 'u-bob')), ['participant.role_changed']);
});

test('a member cannot make anyone an admin: ForbiddenError, nothing changes', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  assertRefused(t, aggregate, () => makeAdmin(aggregate, w.bob, 'u-carol'), ForbiddenError);
  assertRefused(t, aggregate, () => makeAdmin(aggregate, w.bob, 'u-bob'), ForbiddenError);
});

test('making an admin of someone already admin is a ConflictError naming them', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  makeAdmin(aggregate, w.alice, 'u-bob');
  const error = assertRefused(t, aggregate, () => makeAdmin(aggregate, w.alice, 'u-bob'), ConflictError, /Борис/);
  t.is(error.field, 'userId');
  assertRefused(t, aggregate, () => makeAdmin(aggregate, w.alice, 'u-alice'), ConflictError);
});

test('making an admin of someone not present (left, or never joined) is a ConflictError', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  const left = assertRefused(t, aggregate, () => makeAdmin(aggregate, w.alice, 'u-bob'), ConflictError);
  t.is(left.field, 'userId');
  assertRefused(t, aggregate, () => makeAdmin(aggregate, w.alice, 'u-nobody'), ConflictError);
});

test('an admin who left cannot make others admins; nor can an outsider', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  makeAdmin(aggregate, w.alice, 'u-bob');
  leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  assertRefused(t, aggregate, () => makeAdmin(aggregate, w.alice, 'u-carol'), ForbiddenError);
  assertRefused(t, aggregate, () => makeAdmin(aggregate, w.outsider, 'u-carol'), ForbiddenError);
});

test('a participant who rejoins keeps the admin role', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  makeAdmin(aggregate, w.alice, 'u-bob');
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  const events = joinConference(aggregate, { ...w.bob, name: 'Борис П.' }, w.ctx);
  t.deepEqual(events, [{ type: 'participant.joined', conferenceId: 'id-1', userId: 'u-bob', name: 'Борис П.', role: 'admin' }]);
  t.is(aggregate.participants.length, 2, 'a rejoin reuses the participant record');
  t.is(participantOf(aggregate, 'u-bob')?.leftAt, null);
});

test('nothing can be done in an ended conference (ConflictError)', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  t.is(aggregate.conference.state, 'ended');
  assertRefused(t, aggregate, () => makeAdmin(aggregate, w.alice, 'u-bob'), ConflictError, /ended/);
  assertRefused(t, aggregate, () => joinConference(aggregate, w.alice, w.ctx), ConflictError, /ended/);
  assertRefused(t, aggregate, () => joinConference(aggregate, w.carol, w.ctx), ConflictError, /ended/);
});
