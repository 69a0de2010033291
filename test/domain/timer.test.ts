import test from 'ava';
import type { RecordingData, RecordingState } from '../../appliance/domain/index.ts';
import {
  ConflictError,
  finishProcessing,
  interruptRecording,
  isLive,
  liveRecording,
  newRecording,
  pauseLiveRecording,
  pauseRecording,
  recordedTime,
  resumeLiveRecording,
  resumeRecording,
  startRecording,
  stopLiveRecording,
  stopRecording,
} from '../../appliance/domain/index.ts';
import { T0, conferenceWith, world } from './fixtures.ts';

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

test('finishProcessing refuses anything not being processed with ConflictError', (t) => {
  for (const state of ['recording', 'paused', 'ready', 'failed'] as const) {
    const recording = inState(state);
    const before = structuredClone(recording);
    const error = t.throws(() => finishProcessing(recording, { fileCount: 1, problem: null }), { instanceOf: ConflictError });
    t.is(error?.message, `a ${state} recording is not being processed`);
    t.deepEqual(recording, before);
  }
});

test('interruptRecording stops a live recording like a stop nobody chose, with the problem', (t) => {
  for (const [state, reason] of [
    ['recording', 'failure'],
    ['paused', 'disk-full'],
  ] as const) {
    const recording = inState(state);
    interruptRecording(recording, { reason, problem: 'конвейер упал', now: at(4000) });
    t.deepEqual(
      { ...recording },
      {
        ...fresh(),
        state: 'processing',
        recordedMs: state === 'recording' ? 4000 : 1000,
        runningSince: null,
        stoppedAt: at(4000),
        stoppedBy: null,
        stopReason: reason,
        problem: 'конвейер упал',
      },
    );
  }
});

test('interruptRecording refuses a recording that is no longer live, without setting the problem', (t) => {
  for (const state of ['processing', 'ready', 'failed'] as const) {
    const recording = inState(state);
    const before = structuredClone(recording);
    t.throws(() => interruptRecording(recording, { reason: 'disk-full', problem: 'диск', now: at(9000) }), { instanceOf: ConflictError });
    t.deepEqual(recording, before);
  }
});

test('an interrupted recording in a conference frees the way for a new one (numbered 2)', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice);
  const { recording } = startRecording(aggregate, w.alice, w.ctx);
  w.ctx.advance(1500);
  interruptRecording(recording, { reason: 'failure', problem: 'сбой', now: w.ctx.now });
  t.is(liveRecording(aggregate), undefined);
  t.throws(() => pauseLiveRecording(aggregate, w.alice, w.ctx), { instanceOf: ConflictError });
  t.is(startRecording(aggregate, w.alice, w.ctx).recording.number, 2);
});

// ——— A rule the domain gets wrong (fails until fixed) ———

test('finishProcessing keeps why an interrupted recording was cut short when processing reports no new problem', (t) => {
  const recording = fresh();
  interruptRecording(recording, { reason: 'disk-full', problem: 'на томе записей не осталось места', now: at(3000) });
  finishProcessing(recording, { fileCount: 2, problem: null });
  t.is(recording.state, 'ready');
  t.is(recording.problem, 'на томе записей не осталось места');
});
