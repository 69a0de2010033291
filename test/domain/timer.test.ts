import test from 'ava';
import type { RecordingData, RecordingState } from '../../appliance/domain/index.ts';
import {
  ConflictError,
  LONGEST_PIPELINE_START_MS,
  countFromPipelineStart,
  finishProcessing,
  interruptLiveRecording,
  interruptionNote,
  isLive,
  liveRecording,
  newRecording,
  pauseLiveRecording,
  pauseRecording,
  recordedTime,
  recordingPipelineStarted,
  resumeLiveRecording,
  resumeRecording,
  startRecording,
  stopLiveRecording,
  stopRecording,
} from '../../appliance/domain/index.ts';
import { T0, conferenceWith, pending, snapshot, world } from './fixtures.ts';

const at = (ms: number) => new Date(T0 + ms);

function fresh(): RecordingData {
  return newRecording({ id: 'rec-1', conferenceId: 'conf-1', number: 1, startedBy: 'u-alice', now: at(0), mode: null });
}

function inState(state: RecordingState): RecordingData {
  const recording = fresh();
  if (state === 'paused') pauseRecording(recording, at(1000));
  if (state === 'processing' || state === 'ready' || state === 'failed') stopRecording(recording, { by: 'u-alice', reason: 'menu', now: at(1000) });
  if (state === 'ready') finishProcessing(recording, { fileCount: 2, problem: null });
  if (state === 'failed') finishProcessing(recording, { fileCount: 0, problem: 'nothing was written' });
  return recording;
}

test('the timer excludes pauses: start → 12.5 s → pause → 1 min → resume → 7.25 s → stop', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  const { recording } = startRecording(aggregate, w.alice, w.ctx);
  w.ctx.advance(12_500);
  t.is(recordedTime(recording, w.ctx.now), 12_500);
  t.deepEqual(pauseLiveRecording(aggregate, w.alice, w.ctx)[0], { type: 'recording.paused', conferenceId: 'id-1', recordingId: recording.id, recordedMs: 12_500 });
  w.ctx.advance(60_000);
  t.is(recordedTime(recording, w.ctx.now), 12_500, 'frozen while paused');
  t.is(recording.recordedMs, 12_500);
  t.is(recording.runningSince, null);
  t.like(resumeLiveRecording(aggregate, w.alice, w.ctx)[0], { type: 'recording.resumed', recordedMs: 12_500 });
  t.deepEqual(recording.runningSince, at(72_500));
  w.ctx.advance(7_250);
  t.is(recordedTime(recording, w.ctx.now), 19_750);
  t.like(stopLiveRecording(aggregate, w.alice, 'timer', w.ctx)[0], { type: 'recording.stopped', recordedMs: 19_750 });
  t.is(recording.recordedMs, 19_750, 'recordedMs after stop equals the recorded time');
  w.ctx.advance(3_600_000);
  t.is(recordedTime(recording, w.ctx.now), 19_750, 'frozen after stop');
  t.deepEqual(recording.stoppedAt, at(79_750));
});

test('several pauses add up exactly', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  const { recording } = startRecording(aggregate, w.alice, w.ctx);
  const runs = [1_001, 2_002, 3_003];
  for (const [i, run] of runs.entries()) {
    w.ctx.advance(run);
    pauseLiveRecording(aggregate, w.alice, w.ctx);
    w.ctx.advance(10_000 * (i + 1));
    if (i < runs.length - 1) resumeLiveRecording(aggregate, w.alice, w.ctx);
  }
  stopLiveRecording(aggregate, w.alice, 'menu', w.ctx);
  t.is(recording.recordedMs, 6_006);
  t.is(recording.stopReason, 'menu');
});

test('a stop with no time elapsed records 0 ms', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  const { recording } = startRecording(aggregate, w.alice, w.ctx);
  t.like(stopLiveRecording(aggregate, w.alice, 'menu', w.ctx)[0], { recordedMs: 0 });
  t.is(recording.recordedMs, 0);
});

test('recordedTime: recorded runs plus the run under way; never negative if the clock goes back', (t) => {
  t.is(recordedTime({ recordedMs: 500, runningSince: null }, at(99_999)), 500);
  t.is(recordedTime({ recordedMs: 500, runningSince: at(1000) }, at(4000)), 3500);
  t.is(recordedTime({ recordedMs: 500, runningSince: at(5000) }, at(4000)), 500);
});

test('newRecording starts running at once', (t) => {
  t.deepEqual(fresh(), {
    id: 'rec-1',
    conferenceId: 'conf-1',
    number: 1,
    state: 'recording',
    startedBy: 'u-alice',
    startedAt: at(0),
    recordedMs: 0,
    runningSince: at(0),
    stoppedAt: null,
    stoppedBy: null,
    stopReason: null,
    problem: null,
    mode: null,
  });
});

