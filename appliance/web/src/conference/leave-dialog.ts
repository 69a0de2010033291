import { button, h } from '../ui/dom.ts';
import { ModalDialog } from '../ui/modal-dialog.ts';

export interface LeaveChoice {
  stopRecording: boolean;
}

/**
 * The manual's third way to stop a recording: an admin leaving during a recording may tick
 * «Завершить запись», then presses «Покинуть конференцию». Escape or «Отмена» stays.
 */
export class LeaveDialog {
  #dialog: ModalDialog | undefined;
  #answer: ((choice: LeaveChoice | null) => void) | undefined;

  ask(): Promise<LeaveChoice | null> {
    this.dispose();
    const stop = h('input', { attrs: { type: 'checkbox', id: 'leave-stop-recording' } });
    const dialog = new ModalDialog(
      { title: 'leave.title', text: 'leave.text', class: 'leave-dialog' },
      h('p', { class: 'checkbox-row' }, stop, h('label', { text: 'leave.stopRecording', attrs: { for: 'leave-stop-recording' } })),
      h(
        'div',
        { class: 'dialog-actions' },
        button({ class: 'danger', text: 'leave.confirm', on: { click: () => this.#finish({ stopRecording: stop.checked }) } }),
        button({ text: 'dialog.cancel', on: { click: () => this.#finish(null) } }),
      ),
    );
    dialog.element.addEventListener('close', () => this.#finish(null));
    this.#dialog = dialog;
    return new Promise((resolve) => {
      this.#answer = resolve;
      dialog.open();
    });
  }

  /** The window closes for another reason: the question is dropped unanswered. */
  dispose(): void {
    this.#finish(null);
  }

  #finish(choice: LeaveChoice | null): void {
    const [dialog, answer] = [this.#dialog, this.#answer];
    this.#dialog = this.#answer = undefined;
    dialog?.remove();
    answer?.(choice);
  }
}
