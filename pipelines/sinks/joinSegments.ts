import fs from 'node:fs/promises';
import path from 'node:path';
import { JoinError } from '../errors.ts';
import { COPY_TIMEOUT_MS, runMediaTool } from '../tools/runMediaTool.ts';

/** Longest audio packet: AAC's 1024 samples at 48 kHz last 21.3 ms, Opus packets 20 ms. */
const AUDIO_PACKET_MS = 25;

export interface SegmentToJoin {
  /** Absolute path. */
  file: string;
  /** Length of the segment on the recording timeline; unknown for one cut short by a crash. */
  durationMs: number | undefined;
  /** Timestamp of the segment's first packet, e.g. a track that waited for its first keyframe. */
  firstPacketMs: number;
}

/**
 * Joins segment files into one file by stream copy (ffmpeg's concat demuxer): no re-encoding,
 * so it takes seconds for hours of recording. A failed join (no space left) removes what it
 * wrote of the target and throws `JoinError`; the inputs are untouched.
 *
 * The concat demuxer moves each segment's first packet to the point where the previous segment
 * ends, dropping any gap before it. Each segment is therefore given the duration that puts the
 * next one's first packet where it was on the recording's timeline: its own journalled duration,
 * plus the next segment's lead, minus its own. The first segment's lead is left to the caller
 * (the manifest's startMs). `inpoint`, the direct way, fails with EPERM on audio-only Matroska
 * segments in ffmpeg 5.1, which cannot seek them without an index.
 *
 * Encoders pad the last audio frame and start with priming samples, so a segment's packets can
 * reach a few tens of milliseconds past its journalled end. `outpoint` drops every packet that
 * starts within one audio frame of the end, so none overlaps the next segment's first.
 */
export async function joinSegments(segments: readonly SegmentToJoin[], target: string, title: string): Promise<void> {
  const listFile = `${target}.segments.txt`;
  const list = segments
    .map(({ file, durationMs, firstPacketMs }, index) => {
      const next = segments[index + 1];
      const lines = [`file ${concatQuoted(file)}`];
      if (durationMs !== undefined && next !== undefined) {
        lines.push(`duration ${(durationMs + next.firstPacketMs - firstPacketMs) / 1000}`, `outpoint ${(durationMs + next.firstPacketMs - AUDIO_PACKET_MS) / 1000}`);
      }
      return lines.join('\n');
    })
    .join('\n');
  const mp4 = /\.(mp4|m4a)$/.test(target);
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(listFile, `${list}\n`);
    await runMediaTool('ffmpeg', [
      '-hide_banner', '-nostdin', '-v', 'error', '-y',
      '-f', 'concat', '-safe', '0', '-i', listFile,
      '-map', '0', '-c', 'copy',
      '-metadata', `title=${title}`,
      // hvc1 is the HEVC sample entry Apple players require.
      ...(mp4 ? ['-tag:v', 'hvc1', '-f', 'mp4'] : ['-f', 'matroska']),
      target,
    ], COPY_TIMEOUT_MS);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? '';
    await fs.rm(target, { force: true });
    throw new JoinError(`joining ${segments.length} segment(s) into ${path.basename(target)} failed: ${stderr || (error as Error).message}`);
  } finally {
    await fs.rm(listFile, { force: true });
  }
}

function concatQuoted(file: string): string {
  return `'${file.replace(/'/g, "'\\''")}'`;
}
