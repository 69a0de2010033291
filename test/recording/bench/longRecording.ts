/**
 * Stop → the bot's links, and audio/video drift, for recordings of the given lengths. Not part of
 * the test run:
 *   node --import=tsx test/recording/bench/longRecording.ts [--verbose] [--keep-files DIR] [seconds...]
 *   (default lengths: 10 300 1800 s)
 *
 * One synthetic participant goes through the real SFU into the appliance's default composite mode
 * (1280×720, 30 fps, AAC): a black picture that turns white for 200 ms every 2 s, and a 1 kHz tone
 * sounding for the same 200 ms, made by one ffmpeg process from one clock and sent as RTP. In the
 * recorded file each flash and its beep should start together; how far apart they are at the start
 * and at the end of the recording is the drift. `--verbose` prints every offset;
 * `--keep-files` copies each recording's video file to DIR before the appliance is cleaned up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MessengerServer, Recording, RecordingFile, RecordingMode } from '../../../appliance/db/entities/index.ts';
import { DEFAULT_RECORDING_MODES } from '../../../appliance/domain/index.ts';
import { INGEST_PAYLOAD_TYPES } from '../../../appliance/sfu/synthetic-ingest.ts';
import { MARK_LENGTH_S, MARK_PERIOD_S, measureMarkSync } from '../../../pipelines/diagnostics/avMarks.ts';
import { probeStreams } from '../../../pipelines/diagnostics/mediaProbe.ts';
import { TestAppliance } from '../../helpers/test-appliance.ts';

const LINK_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const verbose = process.argv.includes('--verbose');
const keepIndex = process.argv.indexOf('--keep-files');
const keepDir = keepIndex > 0 ? process.argv[keepIndex + 1] : undefined;
const lengths = process.argv.slice(2).filter((arg, i, all) => arg !== '--verbose' && arg !== '--keep-files' && all[i - 1] !== '--keep-files').map(Number);
if (lengths.some((s) => !Number.isFinite(s) || s < 4)) throw new Error('each length is a number of seconds, at least 4');
if (lengths.length === 0) lengths.push(10, 300, 1800);

/** ffmpeg makes both media from one timeline and paces them in real time (-re). */
function sendMarks(video: { port: number; ssrc: number }, audio: { port: number; ssrc: number }): ChildProcess {
  const flashing = `lt(mod(t\\,${MARK_PERIOD_S})\\,${MARK_LENGTH_S})`;
  return spawn('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-re',
    '-f', 'lavfi', '-i', `color=c=black:s=640x360:r=30,drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='${flashing}'`,
    '-re', '-f', 'lavfi', '-i', `sine=frequency=1000:sample_rate=48000,volume=volume=0:enable='not(${flashing})',aformat=channel_layouts=stereo`,
    '-map', '0:v', '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-g', '30', '-b:v', '400k',
    '-payload_type', String(INGEST_PAYLOAD_TYPES.video), '-ssrc', String(video.ssrc), '-rtpflags', 'skip_rtcp', '-f', 'rtp', `rtp://127.0.0.1:${video.port}`,
    '-map', '1:a', '-c:a', 'libopus', '-b:a', '64k',
    '-payload_type', String(INGEST_PAYLOAD_TYPES.audio), '-ssrc', String(audio.ssrc), '-rtpflags', 'skip_rtcp', '-f', 'rtp', `rtp://127.0.0.1:${audio.port}`,
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
}

const test = await TestAppliance.start(import.meta.filename, { media: true });
try {
  const em = test.appliance.orm.em.fork();
  const composite = DEFAULT_RECORDING_MODES.find((mode) => mode.isDefault)!.settings;
  const mode = em.create(RecordingMode, { id: crypto.randomUUID(), name: 'long recording', ...composite });
  (await em.findOneOrFail(MessengerServer, test.servers.corporate.id)).defaultModeId = mode.id;
  await em.flush();
  const host = await test.user(test.servers.corporate, 'host', 'Ведущий');
  const userId = (await test.as(host).get('/api/me').expect(200)).body.userId as string;
  console.log(`composite ${composite.width}x${composite.height}@${composite.fps} ${composite.audioCodec}; a flash and a beep every ${MARK_PERIOD_S} s`);
  console.log('| length | recorded | file | stop → links | flashes / beeps / pairs | A/V offset at start | at end | drift | max abs offset |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const seconds of lengths) {
    const id = (await test.as(host).post('/api/conferences', { title: `Длинная запись ${seconds} с` }).expect(201)).body.id as string;
    const video = await test.appliance.sfu.ingest(id, userId, { kind: 'video', source: 'camera', ssrc: 0x51c0 });
    const audio = await test.appliance.sfu.ingest(id, userId, { kind: 'audio', source: 'microphone', ssrc: 0x51c1 });
    const sender = sendMarks({ port: video.port, ssrc: 0x51c0 }, { port: audio.port, ssrc: 0x51c1 });
    let linkedAt: number | undefined;
    const unsubscribe = test.appliance.bus.subscribe((event) => {
      if (event.conferenceId === id && event.type === 'chat.message' && event.message.bot && event.message.links.length > 0) linkedAt ??= performance.now();
    });
    try {
      await sleep(1500);
      await test.as(host).post(`/api/conferences/${id}/recording/start`).expect(200);
      await sleep(seconds * 1000);
      await test.as(host).post(`/api/conferences/${id}/recording/stop`).expect(200);
      const stoppedAt = performance.now();
      while (linkedAt === undefined && performance.now() - stoppedAt < LINK_TIMEOUT_MS) await sleep(10);
      if (linkedAt === undefined) throw new Error(`no links within ${LINK_TIMEOUT_MS / 1000} s of the stop`);
      const recording = await test.appliance.orm.em.fork().findOneOrFail(Recording, { conferenceId: id });
      const file = await test.appliance.orm.em.fork().findOneOrFail(RecordingFile, { recordingId: recording.id, kind: 'video' });
      const absolute = path.join(test.appliance.config.recordingsDir, file.path);
      const probed = await probeStreams(absolute);
      const sync = await measureMarkSync(absolute);
      if (verbose) console.log(`offsets (ms) ${sync.offsetsMs.join(' ')}`);
      if (keepDir) await fs.copyFile(absolute, path.join(keepDir, `long-recording-${seconds}s${path.extname(absolute)}`));
      console.log(`| ${seconds} s | ${(recording.recordedMs / 1000).toFixed(2)} s | ${probed.durationSeconds.toFixed(2)} s | ${Math.round(linkedAt - stoppedAt)} ms | ${sync.flashes} / ${sync.beeps} / ${sync.pairs} | ${sync.startOffsetMs} ms | ${sync.endOffsetMs} ms | ${sync.driftMs} ms | ${sync.maxAbsOffsetMs} ms |`);
    } finally {
      unsubscribe();
      sender.kill('SIGKILL');
      video.close();
      audio.close();
    }
  }
} finally {
  await test.stop();
}