test('the first run counts from when the pipeline began writing, so the timer says how long the files are', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  const { recording } = startRecording(aggregate, w.alice, w.ctx);
  const commandAt = w.ctx.now;
  w.ctx.advance(2_000);
  t.deepEqual(recordingPipelineStarted(aggregate, recording.id, new Date(commandAt.getTime() + 180)), [], 'nothing to announce');
  t.is(recordedTime(recording, w.ctx.now), 1_820);
  t.deepEqual(recording.startedAt, commandAt, 'the start itself stays when it was asked for');
  recordingPipelineStarted(aggregate, recording.id, new Date(commandAt.getTime() + 900));
  t.is(recordedTime(recording, w.ctx.now), 1_820, 'only once');
  pauseLiveRecording(aggregate, w.alice, w.ctx);
  t.is(recording.recordedMs, 1_820);
});

test('countFromPipelineStart leaves the timer alone for later runs, other states and implausible moments', (t) => {
  const cases: [string, RecordingData, Date][] = [];
  const resumed = fresh();
  pauseRecording(resumed, at(1000));
  resumeRecording(resumed, at(3000));
  cases.push(['a run after a pause', resumed, at(3200)]);
  for (const state of ['paused', 'processing', 'ready', 'failed'] as const) cases.push([`a ${state} recording`, inState(state), at(200)]);
  cases.push(['a moment before the command', fresh(), at(-5)], ['the moment of the command', fresh(), at(0)], ['a moment too late to be this start', fresh(), at(LONGEST_PIPELINE_START_MS + 1)]);
  for (const [name, recording, moment] of cases) {
    const before = structuredClone(recording);
    t.false(countFromPipelineStart(recording, moment), name);
    t.deepEqual(recording, before, `${name} changed the recording`);
  }
  const late = fresh();
  t.true(countFromPipelineStart(late, at(LONGEST_PIPELINE_START_MS)));
  t.deepEqual(late.runningSince, at(LONGEST_PIPELINE_START_MS));
});

test('recordingPipelineStarted ignores a recording that is not the live one', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  const { recording } = startRecording(aggregate, w.alice, w.ctx);
  const before = structuredClone(recording);
  t.deepEqual(recordingPipelineStarted(aggregate, 'another-recording', new Date(w.ctx.now.getTime() + 100)), []);
  t.deepEqual(recording, before);
});

test('isLive: recording and paused only', (t) => {
  const states: RecordingState[] = ['recording', 'paused', 'processing', 'ready', 'failed'];
  t.deepEqual(
    states.map((state) => isLive({ state })),
    [true, true, false, false, false],
  );
});

test('pause/resume/stop refuse the wrong states with ConflictError and leave the recording untouched', (t) => {
  const cases: [string, RecordingState, (r: RecordingData) => void, RegExp][] = [
    ['pause', 'paused', (r) => pauseRecording(r, at(5000)), /already paused/],
    ['resume', 'recording', (r) => resumeRecording(r, at(5000)), /not paused/],
  ];
  for (const state of ['processing', 'ready', 'failed'] as const) {
    cases.push(['pause', state, (r) => pauseRecording(r, at(5000)), /already been stopped/]);
    cases.push(['resume', state, (r) => resumeRecording(r, at(5000)), /already been stopped/]);
    cases.push(['stop', state, (r) => stopRecording(r, { by: 'u-bob', reason: 'timer', now: at(5000) }), /already been stopped/]);
  }
  for (const [name, state, run, message] of cases) {
    const recording = inState(state);
    const before = structuredClone(recording);
    const error = t.throws(() => run(recording), { instanceOf: ConflictError }, `${name} when ${state}`);
    t.regex(error?.message ?? '', message, `${name} when ${state}`);
    t.deepEqual(recording, before, `${name} when ${state} changed the recording`);
  }
});

test('finishProcessing: files make it ready, none make it failed; the problem is recorded', (t) => {
  const ready = inState('processing');
  finishProcessing(ready, { fileCount: 3, problem: null });
  t.like(ready, { state: 'ready', problem: null, recordedMs: 1000, stopReason: 'menu' });

  const partly = inState('processing');
  finishProcessing(partly, { fileCount: 1, problem: 'одна дорожка не сохранилась' });
  t.like(partly, { state: 'ready', problem: 'одна дорожка не сохранилась' });

  const failed = inState('processing');
  finishProcessing(failed, { fileCount: 0, problem: 'файлы не записались' });
  t.like(failed, { state: 'failed', problem: 'файлы не записались' });
});

test('finishProcessing takes the recorded time the pipeline measured, which the files hold, over the timer\'s', (t) => {
  const measured = inState('processing');
  finishProcessing(measured, { fileCount: 2, problem: null, recordedMs: 1_137.4 });
  t.like(measured, { state: 'ready', recordedMs: 1_137 });

  const nothingWritten = inState('processing');
  finishProcessing(nothingWritten, { fileCount: 0, problem: 'файлы не записались', recordedMs: 0 });
  t.like(nothingWritten, { state: 'failed', recordedMs: 1000 }, 'no files: the timer stands');

  for (const nonsense of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    const recording = inState('processing');
    const before = structuredClone(recording);
    t.throws(() => finishProcessing(recording, { fileCount: 1, problem: null, recordedMs: nonsense }), { instanceOf: RangeError, message: /is not a duration/ });
    t.deepEqual(recording, before, `${nonsense} changed the recording`);
  }
});

