import test from 'ava';
import { gridLayout } from '../../pipelines/builders/gridLayout.ts';
import { RecordingParamsError, validateRecordingMode, validateRecordingParams, type RecordingMode } from '../../pipelines/index.ts';

const composite: RecordingMode = { kind: 'composite', width: 1280, height: 720, fps: 30, videoBitrateKbps: 2500, container: 'mp4', audioCodec: 'aac', onlyConsenting: false };

function problemFields(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof RecordingParamsError) return error.problems.map((p) => p.field);
    throw error;
  }
  return [];
}

test('a valid mode comes back frozen', (t) => {
  const mode = validateRecordingMode(composite);
  t.deepEqual(mode, composite);
  t.true(Object.isFrozen(mode));
});

test('opus in mp4 is accepted for mixed recordings', (t) => {
  t.notThrows(() => validateRecordingMode({ ...composite, audioCodec: 'opus' }));
  t.notThrows(() => validateRecordingMode({ ...composite, kind: 'audio-only', audioCodec: 'opus' }));
});

test('a mode is refused on its field, with the domain rule that refuses it', (t) => {
  t.deepEqual(problemFields(() => validateRecordingMode({ ...composite, width: 1281 })), ['mode.width']);
  t.deepEqual(problemFields(() => validateRecordingMode({ ...composite, onlyConsenting: 'yes' })), ['mode.onlyConsenting']);
  t.deepEqual(problemFields(() => validateRecordingMode('composite')), ['mode']);
});

test('separate tracks refuse MP4 and AAC, which would need transcoding', (t) => {
  const error = t.throws(() => validateRecordingMode({ ...composite, kind: 'separate-tracks', container: 'mp4', audioCodec: 'opus' }), { instanceOf: RecordingParamsError });
  t.deepEqual(error?.problems.map((p) => p.field), ['mode.container']);
  t.regex(error?.message ?? '', /mode\.container: .*MKV/);
  t.deepEqual(problemFields(() => validateRecordingMode({ ...composite, kind: 'separate-tracks', container: 'mkv', audioCodec: 'aac' })), ['mode.audioCodec']);
});

test('a bitrate too low for the picture is refused here as in the console', (t) => {
  t.deepEqual(problemFields(() => validateRecordingMode({ ...composite, videoBitrateKbps: 100, width: 3840, height: 2160, fps: 60 })), ['mode.videoBitrateKbps']);
  t.notThrows(() => validateRecordingMode({ ...composite, kind: 'audio-only', videoBitrateKbps: 100, width: 3840, height: 2160, fps: 60 }));
});

test('recording params are checked and deep-frozen', (t) => {
  const params = validateRecordingParams({ recordingId: 'r-1', outputDir: '/srv/recordings/r-1', title: 'Weekly', encoder: 'x265enc', mode: composite });
  t.true(Object.isFrozen(params) && Object.isFrozen(params.mode));
  const fields = problemFields(() => validateRecordingParams({ recordingId: '../etc', outputDir: 'relative', title: 5, encoder: 'x264enc', mode: { ...composite, container: 'avi' } }));
  t.deepEqual(fields, ['recordingId', 'outputDir', 'title', 'encoder', 'mode.container']);
});

test('the grid keeps 16:9 tiles as large as possible and centres them', (t) => {
  const canvas = { width: 1280, height: 720 };
  t.deepEqual(gridLayout(0, canvas), []);
  const [one] = gridLayout(1, canvas);
  t.true((one?.width ?? 0) >= 1240 && (one?.height ?? 0) >= 690, "one tile nearly fills the canvas");
  const two = gridLayout(2, canvas);
  t.is(two[0]?.y, two[1]?.y, 'two tiles side by side');
  t.true((two[0]?.width ?? 0) > 600);
  const five = gridLayout(5, canvas);
  t.is(new Set(five.map((tile) => tile.y)).size, 2, 'five tiles in two rows');
  const lastRowCentre = ((five[3]?.x ?? 0) + (five[4]?.x ?? 0) + (five[4]?.width ?? 0)) / 2;
  t.true(Math.abs(lastRowCentre - 640) <= 2, 'the partial last row is centred');
  for (const tile of gridLayout(7, canvas)) {
    t.true(tile.x >= 0 && tile.y >= 0 && tile.x + tile.width <= 1280 && tile.y + tile.height <= 720);
    t.is(tile.width % 2, 0);
    t.is(tile.height % 2, 0);
  }
});
