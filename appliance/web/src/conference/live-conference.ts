import type { PromptAnswer } from '../../../domain/consent.ts';
import type { StopReason } from '../../../domain/recording.ts';
import type { MediaEvent } from '../../../sfu/signalling-protocol.ts';
import { SignallingUnavailableError } from '../api/live-connection.ts';
import type { ChatMessageView, ConferenceView, ParticipantView, ServerPush } from '../api/types.ts';
import type { AppContext, Screen } from '../app/context.ts';
import { t } from '../i18n/i18n.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { acquireLocalMedia } from '../media/local-media.ts';
import { MediaSession } from '../media/media-session.ts';
import type { SendKind } from '../media/media-session.ts';
import { h } from '../ui/dom.ts';
import { languageSwitch } from '../ui/language-switch.ts';
import { PopupMenu } from '../ui/popup-menu.ts';
import type { MenuItem } from '../ui/popup-menu.ts';
import { CallControls } from './call-controls.ts';
import { ChatPanel } from './chat-panel.ts';
import type { ConferenceModel } from './conference-model.ts';
import { LeaveDialog } from './leave-dialog.ts';
import { ParticipantList } from './participant-list.ts';
import { PromptDialog } from './prompt-dialog.ts';
import { RecordingTimer } from './recording-timer.ts';
import { SidePanel } from './side-panel.ts';
import { VideoGrid } from './video-grid.ts';

/** Wide enough to keep the participant list open beside the video. */
const WIDE = '(min-width: 900px)';

/**
 * The conference window: video tiles, the timer top-left, the menus, the side panel, the bottom
 * bar, and the recording questions. It shows what the server says and sends what the user does;
 * every refusal comes back as the server's own message.
 */
/** The stops nobody chose, in the words that say who is gone. */
const STOP_NOTICES: Partial<Record<StopReason, MessageKey>> = {
  'all-admins-left': 'notice.recordingAutoStopped',
  'controllers-left': 'notice.recordingControllersLeft',
};

export class LiveConference implements Screen {
  readonly element: HTMLElement;
  readonly fullWindow = true;
  readonly #ctx: AppContext;
  readonly #model: ConferenceModel;
  readonly #title = h('h1', { class: 'conf-title' });
  readonly #timer: RecordingTimer;
  readonly #menu = new PopupMenu('conf.menu', 'conference-menu');
  readonly #participants: ParticipantList;
  readonly #chat: ChatPanel;
  readonly #panel = new SidePanel();
  readonly #grid = new VideoGrid(() => this.#audioBlocked());
  readonly #controls: CallControls;
  readonly #prompt: PromptDialog;
  readonly #leaveDialog = new LeaveDialog();
  readonly #stop: Array<() => void> = [];
  #local: MediaStream | null = null;
  #media: MediaSession | undefined;
  #audioWaiting: AbortController | undefined;
  #unread = 0;
  #closing = false;
  #disposed = false;

