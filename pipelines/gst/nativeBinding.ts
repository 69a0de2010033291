import { createRequire } from 'node:module';

/** A bus message as gstreamer-superficial hands it over (the message structure's fields, flattened). */
export interface BusMessage {
  type: string;
  _src_element_name?: string;
  /** For errors: the element path; `message` and `debug` say what happened. */
  name?: string;
  message?: string;
  debug?: string;
  [field: string]: unknown;
}

/** Property bag of one element; numbers of 64-bit properties arrive as strings. */
export type NativeElement = Record<string, unknown>;

export interface NativePipeline {
  'auto-flush-bus': boolean;
  play(): void;
  pause(): void;
  stop(): void;
  sendEOS(): void;
  findChild(name: string): NativeElement | undefined;
  setPad(element: string, property: string, pad: string): void;
  pollBus(callback: (message: BusMessage) => void): void;
}

interface Binding {
  Pipeline: new (description: string) => NativePipeline;
}

// The binding is a native addon, which ESM cannot import directly.
const require = createRequire(import.meta.url);
export const gstreamer = require('gstreamer-superficial') as Binding;
