import { evenFloor } from './gridLayout.ts';

/** A still picture drawn once per layout and repeated by `imagefreeze`. */
export interface TileGraphic {
  width: number;
  height: number;
  /** Opaque ARGB colour under the drawing. */
  background: number;
  svg: string;
}

const FONT = 'DejaVu Sans';
const TILE_BACKGROUND = 0xff2b2f36;
const LABEL_BACKGROUND = 0xff101214;
// DejaVu Sans averages about 0.6 em per character; good enough to size and truncate labels.
const CHARACTER_WIDTH_EM = 0.6;

/** Name strip shown over the bottom-left corner of a participant's video. */
export function nameLabel(name: string, tileWidth: number, tileHeight: number): TileGraphic {
  const fontSize = Math.max(10, Math.round(tileHeight / 14));
  const padding = Math.round(fontSize / 2);
  const text = fit(name, tileWidth - 4 * padding, fontSize);
  const width = evenFloor(Math.min(tileWidth - 2 * padding, text.length * fontSize * CHARACTER_WIDTH_EM + 2 * padding + 2));
  const height = evenFloor(fontSize * 1.6);
  return {
    width,
    height,
    background: LABEL_BACKGROUND,
    svg: svg(width, height, textElement(text, padding, Math.round(height * 0.72), fontSize, 'start')),
  };
}

/**
 * Tile for a participant without a picture to show: camera off, no keyframe yet, or no consent
 * in an only-consenting recording. Initials in a circle and the name, so viewers know who it is.
 */
export function placeholderTile(name: string, width: number, height: number): TileGraphic {
  const radius = Math.round(Math.min(width, height) / 5);
  const centreX = Math.round(width / 2);
  const centreY = Math.round(height / 2 - radius / 3);
  const nameSize = Math.max(10, Math.round(height / 12));
  const circle = `<circle cx='${centreX}' cy='${centreY}' r='${radius}' fill='#4a5568'/>`;
  const initialsText = textElement(initials(name), centreX, centreY + Math.round(radius * 0.35), Math.round(radius * 0.9), 'middle');
  const nameText = textElement(fit(name, width - nameSize, nameSize), centreX, Math.min(height - nameSize / 2, centreY + radius + nameSize * 1.6), nameSize, 'middle');
  return { width, height, background: TILE_BACKGROUND, svg: svg(width, height, circle + initialsText + nameText) };
}

function svg(width: number, height: number, body: string): string {
  return `<svg xmlns='http://www.w3.org/2000/svg' width='${width}' height='${height}'>${body}</svg>`;
}

function textElement(text: string, x: number, y: number, size: number, anchor: 'start' | 'middle'): string {
  return `<text x='${x}' y='${y}' font-family='${FONT}' font-size='${size}' fill='white' text-anchor='${anchor}'>${escapeXml(text)}</text>`;
}

function fit(text: string, width: number, fontSize: number): string {
  const characters = Array.from(text.trim() || '?');
  const room = Math.max(1, Math.floor(width / (fontSize * CHARACTER_WIDTH_EM)));
  return characters.length <= room ? characters.join('') : `${characters.slice(0, Math.max(1, room - 1)).join('')}…`;
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.map((word) => Array.from(word).find((c) => /[\p{L}\p{N}]/u.test(c)) ?? '').filter(Boolean).slice(0, 2);
  return letters.join('').toUpperCase() || '?';
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}
