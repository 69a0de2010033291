/**
 * The HEVC encoders the recorder knows how to drive, in order of preference: hardware first
 * (each registers only where its GPU and driver exist), then the x265 software encoder.
 */
export const HEVC_ENCODERS = ['nvh265enc', 'vah265enc', 'vaapih265enc', 'qsvh265enc', 'x265enc'] as const;

export type HevcEncoder = (typeof HEVC_ENCODERS)[number];

export const SOFTWARE_HEVC_ENCODER: HevcEncoder = 'x265enc';

export function isHevcEncoder(name: string): name is HevcEncoder {
  return (HEVC_ENCODERS as readonly string[]).includes(name);
}

export interface HevcEncoderSettings {
  bitrateKbps: number;
  /** Frames between keyframes; each segment also starts with one. */
  keyframeInterval: number;
}

/**
 * Launch-syntax fragment that takes raw I420 video and produces HEVC. Hardware encoders get a
 * `videoconvert` because they want NV12 or their own memory. x265 uses ultrafast/zerolatency:
 * on two cores slower presets cannot keep 720p30 live, and zerolatency also turns off B-frames,
 * so segment joins never see reordered timestamps.
 */
export function hevcEncoderDescription(encoder: HevcEncoder, settings: HevcEncoderSettings): string {
  const { bitrateKbps, keyframeInterval } = settings;
  switch (encoder) {
    case 'x265enc':
      return `x265enc speed-preset=ultrafast tune=zerolatency bitrate=${bitrateKbps} key-int-max=${keyframeInterval}`;
    case 'nvh265enc':
      return `videoconvert ! nvh265enc bitrate=${bitrateKbps} gop-size=${keyframeInterval}`;
    case 'vah265enc':
      return `videoconvert ! vah265enc rate-control=cbr bitrate=${bitrateKbps} key-int-max=${keyframeInterval}`;
    case 'vaapih265enc':
      return `videoconvert ! vaapih265enc rate-control=cbr bitrate=${bitrateKbps} keyframe-period=${keyframeInterval}`;
    case 'qsvh265enc':
      return `videoconvert ! qsvh265enc bitrate=${bitrateKbps} gop-size=${keyframeInterval}`;
  }
}
