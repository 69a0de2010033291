import { finaliseRecording, readRecordingResult } from '../sinks/finaliseRecording.ts';
import type { RecordingResult } from '../sinks/RecordingResult.ts';

/**
 * Finishes a recording whose worker died (killed, crashed, power lost): joins the segments the
 * journal lists into playable files and marks the result `interrupted`. If the recording had
 * already been finalised, returns that result instead. Call it for every recording directory
 * left unfinished when the appliance starts.
 */
export async function recoverRecording(outputDir: string): Promise<RecordingResult> {
  return (await readRecordingResult(outputDir)) ?? finaliseRecording(outputDir, true);
}
