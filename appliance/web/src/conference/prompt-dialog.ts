import type { PromptAnswer } from '../../../domain/consent.ts';
import type { PendingPrompt } from '../api/types.ts';
import { button, h } from '../ui/dom.ts';
import { ModalDialog } from '../ui/modal-dialog.ts';

/**
 * The recording question: «Согласен на запись» or «Покинуть конференцию». Participants get the
 * consent question; the other admins the same choice as a confirmation of their participation.
 * It must be answered: Escape does not close it.
 */
export class PromptDialog {
  readonly #answer: (answer: PromptAnswer) => Promise<void>;
  #dialog: ModalDialog | undefined;
  #promptId: string | null = null;

  constructor(answer: (answer: PromptAnswer) => Promise<void>) {
    this.#answer = answer;
  }

  /** The pending prompt of the conference view: opens, keeps, or closes the dialog. */
  sync(prompt: PendingPrompt | null): void {
    if (prompt?.id === this.#promptId) return;
    this.#dialog?.remove();
    this.#dialog = undefined;
    this.#promptId = prompt?.id ?? null;
    if (!prompt) return;
    const consent = prompt.kind === 'consent';
    const choose = (answer: PromptAnswer) => async () => {
      for (const b of buttons) b.disabled = true;
      try {
        await this.#answer(answer);
      } finally {
        for (const b of buttons) b.disabled = false;
      }
    };
    const buttons = [
      button({ class: 'primary', text: 'prompt.agree', on: { click: choose('agree') } }),
      button({ class: 'danger', text: 'prompt.leave', on: { click: choose('leave') } }),
    ];
    this.#dialog = new ModalDialog(
      { title: consent ? 'prompt.consentTitle' : 'prompt.adminTitle', text: consent ? 'prompt.consentText' : 'prompt.adminText', class: `prompt-dialog prompt-${prompt.kind}`, mustAnswer: true },
      h('div', { class: 'dialog-actions' }, ...buttons),
    );
    this.#dialog.open();
  }

  dispose(): void {
    this.sync(null);
  }
}
