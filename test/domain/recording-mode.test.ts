import test from 'ava';
import type { ExecutionContext } from 'ava';
import { DEFAULT_RECORDING_MODES, InvalidInputError, validateRecordingMode } from '../../appliance/domain/index.ts';
import type { RecordingModeSettings } from '../../appliance/domain/index.ts';

const composite = DEFAULT_RECORDING_MODES.find((m) => m.settings.kind === 'composite')!.settings;

function refusedOn(t: ExecutionContext, settings: RecordingModeSettings, field: string) {
  const error = t.throws(() => validateRecordingMode(settings), { instanceOf: InvalidInputError });
  t.is(error?.field, field);
}

test('the standard modes are valid, and exactly one is the default', (t) => {
  for (const mode of DEFAULT_RECORDING_MODES) t.notThrows(() => validateRecordingMode(mode.settings), mode.name);
  t.is(DEFAULT_RECORDING_MODES.filter((m) => m.isDefault).length, 1);
});

test('impossible settings are refused on their field', (t) => {
  refusedOn(t, { ...composite, width: 1281 }, 'width');
  refusedOn(t, { ...composite, height: 50 }, 'height');
  refusedOn(t, { ...composite, fps: 0 }, 'fps');
  refusedOn(t, { ...composite, container: 'avi' as never }, 'container');
  refusedOn(t, { ...composite, kind: 'mosaic' as never }, 'kind');
});

test('separate tracks keep the streams as received: MKV and Opus only', (t) => {
  const tracks: RecordingModeSettings = { ...composite, kind: 'separate-tracks', container: 'mkv', audioCodec: 'opus' };
  t.notThrows(() => validateRecordingMode(tracks));
  refusedOn(t, { ...tracks, container: 'mp4' }, 'container');
  refusedOn(t, { ...tracks, audioCodec: 'aac' }, 'audioCodec');
});

test('only a composite recording, which encodes the picture, is held to a bitrate for it', (t) => {
  const starved = { videoBitrateKbps: 100, width: 3840, height: 2160, fps: 60 };
  refusedOn(t, { ...composite, ...starved }, 'videoBitrateKbps');
  t.notThrows(() => validateRecordingMode({ ...composite, ...starved, kind: 'audio-only' }));
  t.notThrows(() => validateRecordingMode({ ...composite, ...starved, kind: 'separate-tracks', container: 'mkv', audioCodec: 'opus' }));
});