  constructor(ctx: AppContext, model: ConferenceModel) {
    this.#ctx = ctx;
    this.#model = model;
    this.#timer = new RecordingTimer({
      pause: () => this.#command('recording/pause'),
      resume: () => this.#command('recording/resume'),
      stop: () => this.#command('recording/stop', { control: 'timer' }),
    });
    this.#participants = new ParticipantList((participant) => void this.#makeAdmin(participant));
    this.#chat = new ChatPanel({ send: (text) => this.#sendChat(text), onNew: () => this.#countUnread() });
    this.#controls = new CallControls({ toggle: (kind, on) => void this.#toggle(kind, on), leave: () => void this.#leave() });
    this.#prompt = new PromptDialog((answer) => this.#answer(answer));
    const participantsToggle = this.#panel.add('participants', this.#participants.element);
    const chatToggle = this.#panel.add('chat', this.#chat.element, () => {
      this.#unread = 0;
      this.#panel.setBadge('chat', 0);
      this.#chat.scrollToEnd();
      // Read afresh on every opening: links posted a week ago come back renewed.
      void this.#loadChat();
    });
    this.element = h(
      'div',
      { class: 'conference' },
      h('header', { class: 'conf-bar' }, this.#timer.element, this.#title, h('div', { class: 'conf-tools' }, participantsToggle, chatToggle, this.#menu.element, languageSwitch())),
      h('div', { class: 'conf-body' }, h('div', { class: 'stage' }, this.#grid.element), this.#panel.element),
      h('footer', { class: 'conf-footer' }, this.#controls.element),
    );
    for (const kind of ['audio', 'video'] as const) this.#controls.show(kind, true, false);
    if (matchMedia(WIDE).matches) this.#panel.show('participants');

    model.onChange((view) => this.#render(view));
    this.#render(model.view!);
    this.#stop.push(
      ctx.live.onMessage((message) => this.#onMessage(message)),
      // The server ended this user's media with the old socket: catch up, and enter it again.
      ctx.live.onReconnected(() => void this.#catchUp()),
    );
    ctx.live.attend(model.id);
    void this.#loadChat();
    void this.#startMedia();
  }

  dispose(): void {
    this.#disposed = true;
    this.#ctx.live.unattend(this.#model.id);
    for (const stop of this.#stop) stop();
    this.#timer.dispose();
    this.#prompt.dispose();
    this.#leaveDialog.dispose();
    void this.#media?.leave();
    for (const track of this.#local?.getTracks() ?? []) track.stop();
    this.#audioWaiting?.abort();
    for (const id of ['media', 'devices', 'audio']) this.#ctx.notices.dismiss(id);
  }

  #render(view: ConferenceView): void {
    if (this.#closing) return;
    // Not in it any more, and not by this window's doing (left in another window, say).
    if (!view.me.present) return this.#close('notice.removed');
    this.#title.textContent = view.title;
    this.#timer.show(view.recording, view.me.canControlRecording);
    const items: MenuItem[] = [{ text: 'conf.copyLink', action: () => void this.#copyLink() }];
    if (view.me.canControlRecording) {
      items.push(view.recording ? { text: 'conf.stopRecording', action: () => this.#command('recording/stop', { control: 'menu' }) } : { text: 'conf.startRecording', action: () => this.#command('recording/start') });
    }
    this.#menu.setItems(items);
    this.#participants.update(view);
    this.#panel.setBadge('participants', view.participants.filter((p) => p.present).length);
    this.#grid.sync(view.participants, view.me.userId);
    this.#prompt.sync(view.me.pendingPrompt);
  }

  #onMessage(message: ServerPush): void {
    if (!('conferenceId' in message) || message.conferenceId !== this.#model.id) return;
    if (message.type === 'media.restart') this.#ctx.notices.show('error.mediaRestart', {}, { id: 'media' });
    if (message.type.startsWith('media.')) return this.#media?.handle(message as MediaEvent);
    switch (message.type) {
      case 'chat.message':
        return this.#chat.add(message.message);
      case 'recording.timer':
        if (this.#model.view?.recording?.id === message.recordingId) return this.#timer.tick(message.recordedMs, message.state);
        break;
      case 'recording.ready':
        this.#ctx.notices.show('notice.recordingReady', {}, { tone: 'success', id: 'recording' });
        return;
      case 'recording.failed':
        this.#ctx.notices.show('notice.recordingFailed', { problem: message.problem }, { tone: 'error', id: 'recording' });
        return;
      case 'recording.paused':
      case 'recording.resumed':
        this.#timer.tick(message.recordedMs, message.type === 'recording.paused' ? 'paused' : 'recording');
        break;
      case 'recording.stopped':
        this.#ctx.notices.show(STOP_NOTICES[message.reason] ?? 'notice.recordingStopped', {}, { tone: 'success', id: 'recording' });
        break;
    }
    this.#refresh();
  }

  #refresh(): void {
    this.#model.refresh().catch((error) => this.#ctx.notices.error(error));
  }

  async #catchUp(): Promise<void> {
    this.#refresh();
    await this.#loadChat();
    await this.#media?.join();
  }

  async #loadChat(): Promise<void> {
    try {
      this.#chat.load(await this.#ctx.api.get<ChatMessageView[]>(`/conferences/${this.#model.id}/chat`));
    } catch (error) {
      this.#ctx.notices.error(error);
    }
  }

  async #startMedia(): Promise<void> {
    const { stream, problem } = await acquireLocalMedia();
    if (this.#disposed) {
      for (const track of stream?.getTracks() ?? []) track.stop();
      return;
    }
    if (problem) this.#ctx.notices.show(problem, {}, { tone: stream ? 'info' : 'error', id: 'devices' });
    this.#local = stream;
    this.#grid.showLocal(stream);
    this.#controls.show('audio', true, Boolean(stream?.getAudioTracks().length));
    this.#controls.show('video', true, Boolean(stream?.getVideoTracks().length));
    this.#media = new MediaSession({
      live: this.#ctx.live,
      conferenceId: this.#model.id,
      myUserId: this.#ctx.me.userId,
      local: stream,
      sink: {
        remoteAdded: ({ userId, producerId, track, paused }) => this.#grid.attach(userId, producerId, track, paused),
        remoteRemoved: (producerId) => this.#grid.detach(producerId),
        remotePaused: (producerId, paused) => this.#grid.setRemotePaused(producerId, paused),
        joined: () => this.#ctx.notices.dismiss('media'),
        failed: (error, retryInMs) => this.#mediaFailed(error, retryInMs),
      },
    });
    await this.#media.join();
  }

  #mediaFailed(error: unknown, retryInMs: number | null): void {
    // A lost connection has its own notice, and the media is joined again once it is back.
    if (this.#disposed || (error instanceof SignallingUnavailableError && error.reason === 'connection-lost')) return;
    const message = error instanceof SignallingUnavailableError ? t('error.mediaTimeout') : error instanceof Error ? error.message : String(error);
    if (retryInMs === null) this.#ctx.notices.show('error.mediaFailed', { message }, { tone: 'error', id: 'media' });
    else this.#ctx.notices.show('error.mediaRetry', { message, seconds: Math.ceil(retryInMs / 1000) }, { tone: 'error', id: 'media' });
  }

  async #toggle(kind: SendKind, on: boolean): Promise<void> {
    this.#controls.show(kind, on, true);
    this.#grid.setLocalPaused(kind, !on);
    await this.#media?.setSending(kind, on);
  }

  /** Browsers play sound only after the user touched the page: the first touch lets it play. */
  #audioBlocked(): void {
    if (this.#audioWaiting) return;
    this.#audioWaiting = new AbortController();
    this.#ctx.notices.show('error.audioBlocked', {}, { id: 'audio', sticky: true });
    const unblock = () => {
      this.#audioWaiting?.abort();
      this.#audioWaiting = undefined;
      this.#grid.playBlockedAudio();
      this.#ctx.notices.dismiss('audio');
    };
    for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, unblock, { signal: this.#audioWaiting.signal });
  }

  #countUnread(): void {
    if (this.#panel.openPanel === 'chat') return;
    this.#unread += 1;
    this.#panel.setBadge('chat', this.#unread);
  }

  async #sendChat(text: string): Promise<boolean> {
    try {
      this.#chat.add(await this.#ctx.api.post<ChatMessageView>(`/conferences/${this.#model.id}/chat`, { text }), false);
      return true;
    } catch (error) {
      this.#ctx.notices.error(error);
      return false;
    }
  }

  #command(path: string, body: object = {}): void {
    this.#model.command(path, body).catch((error) => this.#ctx.notices.error(error));
  }

  async #makeAdmin(participant: ParticipantView): Promise<void> {
    try {
      await this.#model.command('admins', { userId: participant.userId });
      this.#ctx.notices.show('notice.madeAdmin', { name: participant.name }, { tone: 'success' });
    } catch (error) {
      this.#ctx.notices.error(error);
    }
  }

  async #answer(answer: PromptAnswer): Promise<void> {
    if (answer === 'leave') this.#closing = true;
    try {
      await this.#model.command('prompt', { answer });
      if (answer === 'leave') this.#close('notice.declined');
    } catch (error) {
      this.#closing = false;
      this.#ctx.notices.error(error);
    }
  }

  async #leave(): Promise<void> {
    const view = this.#model.view!;
    const choice = view.recording && view.me.canControlRecording ? await this.#leaveDialog.ask() : { stopRecording: false };
    if (!choice) return;
    this.#closing = true;
    try {
      await this.#model.command('leave', choice);
      this.#close('notice.left');
    } catch (error) {
      this.#closing = false;
      this.#ctx.notices.error(error);
    }
  }

  async #copyLink(): Promise<void> {
    const url = location.href;
    // The clipboard is offered to secure pages only; elsewhere the link is shown to copy by hand.
    const copied = await navigator.clipboard?.writeText(url).then(
      () => true,
      () => false,
    );
    this.#ctx.notices.show(copied ? 'conf.linkCopied' : 'conf.linkShown', { url }, { sticky: !copied });
  }

  /** The conference window closes: back to the list, saying why. */
  #close(notice: MessageKey): void {
    this.#closing = true;
    this.#ctx.notices.show(notice, { title: this.#model.view?.title ?? '' });
    this.#ctx.navigate('#/');
  }
}
