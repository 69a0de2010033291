import type { ChatLink } from './chat.ts';
import type { RecordingData, StopReason } from './recording.ts';

export type RecordingFileKind = 'video' | 'audio' | 'track' | 'manifest';

/** A finished file as the bot names it in the chat. */
export interface PostedFile {
  kind: RecordingFileKind;
  url: string;
  sizeBytes: number;
  durationMs: number | null;
  /** Whose track it is, for per-participant files. */
  participantName?: string | null;
  medium?: 'audio' | 'video' | null;
}

const KIND_LABELS: Record<RecordingFileKind, string> = {
  video: 'Видео',
  audio: 'Аудио',
  track: 'Дорожка',
  manifest: 'Описание дорожек (JSON)',
};

const STOP_NOTES: Partial<Record<StopReason, string>> = {
  'all-admins-left': 'Запись завершилась автоматически: все администраторы вышли из конференции.',
  'controllers-left': 'Запись завершилась автоматически: из конференции вышел последний администратор, который мог управлять записью.',
  failure: 'Запись прервалась из-за сбоя; сохранено всё, что было записано до него.',
  'disk-full': 'Запись остановлена: на сервере закончилось место; сохранено всё, что было записано.',
};

export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} Б`;
  const units = ['КБ', 'МБ', 'ГБ', 'ТБ'];
  let value = bytes / 1024;
  let unit = 0;
  // Round before choosing the unit, so 1023.99 КБ reads as 1.0 МБ rather than 1024 КБ.
  const rounded = (v: number) => (v < 10 ? Math.round(v * 10) / 10 : Math.round(v));
  while (rounded(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = rounded(value);
  return `${shown < 10 ? shown.toFixed(1) : shown.toFixed(0)} ${units[unit]}`;
}

/**
 * What the chat is told about a recording its pipeline or the appliance cut: how often, and how
 * long the lost stretches were (the timer ran on; the files skip them).
 */
export function interruptionNote(interruptions: number, lostMs: number): string {
  const times = interruptions % 10 >= 2 && interruptions % 10 <= 4 && (interruptions % 100 < 12 || interruptions % 100 > 14) ? 'раза' : 'раз';
  const lost = lostMs < 1000 ? 'меньше секунды' : formatDuration(lostMs);
  return `Запись прерывалась (сбой записи или перезапуск сервера) ${interruptions} ${times}; не записано ${lost}, в файлах эти промежутки пропущены.`;
}

function fileLabel(file: PostedFile): string {
  const who = file.participantName ? ` — ${file.participantName}` : '';
  const medium = file.kind === 'track' && file.medium ? (file.medium === 'audio' ? ' (аудио)' : ' (видео)') : '';
  const size = ` · ${formatSize(file.sizeBytes)}`;
  return `${KIND_LABELS[file.kind]}${who}${medium}${size}`;
}

/**
 * The single message the Recordings Bot posts in the conference chat once a recording's files are
 * final: one link per file, videos first, and a word on anything that went wrong.
 */
export function composeRecordingMessage(input: {
  conferenceTitle: string;
  recording: Pick<RecordingData, 'number' | 'recordedMs' | 'stopReason' | 'problem' | 'startedAt'>;
  files: PostedFile[];
}): { text: string; links: ChatLink[] } {
  const order: RecordingFileKind[] = ['video', 'audio', 'track', 'manifest'];
  const files = [...input.files].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  const lines = [`Запись №${input.recording.number} конференции «${input.conferenceTitle}» (${formatDuration(input.recording.recordedMs)}).`];
  const note = input.recording.stopReason ? STOP_NOTES[input.recording.stopReason] : undefined;
  if (note) lines.push(note);
  // The disk-full note says it all. A failure's own words are for operators; once files were made,
  // finishing replaced them with how long the interruptions were, which the chat must hear.
  const noteSaysIt = input.recording.stopReason === 'disk-full' || (input.recording.stopReason === 'failure' && input.files.length === 0);
  if (input.recording.problem && !noteSaysIt) lines.push(input.recording.problem);
  if (files.length === 0) {
    lines.push('Файлы записи не сформированы.');
  } else {
    lines.push('Ссылки для скачивания:');
    if (files.some((f) => f.kind === 'video')) {
      lines.push('Если видео не воспроизводится, установите в видеоплеер кодек HEVC (h.265).');
    }
  }
  return { text: lines.join('\n'), links: files.map((file) => ({ label: fileLabel(file), url: file.url })) };
}
