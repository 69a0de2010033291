import { InputError } from '../errors.ts';

export type RtpCodec = 'VP8' | 'opus' | 'H264';

/** One mediasoup consumer the recorder receives over a PlainTransport (RTP and RTCP on separate ports). */
export interface RtpInputSpec {
  /** Letters, digits, `.`, `_`, `-`, `:`; usually the consumer id. */
  inputId: string;
  participantId: string;
  participantName: string;
  kind: 'audio' | 'video';
  codec: RtpCodec;
  payloadType: number;
  clockRate: number;
  ssrc: number;
}

export interface RtpPorts {
  rtpPort: number;
  rtcpPort: number;
}

const INPUT_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const KIND_OF_CODEC: Record<RtpCodec, RtpInputSpec['kind']> = { VP8: 'video', H264: 'video', opus: 'audio' };

/** Checks an input spec received over the protocol and returns a frozen copy. */
export function validateRtpInputSpec(spec: unknown): Readonly<RtpInputSpec> {
  const s = (typeof spec === 'object' && spec !== null ? spec : {}) as Partial<Record<keyof RtpInputSpec, unknown>>;
  const inputId = typeof s.inputId === 'string' ? s.inputId : String(s.inputId);
  const fail = (message: string): never => {
    throw new InputError(inputId, message);
  };
  if (typeof s.inputId !== 'string' || !INPUT_ID_PATTERN.test(s.inputId)) fail('inputId: expected 1 to 128 letters, digits, ".", "_", "-" or ":"');
  if (typeof s.participantId !== 'string' || s.participantId === '') fail('participantId: expected a non-empty string');
  if (typeof s.participantName !== 'string') fail('participantName: expected a string');
  if (typeof s.codec !== 'string' || !(s.codec in KIND_OF_CODEC)) fail(`codec: expected one of ${Object.keys(KIND_OF_CODEC).join(', ')}`);
  if (s.kind !== KIND_OF_CODEC[s.codec as RtpCodec]) fail(`kind: ${String(s.codec)} is ${KIND_OF_CODEC[s.codec as RtpCodec]}, got ${String(s.kind)}`);
  if (!isInteger(s.payloadType, 0, 127)) fail('payloadType: expected a whole number from 0 to 127');
  if (!isInteger(s.clockRate, 1000, 192_000)) fail('clockRate: expected a whole number from 1000 to 192000');
  if (!isInteger(s.ssrc, 0, 0xffff_ffff)) fail('ssrc: expected an unsigned 32-bit number');
  return Object.freeze({ ...(s as RtpInputSpec) });
}

function isInteger(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