test('finishProcessing after interruptions: the files\' length is the recorded time, and the chat hears how much the timer counted beyond it', (t) => {
  const recording = fresh();
  stopRecording(recording, { by: 'u-alice', reason: 'menu', now: at(30_000) });
  finishProcessing(recording, { fileCount: 2, problem: null, recordedMs: 22_600, interruptions: 1 });
  t.like(recording, { state: 'ready', recordedMs: 22_600 });
  t.is(recording.problem, interruptionNote(1, 7_400));

  const uncut = inState('processing');
  finishProcessing(uncut, { fileCount: 2, problem: null, recordedMs: 990, interruptions: 0 });
  t.is(uncut.problem, null, 'no interruption, no note');
});

test('finishProcessing refuses anything not being processed with ConflictError', (t) => {
  for (const state of ['recording', 'paused', 'ready', 'failed'] as const) {
    const recording = inState(state);
    const before = structuredClone(recording);
    const error = t.throws(() => finishProcessing(recording, { fileCount: 1, problem: null }), { instanceOf: ConflictError });
    t.is(error?.message, `a ${state} recording is not being processed`);
    t.deepEqual(recording, before);
  }
});

/** Alice records a conference Bob is in, so Bob has a question about the recording waiting. */
function recordedConference(state: 'recording' | 'paused') {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob]);
  const { recording } = startRecording(aggregate, w.alice, w.ctx);
  w.ctx.setTime(T0 + 1000);
  if (state === 'paused') pauseLiveRecording(aggregate, w.alice, w.ctx);
  return { w, aggregate, recording };
}

test('interruptLiveRecording stops a live recording like a stop nobody chose, with the problem, and its questions lapse', (t) => {
  for (const [state, reason] of [
    ['recording', 'failure'],
    ['paused', 'disk-full'],
  ] as const) {
    const { w, aggregate, recording } = recordedConference(state);
    t.truthy(pending(aggregate, w.bob));
    w.ctx.setTime(T0 + 4000);
    const recordedMs = state === 'recording' ? 4000 : 1000;
    const events = interruptLiveRecording(aggregate, recording.id, { reason, problem: 'конвейер упал' }, w.ctx.now);
    t.deepEqual(events, [{ type: 'recording.stopped', conferenceId: aggregate.conference.id, recordingId: recording.id, reason, recordedMs }]);
    t.like(recording, { state: 'processing', recordedMs, runningSince: null, stoppedAt: at(4000), stoppedBy: null, stopReason: reason, problem: 'конвейер упал' });
    t.is(pending(aggregate, w.bob), undefined, state);
  }
});

test('interruptLiveRecording leaves alone a recording that is no longer live, or not the live one', (t) => {
  const { w, aggregate, recording } = recordedConference('recording');
  t.deepEqual(interruptLiveRecording(aggregate, 'another-recording', { reason: 'failure', problem: 'сбой' }, w.ctx.now), []);
  stopLiveRecording(aggregate, w.alice, 'menu', w.ctx);
  const before = snapshot(aggregate);
  t.deepEqual(interruptLiveRecording(aggregate, recording.id, { reason: 'disk-full', problem: 'диск' }, w.ctx.now), []);
  t.deepEqual(aggregate, before);
});

test('an interrupted recording frees the way for a new one (numbered 2), which asks its own questions', (t) => {
  const { w, aggregate, recording } = recordedConference('recording');
  interruptLiveRecording(aggregate, recording.id, { reason: 'failure', problem: 'сбой' }, w.ctx.now);
  t.is(liveRecording(aggregate), undefined);
  t.throws(() => pauseLiveRecording(aggregate, w.alice, w.ctx), { instanceOf: ConflictError });
  const next = startRecording(aggregate, w.alice, w.ctx);
  t.is(next.recording.number, 2);
  t.like(next.events.find((e) => e.type === 'consent.requested'), { userId: w.bob.userId, recordingId: next.recording.id });
});

// ——— Finishing processing keeps why an interrupted recording was cut short ———

test('finishProcessing keeps why an interrupted recording was cut short when processing reports no new problem', (t) => {
  const { w, aggregate, recording } = recordedConference('recording');
  interruptLiveRecording(aggregate, recording.id, { reason: 'disk-full', problem: 'на томе записей не осталось места' }, w.ctx.now);
  finishProcessing(recording, { fileCount: 2, problem: null });
  t.is(recording.state, 'ready');
  t.is(recording.problem, 'на томе записей не осталось места');
});
