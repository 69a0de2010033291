import test from 'ava';
import type { RetentionPolicyData, RetentionSubject } from '../../appliance/domain/index.ts';
import {
  ConflictError,
  InvalidInputError,
  assertRoomToStartRecording,
  diskTooFullToRecord,
  governingPolicy,
  retentionCutoff,
  retentionVerdict,
  startRecording,
  stopForFullDisk,
  validateLegalHold,
  validateRetentionPolicy,
} from '../../appliance/domain/index.ts';
import { conferenceWith, pending, world } from '../domain/fixtures.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-01-10T12:00:00Z');
const MB = 1024 * 1024;

function policy(fields: Partial<RetentionPolicyData> & Pick<RetentionPolicyData, 'scope' | 'keepDays'>): RetentionPolicyData {
  return { id: `p-${fields.scope}-${fields.serverId ?? fields.modeId ?? ''}-${fields.keepDays}`, serverId: null, modeId: null, action: 'delete-files', enabled: true, ...fields };
}

function subject(fields: Partial<RetentionSubject> = {}): RetentionSubject {
  return { state: 'ready', startedAt: T0, stoppedAt: T0, ownerServerId: 'srv-corp', modeId: 'mode-composite', legalHold: false, filesDeleted: false, ...fields };
}

test('a retention policy names exactly the target its scope needs and keeps recordings 1 day or more', (t) => {
  const ok = [
    { scope: 'global', keepDays: 120, action: 'delete-files' },
    { scope: 'server', serverId: 's', keepDays: 1, action: 'delete-recording' },
    { scope: 'mode', modeId: 'm', keepDays: 36_500, action: 'delete-files', serverId: null },
  ];
  for (const input of ok) t.notThrows(() => validateRetentionPolicy(input), JSON.stringify(input));
  const refused: Array<[Record<string, unknown>, string]> = [
    [{ scope: 'everything', keepDays: 1, action: 'delete-files' }, 'scope'],
    [{ scope: 'global', keepDays: 1, action: 'shred' }, 'action'],
    [{ scope: 'global', keepDays: 0, action: 'delete-files' }, 'keepDays'],
    [{ scope: 'global', keepDays: 1.5, action: 'delete-files' }, 'keepDays'],
    [{ scope: 'global', keepDays: 36_501, action: 'delete-files' }, 'keepDays'],
    [{ scope: 'server', keepDays: 1, action: 'delete-files' }, 'serverId'],
    [{ scope: 'mode', keepDays: 1, action: 'delete-files' }, 'modeId'],
    [{ scope: 'global', serverId: 's', keepDays: 1, action: 'delete-files' }, 'serverId'],
    [{ scope: 'server', serverId: 's', modeId: 'm', keepDays: 1, action: 'delete-files' }, 'modeId'],
  ];
  for (const [input, field] of refused) {
    const error = t.throws(() => validateRetentionPolicy(input), { instanceOf: InvalidInputError }, JSON.stringify(input));
    t.is(error?.field, field, JSON.stringify(input));
  }
  t.notThrows(() => validateLegalHold({ reason: 'Запрос прокуратуры №12' }));
  t.is(t.throws(() => validateLegalHold({ reason: '  ' }))?.message.includes('reason'), true);
});

test('a server or mode policy governs before the global one; of the two, the one keeping longer', (t) => {
  const global = policy({ scope: 'global', keepDays: 120 });
  const server = policy({ scope: 'server', serverId: 'srv-corp', keepDays: 30 });
  const mode = policy({ scope: 'mode', modeId: 'mode-composite', keepDays: 60, action: 'delete-recording' });
  const otherServer = policy({ scope: 'server', serverId: 'srv-other', keepDays: 5 });
  t.is(governingPolicy(subject(), [global]), global);
  t.is(governingPolicy(subject(), [global, server, otherServer]), server, 'shorter than the global one, still it governs');
  t.is(governingPolicy(subject(), [global, server, mode]), mode, 'server and mode both apply: the longer keep wins');
  t.is(governingPolicy(subject({ modeId: null }), [global, mode]), global, 'a recording without a mode has no mode policy');
  t.is(governingPolicy(subject(), [{ ...server, enabled: false }, global]), global, 'a switched-off policy does not count');
  t.is(governingPolicy(subject({ ownerServerId: 'srv-x' }), [server, mode, otherServer]), mode);
  t.is(governingPolicy(subject({ ownerServerId: 'srv-x', modeId: 'mode-x' }), [server, mode]), null);
  // Same period: keeping the recording on record is the cautious choice.
  const sameDaysDeleting = policy({ scope: 'mode', modeId: 'mode-composite', keepDays: 30, action: 'delete-recording' });
  t.is(governingPolicy(subject(), [sameDaysDeleting, server]), server);
});

