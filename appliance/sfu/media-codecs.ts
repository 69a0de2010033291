import type { RouterRtpCodecCapability } from 'mediasoup/types';

/**
 * What every conference's router forwards. Opus and VP8 are what every browser sends; H.264
 * (constrained baseline, packetization-mode 1) is there for clients that offer only or prefer it,
 * e.g. hardware-encoding phones. The recorder decodes all three.
 */
export const ROUTER_MEDIA_CODECS: RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1, 'x-google-start-bitrate': 1000 },
  },
];
