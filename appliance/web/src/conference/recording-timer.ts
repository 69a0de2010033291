import type { RecordingView } from '../api/types.ts';
import { translate } from '../i18n/i18n.ts';
import { button, h } from '../ui/dom.ts';
import { icon } from '../ui/icons.ts';
import { formatDuration } from '../ui/format.ts';

export interface TimerControls {
  pause(): void;
  resume(): void;
  stop(): void;
}

/**
 * The recording timer in the top-left corner. The server's `recordedMs` (in the conference view and
 * in the `recording.timer` push every second) is the truth; between two pushes the timer runs on
 * from the moment the last one arrived, measured on this machine's monotonic clock, so a browser
 * whose wall clock differs from the appliance's still shows the right time. Hovering or focusing
 * it shows pause/resume and stop to those who may control the recording.
 */
export class RecordingTimer {
  readonly element: HTMLElement;
  readonly #time = h('span', { class: 'timer-time', attrs: { role: 'timer' } });
  readonly #pause: HTMLButtonElement;
  readonly #resume: HTMLButtonElement;
  readonly #controls: HTMLElement;
  #recordedMs = 0;
  #running = false;
  #since = 0;
  #frame: ReturnType<typeof setInterval> | undefined;

  constructor(controls: TimerControls) {
    this.#pause = button({ class: 'icon-button', label: 'timer.pause', on: { click: () => controls.pause() } }, icon('pause'));
    this.#resume = button({ class: 'icon-button', label: 'timer.resume', on: { click: () => controls.resume() } }, icon('resume'));
    const stop = button({ class: 'icon-button timer-stop', label: 'timer.stop', on: { click: () => controls.stop() } }, icon('stop'));
    this.#controls = h('span', { class: 'timer-controls' }, this.#pause, this.#resume, stop);
    // Focusable so that the keyboard (and a tap on a phone) reveals the controls as hovering does.
    this.element = h('div', { class: 'timer', attrs: { role: 'group', tabindex: '0', hidden: '' } }, h('span', { class: 'timer-dot', attrs: { 'aria-hidden': 'true' } }), this.#time, this.#controls);
  }

  /** The live recording as the conference view tells it (null: no recording, no timer). */
  show(recording: Pick<RecordingView, 'state' | 'recordedMs'> | null, canControl: boolean): void {
    this.element.hidden = recording === null;
    this.#controls.hidden = !canControl;
    if (!recording) return this.#stopFrames();
    this.tick(recording.recordedMs, recording.state);
  }

  /** A `recording.timer` push, or a pause/resume event with the server's time. */
  tick(recordedMs: number, state: RecordingView['state']): void {
    this.#recordedMs = recordedMs;
    this.#since = performance.now();
    this.#running = state === 'recording';
    this.element.classList.toggle('timer-paused', !this.#running);
    translate(this.element, 'label', this.#running ? 'timer.recording' : 'timer.paused');
    this.#pause.hidden = !this.#running;
    this.#resume.hidden = this.#running;
    this.#render();
    if (this.#running && this.#frame === undefined) this.#frame = setInterval(() => this.#render(), 250);
    if (!this.#running) this.#stopFrames();
  }

  dispose(): void {
    this.#stopFrames();
  }

  #render(): void {
    const elapsed = this.#running ? performance.now() - this.#since : 0;
    this.#time.textContent = formatDuration(this.#recordedMs + elapsed);
  }

  #stopFrames(): void {
    clearInterval(this.#frame);
    this.#frame = undefined;
  }
}
