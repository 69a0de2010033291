import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PROBE_TIMEOUT_MS, runMediaTool } from '../tools/runMediaTool.ts';

const run = promisify(execFile);

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  /** The container's name for the codec, e.g. `hvc1`, the HEVC sample entry Apple players need. */
  codec_tag_string: string;
  duration?: string;
}

/** A recorded file's duration, title and streams, as ffprobe sees them. */
export async function probeStreams(file: string): Promise<{ durationSeconds: number; title: string | undefined; streams: ProbedStream[] }> {
  const { stdout } = await runMediaTool('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:format_tags=title:stream=codec_type,codec_name,codec_tag_string,duration', '-of', 'json', file], PROBE_TIMEOUT_MS);
  const parsed = JSON.parse(stdout) as { format: { duration: string; tags?: { title?: string } }; streams: ProbedStream[] };
  return { durationSeconds: Number(parsed.format.duration), title: parsed.format.tags?.title, streams: parsed.streams };
}

/** Peak and mean level of the audio between two points, in dB (-91 is digital silence). */
export async function loudness(file: string, fromSeconds = 0, toSeconds?: number): Promise<{ meanDb: number; maxDb: number }> {
  const window = ['-ss', String(fromSeconds), ...(toSeconds === undefined ? [] : ['-t', String(toSeconds - fromSeconds)])];
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostdin', ...window, '-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-']);
  const value = (name: string) => Number(new RegExp(`${name}: (-?[\\d.]+) dB`).exec(stderr)?.[1] ?? -Infinity);
  return { meanDb: value('mean_volume'), maxDb: value('max_volume') };
}
