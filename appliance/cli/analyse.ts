/**
 * Frame analysis of a recorded video, as one JSON object on stdout:
 *   npm run analyse -- FILE [--layout LAYOUT.jsonl] [--marks]
 *
 * Seconds black and frozen; with the recording's layout log (by default `layout.jsonl` beside
 * FILE, where a composite recording writes it), the seconds each participant was a placeholder
 * while a camera of theirs was attached; with --marks, the A/V offset of flash-and-beep marks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyseFrames } from '../../pipelines/diagnostics/frameAnalysis.ts';
import { LAYOUT_LOG_FILE } from '../../pipelines/sinks/LayoutLog.ts';

const USAGE = 'usage: npm run analyse -- FILE [--layout LAYOUT.jsonl] [--marks]';

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { layout: { type: 'string' }, marks: { type: 'boolean', default: false } } });
} catch (error) {
  console.error(`analyse: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
const file = positionals[0];
if (positionals.length !== 1 || file === undefined) {
  console.error(`analyse: name one video file\n${USAGE}`);
  process.exit(2);
}
if (!fs.existsSync(file)) {
  console.error(`analyse: ${file} does not exist`);
  process.exit(2);
}
const besideFile = path.join(path.dirname(file), LAYOUT_LOG_FILE);
const layoutLog = values.layout ?? (fs.existsSync(besideFile) ? besideFile : undefined);
if (layoutLog !== undefined && !fs.existsSync(layoutLog)) {
  console.error(`analyse: the layout log ${layoutLog} does not exist`);
  process.exit(2);
}
try {
  const analysis = await analyseFrames(file, { layoutLog, marks: values.marks });
  process.stdout.write(`${JSON.stringify({ file, layoutLog: layoutLog ?? null, ...analysis }, null, 2)}\n`);
} catch (error) {
  console.error(`analyse: ${file}: ${(error as Error).message}`);
  process.exit(1);
}
