import { translate } from '../i18n/i18n.ts';
import type { MessageKey, Params } from '../i18n/i18n.ts';

export type Child = Node | string | null | undefined | false;
type Message = MessageKey | [MessageKey, Params];
type Listeners = { [E in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[E]) => void };

export interface Props {
  class?: string;
  /** Translated text content. */
  text?: Message;
  /** Translated accessible name (aria-label and tooltip). */
  label?: Message;
  placeholder?: MessageKey;
  attrs?: Record<string, string>;
  on?: Listeners;
}

function message(value: Message): [MessageKey, Params | undefined] {
  return Array.isArray(value) ? value : [value, undefined];
}

/** Creates an element: the whole client is built from this rather than from HTML strings. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) el.setAttribute(name, value);
  if (props.text) translate(el, 'text', ...message(props.text));
  if (props.label) translate(el, 'label', ...message(props.label));
  if (props.placeholder) translate(el, 'placeholder', props.placeholder);
  for (const [type, listener] of Object.entries(props.on ?? {})) el.addEventListener(type, listener as EventListener);
  el.append(...children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false));
  return el;
}

/** A button that never submits a form by accident. */
export function button(props: Props, ...children: Child[]): HTMLButtonElement {
  return h('button', { ...props, attrs: { type: 'button', ...props.attrs } }, ...children);
}

let lastId = 0;

/** An id for tying elements together (aria-controls, aria-labelledby). */
export function uniqueId(prefix: string): string {
  return `${prefix}-${++lastId}`;
}
