import type { MessageKey } from '../i18n/i18n.ts';
import { h, uniqueId } from './dom.ts';
import type { Child } from './dom.ts';

/**
 * A modal dialog on the native <dialog>: the browser traps the focus inside and puts it back when
 * the dialog closes. A dialog that must be answered ignores Escape.
 */
export class ModalDialog {
  readonly element: HTMLDialogElement;
  #removed = false;

  constructor(options: { title: MessageKey; text: MessageKey; class?: string; mustAnswer?: boolean }, ...body: Child[]) {
    const [titleId, textId] = [uniqueId('dialog-title'), uniqueId('dialog-text')];
    this.element = h(
      'dialog',
      { class: `dialog ${options.class ?? ''}`, attrs: { 'aria-labelledby': titleId, 'aria-describedby': textId } },
      h('h2', { text: options.title, attrs: { id: titleId } }),
      h('p', { text: options.text, attrs: { id: textId } }),
      ...body,
    );
    if (options.mustAnswer) {
      this.element.addEventListener('cancel', (event) => event.preventDefault());
      // Browsers let a second Escape in a row close it all the same: it comes back until answered.
      this.element.addEventListener('close', () => (this.#removed ? undefined : this.element.showModal()));
    }
    document.body.append(this.element);
  }

  open(): void {
    if (!this.element.open) this.element.showModal();
  }

  remove(): void {
    this.#removed = true;
    if (this.element.open) this.element.close();
    this.element.remove();
  }
}
