import { translate } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { button, h } from '../ui/dom.ts';
import { icon } from '../ui/icons.ts';
import type { IconName } from '../ui/icons.ts';
import type { SendKind } from '../media/media-session.ts';

const TOGGLES: Record<SendKind, { icon: IconName; on: MessageKey; off: MessageKey }> = {
  audio: { icon: 'mic', on: 'conf.micOff', off: 'conf.micOn' },
  video: { icon: 'camera', on: 'conf.cameraOff', off: 'conf.cameraOn' },
};

/** The bottom bar: own microphone and camera on/off, and the button that leaves the conference. */
export class CallControls {
  readonly element: HTMLElement;
  readonly #toggles = new Map<SendKind, HTMLButtonElement>();

  constructor(actions: { toggle(kind: SendKind, on: boolean): void; leave(): void }) {
    for (const kind of ['audio', 'video'] as const) {
      const toggle = button({ class: 'round-button', on: { click: () => actions.toggle(kind, toggle.getAttribute('aria-pressed') !== 'true') } });
      this.#toggles.set(kind, toggle);
    }
    const leave = button({ class: 'round-button danger leave-button', label: 'conf.leave', on: { click: () => actions.leave() } }, icon('leave'));
    this.element = h('div', { class: 'call-controls' }, ...this.#toggles.values(), leave);
  }

  /** `available` false: there is no such device (or no access), so there is nothing to switch. */
  show(kind: SendKind, on: boolean, available: boolean): void {
    const toggle = this.#toggles.get(kind)!;
    toggle.replaceChildren(icon(TOGGLES[kind].icon, !on));
    toggle.setAttribute('aria-pressed', String(on));
    toggle.classList.toggle('off', !on);
    toggle.disabled = !available;
    translate(toggle, 'label', on ? TOGGLES[kind].on : TOGGLES[kind].off);
  }
}
