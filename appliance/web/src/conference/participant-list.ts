import type { ConferenceView, ParticipantView } from '../api/types.ts';
import { translate } from '../i18n/i18n.ts';
import { h } from '../ui/dom.ts';
import { PopupMenu } from '../ui/popup-menu.ts';

interface Row {
  element: HTMLElement;
  name: HTMLElement;
  role: HTMLElement;
  menu: PopupMenu;
}

/**
 * Who is in the conference, with their roles; an admin finds «Сделать администратором» in the
 * menu beside each participant who is not one yet. Rows are kept by user and updated in place so
 * an open menu survives the updates that other people's actions cause.
 */
export class ParticipantList {
  readonly element = h('ul', { class: 'participants' });
  readonly #rows = new Map<string, Row>();
  readonly #makeAdmin: (participant: ParticipantView) => void;

  constructor(makeAdmin: (participant: ParticipantView) => void) {
    this.#makeAdmin = makeAdmin;
  }

  update(view: ConferenceView): void {
    const iAmAdmin = view.me.present && view.me.role === 'admin';
    const ordered = [...view.participants].sort((a, b) => Number(b.present) - Number(a.present) || Number(b.userId === view.me.userId) - Number(a.userId === view.me.userId) || a.name.localeCompare(b.name));
    const rows = ordered.map((participant) => {
      const row = this.#rows.get(participant.userId) ?? this.#createRow(participant);
      const isMe = participant.userId === view.me.userId;
      row.name.textContent = participant.name;
      row.element.classList.toggle('absent', !participant.present);
      row.element.dataset.role = participant.role;
      if (isMe) row.name.append(' ', h('span', { class: 'muted', text: 'conf.you' }));
      translate(row.role, 'text', participant.present ? (participant.role === 'admin' ? 'role.admin' : 'role.member') : 'conf.absent');
      const promotable = iAmAdmin && participant.present && participant.role !== 'admin';
      row.menu.setItems(promotable ? [{ text: 'conf.makeAdmin', action: () => this.#makeAdmin(participant) }] : []);
      return row.element;
    });
    // Moving a row drops the focus it holds (an open menu's entry, say): give it back at once.
    if (rows.some((row, i) => this.element.children[i] !== row)) {
      const focused = this.element.contains(document.activeElement) ? (document.activeElement as HTMLElement) : null;
      this.element.replaceChildren(...rows);
      focused?.focus();
    }
  }

  #createRow(participant: ParticipantView): Row {
    const name = h('span', { class: 'participant-name' });
    const role = h('span', { class: 'participant-role' });
    const menu = new PopupMenu(['conf.participantMenu', { name: participant.name }], 'participant-menu');
    const element = h('li', { class: 'participant', attrs: { 'data-user-id': participant.userId } }, h('span', { class: 'participant-text' }, name, role), menu.element);
    const row = { element, name, role, menu };
    this.#rows.set(participant.userId, row);
    return row;
  }
}
