import { finaliseRecording, readRecordingResult } from '../sinks/finaliseRecording.ts';
import { RecordingJournal } from '../sinks/RecordingJournal.ts';
import type { RecordingResult } from '../sinks/RecordingResult.ts';

/**
 * Finishes a recording its worker did not finish: joins the segments the journal lists into
 * playable files. Marked `interrupted` unless the journal says it was stopped (its worker died,
 * or ran out of space, while making the files: the recording itself was whole). If the recording
 * had already been finalised, returns that result instead. Call it for every recording directory
 * left unfinished when the appliance starts, and again for one whose join failed.
 */
export async function recoverRecording(outputDir: string): Promise<RecordingResult> {
  const earlier = await readRecordingResult(outputDir);
  if (earlier !== undefined) return earlier;
  const stopped = RecordingJournal.read(outputDir)?.some((entry) => entry.event === 'stopped') ?? false;
  return finaliseRecording(outputDir, !stopped);
}
