import type { ChildProcess } from 'node:child_process';
import type { RecordingProcess, RtpInputSpec, RtpPorts } from '../../../pipelines/index.ts';
import { sendSyntheticAudio, sendSyntheticVideo } from '../../../pipelines/diagnostics/syntheticSenders.ts';

export const TEST_VIDEO = { width: 320, height: 180, fps: 15 } as const;
const VIDEO_PAYLOAD = { VP8: 96, H264: 102 } as const;
const OPUS_PAYLOAD = 111;

export interface ParticipantMedia {
  audio?: boolean;
  video?: boolean;
}

let nextSsrc = 1000;

/**
 * A conference participant made of the synthetic GStreamer senders: a test picture as VP8 or
 * H.264 and a sine tone as Opus, sent as RTP to the ports the recording returned.
 */
export class SyntheticParticipant {
  readonly id: string;
  readonly name: string;
  readonly inputIds: string[] = [];
  /** videotestsrc pattern: `ball` moves on black; `smpte` colour bars make a tile easy to find. */
  readonly pattern: string;
  readonly #senders = new Map<string, ChildProcess>();

  constructor(id: string, name: string, pattern = 'ball') {
    this.id = id;
    this.name = name;
    this.pattern = pattern;
  }

  async join(recording: RecordingProcess, media: ParticipantMedia = { audio: true, video: true }): Promise<void> {
    if (media.video) await this.addVideo(recording);
    if (media.audio) await this.addAudio(recording);
  }

  /** Inputs for a recording that starts with this participant present: send once its start answers their ports. */
  presentAtStart(media: ParticipantMedia = { audio: true, video: true }): RtpInputSpec[] {
    return [
      ...(media.video ? [this.#spec('video', 'VP8', VIDEO_PAYLOAD.VP8, 90_000)] : []),
      ...(media.audio ? [this.#spec('audio', 'opus', OPUS_PAYLOAD, 48_000)] : []),
    ];
  }

  async addVideo(recording: RecordingProcess, codec: 'VP8' | 'H264' = 'VP8'): Promise<string> {
    const spec = this.#spec('video', codec, VIDEO_PAYLOAD[codec], 90_000);
    this.send(spec, await recording.addInput(spec));
    return spec.inputId;
  }

  async addAudio(recording: RecordingProcess): Promise<string> {
    const spec = this.#spec('audio', 'opus', OPUS_PAYLOAD, 48_000);
    this.send(spec, await recording.addInput(spec));
    return spec.inputId;
  }

  /** Starts sending one of this participant's inputs to the ports the recording listens on. */
  send(spec: RtpInputSpec, ports: RtpPorts): void {
    const target = { port: ports.rtpPort, payloadType: spec.payloadType, ssrc: spec.ssrc };
    const codec = spec.codec === 'opus' ? undefined : spec.codec;
    this.#senders.set(spec.inputId, codec === undefined ? sendSyntheticAudio(target) : sendSyntheticVideo(target, { codec, pattern: this.pattern, ...TEST_VIDEO }));
  }

  /** Stops sending and removes the input from the recording (camera off, leaving). */
  async remove(recording: RecordingProcess, inputId: string): Promise<void> {
    this.stopSending(inputId);
    await recording.removeInput(inputId);
    this.inputIds.splice(this.inputIds.indexOf(inputId), 1);
  }

  async leave(recording: RecordingProcess): Promise<void> {
    for (const inputId of [...this.inputIds]) await this.remove(recording, inputId);
  }

  /** Processes of the senders running now. */
  senderPids(): number[] {
    return [...this.#senders.values()].flatMap((sender) => (sender.pid === undefined ? [] : [sender.pid]));
  }

  stopSending(inputId?: string): void {
    for (const [id, sender] of this.#senders) {
      if (inputId !== undefined && id !== inputId) continue;
      sender.kill('SIGKILL');
      this.#senders.delete(id);
    }
  }

  #spec(kind: 'audio' | 'video', codec: RtpInputSpec['codec'], payloadType: number, clockRate: number): RtpInputSpec {
    const inputId = `${this.id}-${kind}-${this.inputIds.length}`;
    this.inputIds.push(inputId);
    return { inputId, participantId: this.id, participantName: this.name, kind, codec, payloadType, clockRate, ssrc: nextSsrc++ };
  }
}
