import { spawn, type ChildProcess } from 'node:child_process';

/** Where a sender's RTP goes, and how it is labelled. */
export interface RtpTarget {
  port: number;
  payloadType: number;
  ssrc: number;
}

export interface SyntheticVideo {
  codec: 'VP8' | 'H264';
  /** videotestsrc pattern: `ball` moves on black; `smpte` colour bars make a tile easy to find. */
  pattern: string;
  /** Pixels per frame the picture scrolls left, so that still patterns move too (0: still). */
  horizontalSpeed?: number;
  width: number;
  height: number;
  fps: number;
}

/** The GStreamer elements the senders need, to say which is missing before anything starts. */
export const SYNTHETIC_SENDER_ELEMENTS = ['videotestsrc', 'vp8enc', 'rtpvp8pay', 'audiotestsrc', 'opusenc', 'rtpopuspay', 'udpsink'] as const;

/**
 * A keyframe every second: a plain udpsink sender cannot receive keyframe requests, so a receiver
 * that starts late waits at most that long.
 */
export const SYNTHETIC_KEYFRAME_INTERVAL_MS = 1000;

/** A test picture as RTP to 127.0.0.1. */
export function sendSyntheticVideo(target: RtpTarget, video: SyntheticVideo): ChildProcess {
  const keyframeDistance = Math.max(1, Math.round((video.fps * SYNTHETIC_KEYFRAME_INTERVAL_MS) / 1000));
  const encoder =
    video.codec === 'VP8'
      ? ['vp8enc', 'deadline=1', 'cpu-used=8', `keyframe-max-dist=${keyframeDistance}`, '!', 'rtpvp8pay']
      : ['x264enc', 'tune=zerolatency', 'speed-preset=ultrafast', `key-int-max=${keyframeDistance}`, '!', 'rtph264pay', 'config-interval=-1'];
  return launch([
    'videotestsrc', 'is-live=true', `pattern=${video.pattern}`, `horizontal-speed=${video.horizontalSpeed ?? 0}`,
    '!', `video/x-raw,width=${video.width},height=${video.height},framerate=${video.fps}/1`,
    '!', ...encoder, `pt=${target.payloadType}`, `ssrc=${target.ssrc}`,
    ...udpSink(target),
  ]);
}

/** A sine tone as stereo Opus RTP to 127.0.0.1. */
export function sendSyntheticAudio(target: RtpTarget, frequencyHz = 440): ChildProcess {
  return launch([
    'audiotestsrc', 'is-live=true', 'wave=sine', `freq=${frequencyHz}`, 'volume=0.4',
    '!', 'audio/x-raw,rate=48000,channels=2',
    '!', 'opusenc',
    '!', 'rtpopuspay', `pt=${target.payloadType}`, `ssrc=${target.ssrc}`,
    ...udpSink(target),
  ]);
}

function launch(args: string[]): ChildProcess {
  return spawn('gst-launch-1.0', ['-q', ...args], { stdio: 'ignore' });
}

function udpSink(target: RtpTarget): string[] {
  return ['!', 'udpsink', 'host=127.0.0.1', `port=${target.port}`, 'sync=false'];
}
