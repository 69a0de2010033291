/**
 * Property-style test: seeded random sequences of commands from several actors on a few
 * conferences. Every command must succeed or be refused with a DomainError, and the invariants must
 * hold after every step. The sequences are run once; each invariant is its own test, reporting the
 * first step (seed, step number, command) that broke it.
 */
import test from 'ava';
import { isDeepStrictEqual } from 'node:util';
import type { Actor, ConferenceAggregate, DomainEvent } from '../../appliance/domain/index.ts';
import {
  DomainError,
  answerPrompt,
  createConference,
  joinConference,
  leaveConference,
  loseConnection,
  makeAdmin,
  pauseLiveRecording,
  resumeLiveRecording,
  startRecording,
  stopLiveRecording,
} from '../../appliance/domain/index.ts';
import type { World } from './fixtures.ts';
import { world } from './fixtures.ts';

const SEEDS = [1, 20_250_115, 42_424_242];
const STEPS = 3000;

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type CommandName = 'create' | 'join' | 'leave' | 'leave+stop' | 'connection-lost' | 'start' | 'pause' | 'resume' | 'stop' | 'agree' | 'decline' | 'makeAdmin';

const WEIGHTS: [CommandName, number][] = [
  ['create', 0.4],
  ['join', 4],
  ['leave', 1.5],
  ['leave+stop', 0.7],
  ['connection-lost', 1],
  ['start', 2],
  ['pause', 1],
  ['resume', 1],
  ['stop', 1],
  ['agree', 2.5],
  ['decline', 0.8],
  ['makeAdmin', 2],
];

const INVARIANTS = [
  'only DomainErrors',
  'a refused command changes nothing',
  'at most one live recording',
  'runningSince is set exactly while recording',
  'recordedMs never decreases',
  'no present participant in an ended conference',
  'an active conference has someone present',
  'a live recording has a present admin who may control it',
  'at most one pending prompt per user',
  'a user with consent has no pending prompt',
  'at most one consent per user',
] as const;
type Invariant = (typeof INVARIANTS)[number];

interface RunResult {
  violations: Map<Invariant, string>;
  succeeded: Map<CommandName, number>;
  refused: Map<string, number>;
  eventTypes: Set<string>;
  stopReasons: Set<string>;
  maxRecordingNumber: number;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function pickCommand(random: () => number): CommandName {
  const total = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [name, w] of WEIGHTS) {
    r -= w;
    if (r < 0) return name;
  }
  return 'join';
}

