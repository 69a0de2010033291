/**
 * Debian's Chromium, never a downloaded one, with the flags that keep it quiet on a machine
 * without internet: no background requests, updates, sync or QUIC.
 */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A synthetic camera and microphone (a test picture and a beep). */
export const FAKE_DEVICE_FLAG = '--use-fake-device-for-media-stream';