test('the verdict: due from the stop, never live or held recordings, no twice-deleted files', (t) => {
  const filesAfter30 = policy({ scope: 'global', keepDays: 30 });
  const due = new Date(T0.getTime() + 30 * DAY);
  t.like(retentionVerdict(subject(), [filesAfter30], new Date(due.getTime() - 1)), { expire: false, because: 'not-due' });
  const verdict = retentionVerdict(subject(), [filesAfter30], due);
  t.like(verdict, { expire: true, policy: filesAfter30 });
  t.deepEqual(verdict.expire && verdict.dueAt, due);
  t.like(retentionVerdict(subject({ state: 'failed' }), [filesAfter30], due), { expire: true });
  for (const state of ['recording', 'paused', 'processing'] as const) t.like(retentionVerdict(subject({ state, stoppedAt: null }), [filesAfter30], new Date(T0.getTime() + 999 * DAY)), { expire: false, because: 'unfinished' }, state);
  t.like(retentionVerdict(subject({ legalHold: true }), [filesAfter30], new Date(T0.getTime() + 999 * DAY)), { expire: false, because: 'legal-hold' });
  t.like(retentionVerdict(subject(), [], due), { expire: false, because: 'no-policy' });
  t.like(retentionVerdict(subject({ filesDeleted: true }), [filesAfter30], due), { expire: false, because: 'already-deleted' });
  // A policy changed to delete recordings also takes those whose files went earlier.
  t.like(retentionVerdict(subject({ filesDeleted: true }), [{ ...filesAfter30, action: 'delete-recording' }], due), { expire: true });
  t.deepEqual(retentionCutoff([filesAfter30, policy({ scope: 'mode', modeId: 'm', keepDays: 7 }), policy({ scope: 'server', serverId: 's', keepDays: 1, enabled: false })], due), new Date(due.getTime() - 7 * DAY));
  t.is(retentionCutoff([], due), null);
});

test('below the start floor no recording starts, with a message naming the free space and the setting', (t) => {
  const floors = { startFloorBytes: 2048 * MB, stopFloorBytes: 256 * MB };
  t.notThrows(() => assertRoomToStartRecording(2048 * MB, floors));
  const error = t.throws(() => assertRoomToStartRecording(1500 * MB, floors), { instanceOf: ConflictError });
  t.regex(error?.message ?? '', /1500 MB of free disk space left for recordings, below the 2048 MB its administrator requires \(RECORDINGS_MIN_FREE_MB\)/);
  t.false(diskTooFullToRecord(1500 * MB, floors), 'between the floors a live recording goes on');
  t.true(diskTooFullToRecord(255 * MB, floors));
});

test('a full disk stops the live recording with nobody as its stopper, keeps it for processing and lapses its questions', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  const { recording } = startRecording(aggregate, w.alice, w.ctx);
  t.truthy(pending(aggregate, w.bob));
  w.ctx.advance(90_000);
  const events = stopForFullDisk(aggregate, 100 * MB, w.ctx.now);
  t.deepEqual(events, [{ type: 'recording.stopped', conferenceId: aggregate.conference.id, recordingId: recording.id, reason: 'disk-full', recordedMs: 90_000 }]);
  t.like(recording, { state: 'processing', stopReason: 'disk-full', stoppedBy: null, recordedMs: 90_000 });
  t.regex(recording.problem ?? '', /закончилось место \(осталось 100 МБ\)/);
  t.is(pending(aggregate, w.bob), undefined);
  t.deepEqual(stopForFullDisk(aggregate, 100 * MB, w.ctx.now), [], 'nothing live: nothing to stop');
});
