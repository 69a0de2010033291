import test from 'ava';
import type { PostedFile, RecordingData } from '../../appliance/domain/index.ts';
import {
  CHAT_TEXT_MAX_LENGTH,
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  RECORDINGS_BOT_NAME,
  assertMayReadChat,
  assertMayWriteChat,
  composeRecordingMessage,
  formatDuration,
  formatSize,
  interruptionNote,
  leaveConference,
  normaliseChatText,
} from '../../appliance/domain/index.ts';
import { T0, conferenceWith, world } from './fixtures.ts';

const HEVC = 'Если видео не воспроизводится, установите в видеоплеер кодек HEVC (h.265).';
const LINKS = 'Ссылки для скачивания:';
const NO_FILES = 'Файлы записи не сформированы.';

test('the chat is read by participants present or past, even after the conference ended; not by others', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.carol]);
  t.notThrows(() => assertMayReadChat(aggregate, 'u-alice'));
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  t.notThrows(() => assertMayReadChat(aggregate, 'u-bob'));
  const error = t.throws(() => assertMayReadChat(aggregate, 'u-out'), { instanceOf: ForbiddenError });
  t.is(error?.message, "only the conference's participants can read its chat");
  leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  leaveConference(aggregate, w.carol, { stopRecording: false }, w.ctx);
  t.is(aggregate.conference.state, 'ended');
  for (const userId of ['u-alice', 'u-bob', 'u-carol']) t.notThrows(() => assertMayReadChat(aggregate, userId));
  t.throws(() => assertMayReadChat(aggregate, 'u-out'), { instanceOf: ForbiddenError });
});

test('the chat is written only by present participants of an active conference', (t) => {
  const w = world();
  const aggregate = conferenceWith(w, w.alice, [w.bob, w.rita]);
  t.notThrows(() => assertMayWriteChat(aggregate, 'u-alice'));
  t.notThrows(() => assertMayWriteChat(aggregate, 'u-bob'));
  t.notThrows(() => assertMayWriteChat(aggregate, 'u-rita'));
  t.throws(() => assertMayWriteChat(aggregate, 'u-out'), { instanceOf: ForbiddenError, message: 'join the conference to write in its chat' });
  leaveConference(aggregate, w.bob, { stopRecording: false }, w.ctx);
  t.throws(() => assertMayWriteChat(aggregate, 'u-bob'), { instanceOf: ForbiddenError });
  leaveConference(aggregate, w.alice, { stopRecording: false }, w.ctx);
  leaveConference(aggregate, w.rita, { stopRecording: false }, w.ctx);
  t.throws(() => assertMayWriteChat(aggregate, 'u-alice'), { instanceOf: ConflictError, message: 'the conference has ended' });
});

test('normaliseChatText trims and keeps inner line breaks', (t) => {
  t.is(normaliseChatText('  привет\n  мир \t'), 'привет\n  мир');
  t.is(normaliseChatText('x'), 'x');
});

test('normaliseChatText refuses empty text and text over the limit, on the text field', (t) => {
  for (const text of ['', '   ', '\n\t ']) {
    const error = t.throws(() => normaliseChatText(text), { instanceOf: InvalidInputError });
    t.is(error?.field, 'text');
  }
  t.is(CHAT_TEXT_MAX_LENGTH, 4000);
  const max = 'я'.repeat(4000);
  t.is(normaliseChatText(`  ${max}  `), max, 'the limit applies after trimming');
  const error = t.throws(() => normaliseChatText('я'.repeat(4001)), { instanceOf: InvalidInputError });
  t.is(error?.message, 'a chat message is at most 4000 characters');
  t.is(error?.field, 'text');
});

test('the bot is called Recordings Bot', (t) => {
  t.is(RECORDINGS_BOT_NAME, 'Recordings Bot');
});

test('formatDuration: mm:ss under an hour, h:mm:ss from an hour, rounded to the second', (t) => {
  const cases: [number, string][] = [
    [0, '00:00'],
    [499, '00:00'],
    [500, '00:01'],
    [1000, '00:01'],
    [59_499, '00:59'],
    [59_500, '01:00'],
    [61_000, '01:01'],
    [600_000, '10:00'],
    [3_599_499, '59:59'],
    [3_599_500, '1:00:00'],
    [3_600_000, '1:00:00'],
    [3_661_000, '1:01:01'],
    [36_000_000, '10:00:00'],
    [90_061_000, '25:01:01'],
  ];
  t.deepEqual(
    cases.map(([ms]) => formatDuration(ms)),
    cases.map(([, text]) => text),
  );
});

