import { quoted } from '../gst/launchSyntax.ts';
import { gridLayout, type Tile } from './gridLayout.ts';
import { nameLabel, placeholderTile, type TileGraphic } from './tileGraphics.ts';

export interface LayoutParticipant {
  name: string;
  /** In-process channel carrying the participant's decoded video; absent means a placeholder. */
  videoChannel: string | undefined;
}

export interface CompositeLayout {
  width: number;
  height: number;
  fps: number;
  participants: readonly LayoutParticipant[];
  /** Channel the composed picture is published on, for the segment's encoder to pick up. */
  canvasChannel: string;
}

/** Name of the canvas sink, whose render count tells when the layout shows its first frame. */
export const CANVAS_SINK = 'canvas';

/**
 * A tile keeps a camera's last frame this long without a new one before it becomes a placeholder:
 * under CPU pressure a late decoder freezes its tile for a moment rather than blanking it.
 */
export const TILE_HOLD_MS = 4_000;
/**
 * Beyond the hold, a tile's channel would turn black; the layout is rebuilt with a placeholder
 * before that, with time to spare for a rebuild on a loaded machine.
 */
const STALE_VIDEO_TIMEOUT_NS = (TILE_HOLD_MS + 3_000) * 1_000_000;
const LABEL_OPACITY = 0.7;

/**
 * The layout pipeline: every participant's video (or placeholder) scaled into its grid tile,
 * name labels on top, published as raw I420 on `canvasChannel`. It is rebuilt whenever the
 * participant set, a camera or a consent changes; the encoder keeps running across rebuilds.
 * A live black source drives the timing, so an empty room still yields a canvas.
 */
export function compositeLayoutDescription(layout: CompositeLayout): string {
  const { width, height, fps } = layout;
  const tiles = gridLayout(layout.participants.length, { width, height });
  const branches: string[] = [`videotestsrc is-live=true pattern=black ! video/x-raw,format=I420,width=${width},height=${height},framerate=${fps}/1 ! queue ! mix.sink_0`];
  const padProperties: string[] = [];
  let pad = 1;
  const addInput = (branch: string, properties: Record<string, string | number>) => {
    branches.push(`${branch} ! mix.sink_${pad}`);
    for (const [name, value] of Object.entries(properties)) padProperties.push(`sink_${pad}::${name}=${value}`);
    pad += 1;
  };

  layout.participants.forEach((participant, index) => {
    const tile = tiles[index] as Tile;
    const area = { xpos: tile.x, ypos: tile.y, width: tile.width, height: tile.height };
    if (participant.videoChannel === undefined) {
      addInput(stillImage(placeholderTile(participant.name, tile.width, tile.height), fps), { ...area, zorder: 1 });
      return;
    }
    addInput(`intervideosrc channel=${quoted(participant.videoChannel)} timeout=${STALE_VIDEO_TIMEOUT_NS} ! queue max-size-buffers=3 leaky=downstream`, {
      ...area,
      'sizing-policy': 'keep-aspect-ratio',
      zorder: 1,
    });
    const label = nameLabel(participant.name, tile.width, tile.height);
    const margin = Math.round(label.height / 4);
    addInput(stillImage(label, fps), { xpos: tile.x + margin, ypos: tile.y + tile.height - label.height - margin, zorder: 2, alpha: LABEL_OPACITY });
  });

  return [
    `compositor name=mix background=black ${padProperties.join(' ')}`,
    `! video/x-raw,format=I420,width=${width},height=${height},framerate=${fps}/1`,
    `! intervideosink name=${CANVAS_SINK} channel=${quoted(layout.canvasChannel)} sync=false`,
    ...branches,
  ].join(' ');
}

/**
 * Renders an SVG once and repeats it live. Converted to I420 before the compositor: with an
 * I420 output, compositor refuses to link inputs in alpha formats such as rsvgoverlay's BGRA.
 */
function stillImage(graphic: TileGraphic, fps: number): string {
  const colour = `0x${graphic.background.toString(16).padStart(8, '0')}`;
  return [
    `videotestsrc num-buffers=1 pattern=solid-color foreground-color=${colour}`,
    `! video/x-raw,format=BGRA,width=${graphic.width},height=${graphic.height},framerate=${fps}/1`,
    `! rsvgoverlay data=${quoted(graphic.svg)} ! videoconvert ! video/x-raw,format=I420`,
    '! imagefreeze is-live=true ! queue max-size-buffers=3',
  ].join(' ');
}
