import { GstPipeline } from '../gst/GstPipeline.ts';
import { quoted } from '../gst/launchSyntax.ts';
import type { PipelineError } from '../errors.ts';
import { rtpReceiveDescription } from './rtpReceiveDescription.ts';
import type { RtpCodec, RtpInputSpec, RtpPorts } from './RtpInputSpec.ts';
import { UdpPortReservation } from './UdpPortReservation.ts';

const DECODER: Record<RtpCodec, string> = {
  VP8: 'vp8dec ! videoconvert',
  H264: 'avdec_h264 ! videoconvert',
  // The audio slots' format; interaudiosrc renegotiates (and restarts its timestamps) on any other.
  opus: 'opusdec plc=true ! audioconvert ! audioresample ! audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=2',
};

const GATE = 'gate';
/** Counts decoded frames ahead of the gate, so a camera's activity is known even while it is gated. */
const FRAME_COUNTER = 'decoded';

/**
 * Receives and decodes one input for a mixed recording and publishes it on an in-process channel
 * (intervideosink/interaudiosink) that layout and segment pipelines read. It lives as long as the
 * input, across layout changes, pauses and segments, so its port stays bound and its decoder
 * never waits for a new keyframe.
 *
 * A gate (valve) in front of the channel keeps media that must not be recorded (no consent yet,
 * paused) from ever reaching it; closed, the channel's last video frame times out to black and
 * its audio slot plays silence.
 */
export class DecodedInput {
  readonly spec: RtpInputSpec;
  readonly ports: RtpPorts;
  readonly #pipeline: GstPipeline;
  #gateOpen: boolean;

  private constructor(spec: RtpInputSpec, ports: RtpPorts, pipeline: GstPipeline, gateOpen: boolean) {
    this.spec = spec;
    this.ports = ports;
    this.#pipeline = pipeline;
    this.#gateOpen = gateOpen;
  }

  static async open(spec: RtpInputSpec, channel: string, gateOpen: boolean, onError: (error: PipelineError) => void): Promise<DecodedInput> {
    const reservation = await UdpPortReservation.reserveFree();
    const { ports } = reservation;
    const gatedSink = `valve name=${GATE} drop=${!gateOpen} ! ${spec.kind === 'video' ? 'intervideosink' : 'interaudiosink'} channel=${quoted(channel)}`;
    const description =
      spec.kind === 'video'
        ? `${rtpReceiveDescription(spec, ports)} ! ${DECODER[spec.codec]} ! tee name=frames ! queue ! ${gatedSink} ` +
          `frames. ! queue leaky=downstream max-size-buffers=2 ! fakesink name=${FRAME_COUNTER} sync=false async=false enable-last-sample=false`
        : `${rtpReceiveDescription(spec, ports)} ! ${DECODER[spec.codec]} ! ${gatedSink}`;
    let pipeline: GstPipeline;
    try {
      pipeline = new GstPipeline(`input ${spec.inputId}`, description, onError);
    } finally {
      await reservation.release();
    }
    pipeline.play();
    return new DecodedInput(spec, ports, pipeline, gateOpen);
  }

  setGate(open: boolean): void {
    if (open === this.#gateOpen) return;
    this.#gateOpen = open;
    this.#pipeline.setProperty(GATE, 'drop', !open);
  }

  /** Video frames decoded so far (0 for audio), whether the gate lets them through or not. */
  framesDecoded(): number {
    return this.spec.kind === 'video' && this.#pipeline.state === 'playing' ? this.#pipeline.sinkStats(FRAME_COUNTER).rendered : 0;
  }

  close(): void {
    this.#pipeline.stop();
  }
}