test('formatSize: bytes under 1 KiB, one decimal under 10 units, whole units above', (t) => {
  const KiB = 1024;
  const MiB = KiB * KiB;
  const GiB = MiB * KiB;
  const TiB = GiB * KiB;
  const cases: [number, string][] = [
    [0, '0 Б'],
    [1, '1 Б'],
    [1023, '1023 Б'],
    [KiB, '1.0 КБ'],
    [1536, '1.5 КБ'],
    [10 * KiB, '10 КБ'],
    [1000 * KiB, '1000 КБ'],
    [MiB, '1.0 МБ'],
    [250 * MiB, '250 МБ'],
    [5.5 * GiB, '5.5 ГБ'],
    [TiB, '1.0 ТБ'],
    [2048 * TiB, '2048 ТБ'],
  ];
  t.deepEqual(
    cases.map(([bytes]) => formatSize(bytes)),
    cases.map(([, text]) => text),
  );
});

// Fails until fixed: the unit and the precision are chosen before rounding.
test('formatSize rounds across unit and precision boundaries', (t) => {
  t.is(formatSize(1024 * 1024 - 1), '1.0 МБ', 'one byte short of 1 MiB is not "1024 КБ"');
  t.is(formatSize(10 * 1024 - 1), '10 КБ', 'one byte short of 10 KiB is not "10.0 КБ"');
});

function recordingOf(fields: Partial<RecordingData> = {}): Pick<RecordingData, 'number' | 'recordedMs' | 'stopReason' | 'problem' | 'startedAt'> {
  return { number: 2, recordedMs: 3_725_000, stopReason: 'menu', problem: null, startedAt: new Date(T0), ...fields };
}

const files: PostedFile[] = [
  { kind: 'manifest', url: 'https://rec.example/f/manifest.json', sizeBytes: 700, durationMs: null },
  { kind: 'track', url: 'https://rec.example/f/t1.mka', sizeBytes: 2048, durationMs: 1000, participantName: 'Борис', medium: 'audio' },
  { kind: 'audio', url: 'https://rec.example/f/audio.m4a', sizeBytes: 3 * 1024 * 1024, durationMs: 1000 },
  { kind: 'track', url: 'https://rec.example/f/t2.mkv', sizeBytes: 20 * 1024 * 1024, durationMs: 1000, participantName: 'Алиса', medium: 'video' },
  { kind: 'video', url: 'https://rec.example/f/video.mp4', sizeBytes: 1536 * 1024 * 1024, durationMs: 1000 },
  { kind: 'track', url: 'https://rec.example/f/t3.mka', sizeBytes: 5, durationMs: 1000, participantName: null, medium: null },
];

test('the bot message: one link per file, videos first, then audio, tracks, manifest; HEVC hint with video', (t) => {
  const message = composeRecordingMessage({ conferenceTitle: 'Планёрка', recording: recordingOf(), files });
  t.is(message.text, ['Запись №2 конференции «Планёрка» (1:02:05).', LINKS, HEVC].join('\n'));
  t.deepEqual(message.links, [
    { label: 'Видео · 1.5 ГБ', url: 'https://rec.example/f/video.mp4' },
    { label: 'Аудио · 3.0 МБ', url: 'https://rec.example/f/audio.m4a' },
    { label: 'Дорожка — Борис (аудио) · 2.0 КБ', url: 'https://rec.example/f/t1.mka' },
    { label: 'Дорожка — Алиса (видео) · 20 МБ', url: 'https://rec.example/f/t2.mkv' },
    { label: 'Дорожка · 5 Б', url: 'https://rec.example/f/t3.mka' },
    { label: 'Описание дорожек (JSON) · 700 Б', url: 'https://rec.example/f/manifest.json' },
  ]);
});

test('the bot message does not reorder or mutate the files it was given', (t) => {
  const copy = structuredClone(files);
  composeRecordingMessage({ conferenceTitle: 'Планёрка', recording: recordingOf(), files });
  t.deepEqual(files, copy);
});

