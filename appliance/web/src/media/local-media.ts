import type { MessageKey } from '../i18n/i18n.ts';

export interface LocalMedia {
  stream: MediaStream | null;
  /** What to tell the user when not everything could be had. */
  problem: MessageKey | null;
}

const VIDEO: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };

/**
 * Asks for the camera and the microphone. A refusal is final (asking again would nag); a missing
 * device still lets the other one through.
 */
export async function acquireLocalMedia(): Promise<LocalMedia> {
  // Browsers offer capture only to secure pages: https, or localhost.
  if (!navigator.mediaDevices?.getUserMedia) return { stream: null, problem: 'error.insecure' };
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio: true, video: VIDEO }), problem: null };
  } catch (error) {
    const name = error instanceof DOMException ? error.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') return { stream: null, problem: 'error.cameraDenied' };
    if (name === 'NotReadableError' || name === 'AbortError') return { stream: null, problem: 'error.deviceBusy' };
  }
  for (const [constraints, problem] of [
    [{ audio: true }, 'error.noCamera'],
    [{ video: VIDEO }, 'error.noMicrophone'],
  ] as const) {
    try {
      return { stream: await navigator.mediaDevices.getUserMedia(constraints), problem };
    } catch {
      // try the other device
    }
  }
  return { stream: null, problem: 'error.noDevice' };
}
