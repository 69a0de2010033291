/**
 * Records a synthetic conference end to end and checks what the Recordings Bot links to:
 *   npm run selftest -- [--participants N] [--seconds D] [--mode KIND|NAME] [--url URL]
 *
 * Without --url it starts an embedded appliance in this process (temporary data directory,
 * embedded database). With --url (e.g. http://127.0.0.1:8080) it checks the appliance running on
 * this host at that address, straight on its port rather than through nginx; run it as the
 * appliance's user with the appliance's environment file sourced, since it registers the
 * self-test's messenger server in DATABASE_URL with a key kept in DATA_DIR.
 *
 * N participants of that server feed a moving test picture and a tone each into the SFU as plain
 * RTP; the recording runs D seconds with a pause of D/5 in the middle in the appliance's recording
 * mode of that kind (composite, audio-only, separate-tracks) or of that name; after the stop it
 * waits for the bot's message on the WebSocket, downloads every linked file and checks it with
 * ffprobe. The participants leave at the end, which ends the conference. One JSON report goes to
 * stdout, progress to stderr; the exit status is 0 only if every check holds.
 */
import { execFile } from 'node:child_process';
import { promisify, parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import { SYNTHETIC_SENDER_ELEMENTS } from '../../pipelines/diagnostics/syntheticSenders.ts';
import { EmbeddedSelftestTarget } from './embedded-selftest-target.ts';
import { RemoteSelftestTarget } from './remote-selftest-target.ts';
import { SelftestError } from './selftest-error.ts';
import { runSelftest } from './selftest-scenario.ts';
import type { SelftestOptions } from './selftest-scenario.ts';

const run = promisify(execFile);

function options(): SelftestOptions & { url: string | undefined } {
  let values;
  try {
    ({ values } = parseArgs({ options: { participants: { type: 'string', default: '2' }, seconds: { type: 'string', default: '10' }, mode: { type: 'string', default: 'composite' }, url: { type: 'string' } } }));
  } catch (error) {
    throw new SelftestError(`${(error as Error).message}\nusage: npm run selftest -- [--participants N] [--seconds D] [--mode KIND|NAME] [--url URL]`);
  }
  const participants = Number(values.participants);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(participants) || participants < 1 || participants > 16) throw new SelftestError('--participants is a whole number from 1 to 16');
  if (!Number.isFinite(seconds) || seconds < 2 || seconds > 3600) throw new SelftestError('--seconds is a number from 2 to 3600');
  if (!values.mode.trim()) throw new SelftestError('--mode names a recording mode kind or one of the appliance\'s modes');
  return { participants, seconds, mode: values.mode, url: values.url };
}

const progress = (line: string) => console.error(`selftest: ${line}`);

/** Refuses to start, naming what is missing, rather than failing halfway with a vague error. */
async function checkTools(): Promise<void> {
  for (const [tool, flag] of [['ffprobe', '-version'], ['ffmpeg', '-version'], ['gst-launch-1.0', '--version'], ['gst-inspect-1.0', '--version']] as const) {
    await run(tool, [flag]).catch(() => {
      throw new SelftestError(`${tool} is not installed or not on PATH`);
    });
  }
  for (const element of SYNTHETIC_SENDER_ELEMENTS) {
    await run('gst-inspect-1.0', [element]).catch(() => {
      throw new SelftestError(`the GStreamer element ${element} is missing (install the GStreamer plugin that provides it)`);
    });
  }
}

// An embedded appliance logs with console.log; stdout carries nothing but the report.
console.log = console.error;
let exitCode = 1;
try {
  const opts = options();
  await checkTools();
  const target = opts.url ? await RemoteSelftestTarget.connect(opts.url, progress) : await EmbeddedSelftestTarget.start(progress);
  try {
    const { ok, report } = await runSelftest(target, opts, progress);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    exitCode = ok ? 0 : 1;
    progress(ok ? 'every check holds' : 'some checks failed (see the report)');
  } finally {
    await target.close();
  }
} catch (error) {
  const expected = error instanceof SelftestError || error instanceof ConfigError;
  console.error(`selftest: ${expected ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}
// Pools and sockets of the stopped appliance must not keep a deployment script waiting.
process.exit(exitCode);