test('a medium is only named for tracks; a participant name is shown for any file', (t) => {
  const message = composeRecordingMessage({
    conferenceTitle: 'X',
    recording: recordingOf(),
    files: [{ kind: 'audio', url: 'u', sizeBytes: 1, durationMs: null, participantName: 'Рита', medium: 'audio' }],
  });
  t.deepEqual(message.links, [{ label: 'Аудио — Рита · 1 Б', url: 'u' }]);
});

test('no HEVC hint without video', (t) => {
  const message = composeRecordingMessage({ conferenceTitle: 'Планёрка', recording: recordingOf(), files: files.filter((f) => f.kind !== 'video') });
  t.is(message.text, ['Запись №2 конференции «Планёрка» (1:02:05).', LINKS].join('\n'));
  t.is(message.links.length, 5);
  t.false(message.text.includes('HEVC'));
});

test("'Файлы записи не сформированы.' and no links when there are no files", (t) => {
  const message = composeRecordingMessage({ conferenceTitle: 'Планёрка', recording: recordingOf({ recordedMs: 0 }), files: [] });
  t.deepEqual(message, { text: ['Запись №2 конференции «Планёрка» (00:00).', NO_FILES].join('\n'), links: [] });
});

test('the stop notes: all-admins-left, controllers-left, failure, disk-full; none for the three chosen stops', (t) => {
  const video: PostedFile[] = [{ kind: 'video', url: 'v', sizeBytes: 2048, durationMs: 1 }];
  const textFor = (stopReason: RecordingData['stopReason'], problem: string | null = null) =>
    composeRecordingMessage({ conferenceTitle: 'К', recording: recordingOf({ recordedMs: 65_000, stopReason, problem }), files: video }).text;
  const head = 'Запись №2 конференции «К» (01:05).';
  t.is(textFor('all-admins-left'), [head, 'Запись завершилась автоматически: все администраторы вышли из конференции.', LINKS, HEVC].join('\n'));
  const controllersLeft = textFor('controllers-left');
  t.is(controllersLeft, [head, 'Запись завершилась автоматически: из конференции вышел последний администратор, который мог управлять записью.', LINKS, HEVC].join('\n'));
  t.notRegex(controllersLeft, /все администраторы/, 'admins who may not control recording are still there');
  const lost = interruptionNote(2, 7_000);
  t.is(textFor('failure', lost), [head, 'Запись прервалась из-за сбоя; сохранено всё, что было записано до него.', lost, LINKS, HEVC].join('\n'));
  t.is(textFor('disk-full', 'ENOSPC'), [head, 'Запись остановлена: на сервере закончилось место; сохранено всё, что было записано.', LINKS, HEVC].join('\n'));
  for (const reason of ['timer', 'menu', 'leave', null] as const) t.is(textFor(reason), [head, LINKS, HEVC].join('\n'), String(reason));
});

test('the interruption note says how often and how long, in Russian plurals', (t) => {
  t.is(interruptionNote(1, 12_400), 'Запись прерывалась (сбой записи или перезапуск сервера) 1 раз; не записано 00:12, в файлах эти промежутки пропущены.');
  t.regex(interruptionNote(2, 600), / 2 раза; не записано меньше секунды,/);
  t.regex(interruptionNote(5, 61_000), / 5 раз; не записано 01:01,/);
  t.regex(interruptionNote(12, 1000), / 12 раз;/);
  t.regex(interruptionNote(23, 1000), / 23 раза;/);
});

test('a problem is shown after the note, except for disk-full, and for failure without files, whose note already says it', (t) => {
  const message = composeRecordingMessage({
    conferenceTitle: 'К',
    recording: recordingOf({ recordedMs: 1000, stopReason: 'all-admins-left', problem: 'Дорожка Бориса не сохранилась.' }),
    files: [],
  });
  t.is(
    message.text,
    ['Запись №2 конференции «К» (00:01).', 'Запись завершилась автоматически: все администраторы вышли из конференции.', 'Дорожка Бориса не сохранилась.', NO_FILES].join('\n'),
  );
  const failed = composeRecordingMessage({ conferenceTitle: 'К', recording: recordingOf({ recordedMs: 1000, stopReason: 'failure', problem: 'crash' }), files: [] });
  t.is(failed.text, ['Запись №2 конференции «К» (00:01).', 'Запись прервалась из-за сбоя; сохранено всё, что было записано до него.', NO_FILES].join('\n'));
});