function run(seed: number, result: RunResult): void {
  const random = prng(seed);
  const w: World = world();
  const actors: Actor[] = [w.alice, w.bob, w.carol, w.erin, w.rita, w.roman];
  const conferences: ConferenceAggregate[] = [];
  const recordedMs = new Map<string, number>();
  const violate = (invariant: Invariant, step: number, command: string, detail: string) => {
    if (!result.violations.has(invariant)) result.violations.set(invariant, `seed ${seed}, step ${step}, ${command}: ${detail}`);
  };

  for (let step = 0; step < STEPS; step += 1) {
    w.ctx.advance(Math.floor(random() * 5000));
    let name = pickCommand(random);
    const active = conferences.filter((c) => c.conference.state === 'active');
    if (active.length === 0 || (name === 'create' && active.length >= 3)) name = active.length === 0 ? 'create' : 'join';
    // Mostly an active conference, sometimes any (ended ones included).
    const aggregate = random() < 0.9 && active.length > 0 ? pick(random, active) : conferences.length > 0 ? pick(random, conferences) : undefined;
    // Bias the actor towards someone for whom the command can work, but keep everyone possible.
    const presentIds = new Set(aggregate?.participants.filter((p) => p.present).map((p) => p.userId) ?? []);
    const inside = actors.filter((a) => presentIds.has(a.userId));
    const outside = actors.filter((a) => !presentIds.has(a.userId));
    const preferred = name === 'join' ? outside : inside;
    const who = random() < 0.75 && preferred.length > 0 ? pick(random, preferred) : pick(random, actors);
    const target = pick(random, actors);
    const control = random() < 0.5 ? ('timer' as const) : ('menu' as const);
    const label = `${name} by ${who.userId}${name === 'makeAdmin' ? ` of ${target.userId}` : ''} in ${aggregate?.conference.id ?? '(new)'}`;

    const commands: Record<CommandName, (a: ConferenceAggregate) => DomainEvent[]> = {
      create: () => {
        const created = createConference(who, `Конференция ${step}`, w.ctx);
        conferences.push(created.aggregate);
        return created.events;
      },
      join: (a) => joinConference(a, who, w.ctx),
      leave: (a) => leaveConference(a, who, { stopRecording: false }, w.ctx),
      'leave+stop': (a) => leaveConference(a, who, { stopRecording: true }, w.ctx),
      'connection-lost': (a) => loseConnection(a, who.userId, w.ctx),
      start: (a) => startRecording(a, who, w.ctx).events,
      pause: (a) => pauseLiveRecording(a, who, w.ctx),
      resume: (a) => resumeLiveRecording(a, who, w.ctx),
      stop: (a) => stopLiveRecording(a, who, control, w.ctx),
      agree: (a) => answerPrompt(a, who, 'agree', w.ctx),
      decline: (a) => answerPrompt(a, who, 'leave', w.ctx),
      makeAdmin: (a) => makeAdmin(a, who, target.userId),
    };

    const before = aggregate ? structuredClone(aggregate) : undefined;
    try {
      const events = commands[name](aggregate as ConferenceAggregate);
      result.succeeded.set(name, (result.succeeded.get(name) ?? 0) + 1);
      for (const event of events) {
        result.eventTypes.add(event.type);
        if (event.type === 'recording.stopped') result.stopReasons.add(event.reason);
        if (event.type === 'recording.started') result.maxRecordingNumber = Math.max(result.maxRecordingNumber, event.number);
      }
    } catch (error) {
      if (!(error instanceof DomainError)) {
        violate('only DomainErrors', step, label, String(error));
      } else {
        result.refused.set(`${name}:${error.code}`, (result.refused.get(`${name}:${error.code}`) ?? 0) + 1);
        if (aggregate && !isDeepStrictEqual(aggregate, before)) violate('a refused command changes nothing', step, label, error.message);
      }
    }

    for (const a of conferences) {
      const id = a.conference.id;
      const live = a.recordings.filter((r) => r.state === 'recording' || r.state === 'paused');
      if (live.length > 1) violate('at most one live recording', step, label, `${id} has ${live.length}`);
      for (const r of a.recordings) {
        if ((r.runningSince !== null) !== (r.state === 'recording')) violate('runningSince is set exactly while recording', step, label, `${r.id} is ${r.state} with runningSince ${String(r.runningSince)}`);
        const previous = recordedMs.get(r.id) ?? 0;
        if (r.recordedMs < previous) violate('recordedMs never decreases', step, label, `${r.id}: ${previous} → ${r.recordedMs}`);
        recordedMs.set(r.id, r.recordedMs);
      }
      const presentOnes = a.participants.filter((p) => p.present);
      if (a.conference.state === 'ended' && presentOnes.length > 0) violate('no present participant in an ended conference', step, label, `${id}: ${presentOnes.map((p) => p.userId).join(', ')}`);
      if (a.conference.state === 'active' && presentOnes.length === 0) violate('an active conference has someone present', step, label, id);
      if (live.length > 0 && !presentOnes.some((p) => p.role === 'admin' && w.ctx.server(p.serverId).rules.mayControlRecording)) {
        violate('a live recording has a present admin who may control it', step, label, id);
      }
      for (const actor of actors) {
        const pendingPrompts = a.prompts.filter((p) => p.userId === actor.userId && p.answeredAt === null);
        const consents = a.consents.filter((c) => c.userId === actor.userId);
        if (pendingPrompts.length > 1) violate('at most one pending prompt per user', step, label, `${actor.userId} in ${id}`);
        if (consents.length > 0 && pendingPrompts.length > 0) violate('a user with consent has no pending prompt', step, label, `${actor.userId} in ${id} (prompt ${pendingPrompts[0]?.id})`);
        if (consents.length > 1) violate('at most one consent per user', step, label, `${actor.userId} in ${id}`);
      }
    }
  }
}

let memo: RunResult | undefined;
function results(): RunResult {
  if (!memo) {
    memo = { violations: new Map(), succeeded: new Map(), refused: new Map(), eventTypes: new Set(), stopReasons: new Set(), maxRecordingNumber: 0 };
    for (const seed of SEEDS) run(seed, memo);
  }
  return memo;
}

for (const invariant of INVARIANTS) {
  test(`property: ${invariant}`, (t) => {
    t.is(results().violations.get(invariant), undefined);
  });
}

test('property: the random sequences reach every command and every kind of outcome', (t) => {
  const r = results();
  for (const [name] of WEIGHTS) t.true((r.succeeded.get(name) ?? 0) >= 10, `${name} succeeded ${r.succeeded.get(name) ?? 0} times`);
  for (const refusal of ['start:forbidden', 'start:conflict', 'pause:conflict', 'resume:conflict', 'leave+stop:forbidden', 'makeAdmin:forbidden', 'makeAdmin:conflict', 'agree:conflict']) {
    t.true((r.refused.get(refusal) ?? 0) >= 5, `${refusal} refused ${r.refused.get(refusal) ?? 0} times`);
  }
  t.deepEqual([...r.stopReasons].sort(), ['all-admins-left', 'controllers-left', 'leave', 'menu', 'timer']);
  for (const type of ['conference.ended', 'participant.role_changed', 'consent.requested', 'consent.given', 'recording.paused', 'recording.resumed']) {
    t.true(r.eventTypes.has(type), type);
  }
  t.true(r.maxRecordingNumber >= 3);
});
