import type { ParticipantView } from '../api/types.ts';
import { translate } from '../i18n/i18n.ts';
import { h } from '../ui/dom.ts';
import { icon } from '../ui/icons.ts';

interface Tile {
  element: HTMLElement;
  video: HTMLVideoElement;
  name: HTMLElement;
  micOff: HTMLElement;
  /** Audio elements of this participant, by producer. */
  audio: Map<string, HTMLAudioElement>;
  videoProducer: string | null;
}

export type TrackKind = 'audio' | 'video';

/**
 * One tile per participant in the conference, own preview first. A tile shows the camera when its
 * producer sends, and the participant's initials when there is no video or the camera is off;
 * audio plays from a hidden element of the tile.
 */
export class VideoGrid {
  readonly element = h('div', { class: 'video-grid' });
  readonly #tiles = new Map<string, Tile>();
  readonly #owners = new Map<string, string>();
  readonly #onAudioBlocked: () => void;
  #myUserId = '';
  #present = new Set<string>();

  /** `onAudioBlocked`: the browser would not play sound before the user touched the page. */
  constructor(onAudioBlocked: () => void) {
    this.#onAudioBlocked = onAudioBlocked;
  }

  /**
   * The participants present now: tiles come and go with them. A tile still showing media stays
   * until its producers go (the view may be a moment behind the media).
   */
  sync(participants: ParticipantView[], myUserId: string): void {
    this.#myUserId = myUserId;
    this.#present = new Set(participants.filter((p) => p.present).map((p) => p.userId));
    for (const participant of participants.filter((p) => this.#present.has(p.userId))) {
      const tile = this.#tile(participant.userId);
      tile.name.textContent = participant.name;
      tile.element.dataset.initials = initials(participant.name);
      if (participant.userId === myUserId) tile.name.append(' ', h('span', { text: 'conf.you' }));
    }
    for (const userId of this.#tiles.keys()) this.#dropIfGone(userId);
    this.#layout();
  }

  /** Own camera preview (muted: one's own voice is not played back). */
  showLocal(stream: MediaStream | null): void {
    const tile = this.#tile(this.#myUserId);
    tile.video.srcObject = stream && stream.getVideoTracks().length ? new MediaStream(stream.getVideoTracks()) : null;
    this.#refresh(tile);
  }

  setLocalPaused(kind: TrackKind, paused: boolean): void {
    this.#setPaused(this.#tile(this.#myUserId), kind, paused);
  }

  attach(userId: string, producerId: string, track: MediaStreamTrack, paused: boolean): void {
    const tile = this.#tile(userId);
    this.#owners.set(producerId, userId);
    if (track.kind === 'video') {
      tile.video.srcObject = new MediaStream([track]);
      tile.videoProducer = producerId;
    } else {
      const audio = h('audio');
      audio.srcObject = new MediaStream([track]);
      tile.audio.set(producerId, audio);
      tile.element.append(audio);
      this.#play(audio);
    }
    this.#setPaused(tile, track.kind as TrackKind, paused);
    this.#layout();
  }

  detach(producerId: string): void {
    const userId = this.#owners.get(producerId) ?? '';
    const tile = this.#tiles.get(userId);
    this.#owners.delete(producerId);
    if (!tile) return;
    tile.audio.get(producerId)?.remove();
    tile.audio.delete(producerId);
    if (tile.videoProducer === producerId) {
      tile.video.srcObject = null;
      tile.videoProducer = null;
    }
    this.#refresh(tile);
    if (this.#dropIfGone(userId)) this.#layout();
  }

  setRemotePaused(producerId: string, paused: boolean): void {
    const tile = this.#tiles.get(this.#owners.get(producerId) ?? '');
    if (tile) this.#setPaused(tile, tile.videoProducer === producerId ? 'video' : 'audio', paused);
  }

  /** After the user touched the page: the sound the browser held back can play now. */
  playBlockedAudio(): void {
    for (const tile of this.#tiles.values()) for (const audio of tile.audio.values()) if (audio.paused) this.#play(audio);
  }

  #play(audio: HTMLAudioElement): void {
    audio.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotAllowedError') this.#onAudioBlocked();
    });
  }

  /** Removes the tile of someone no longer present once nothing of theirs plays in it. */
  #dropIfGone(userId: string): boolean {
    const tile = this.#tiles.get(userId);
    if (!tile || this.#present.has(userId) || [...this.#owners.values()].includes(userId)) return false;
    tile.element.remove();
    this.#tiles.delete(userId);
    return true;
  }

  /** Own tile first; the grid's shape follows the number of tiles. */
  #layout(): void {
    const ordered = [...this.#tiles.entries()].sort(([a], [b]) => Number(b === this.#myUserId) - Number(a === this.#myUserId)).map(([, tile]) => tile.element);
    if (ordered.some((el, i) => this.element.children[i] !== el)) this.element.replaceChildren(...ordered);
    this.element.dataset.count = String(Math.min(ordered.length, 9));
  }

  #setPaused(tile: Tile, kind: TrackKind, paused: boolean): void {
    if (kind === 'audio') tile.micOff.hidden = !paused;
    else tile.element.classList.toggle('camera-off', paused);
    this.#refresh(tile);
  }

  #refresh(tile: Tile): void {
    tile.element.classList.toggle('has-video', tile.video.srcObject !== null && !tile.element.classList.contains('camera-off'));
  }

  #tile(userId: string): Tile {
    return this.#tiles.get(userId) ?? this.#createTile(userId);
  }

  #createTile(userId: string): Tile {
    const video = h('video', { attrs: { autoplay: '', playsinline: '' } });
    video.muted = true;
    const name = h('span', { class: 'tile-name' });
    const micOff = h('span', { class: 'tile-mic-off', attrs: { hidden: '' } }, icon('mic', true));
    translate(micOff, 'label', 'conf.micIsOff');
    micOff.setAttribute('role', 'img');
    const element = h('figure', { class: 'tile', attrs: { 'data-user-id': userId } }, video, h('figcaption', {}, micOff, name));
    if (userId === this.#myUserId) element.classList.add('tile-self');
    const tile: Tile = { element, video, name, micOff, audio: new Map(), videoProducer: null };
    this.#tiles.set(userId, tile);
    return tile;
  }
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => [...word][0]!.toUpperCase())
    .join('');
}
