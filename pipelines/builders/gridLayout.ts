export interface Tile {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Canvas {
  width: number;
  height: number;
}

/**
 * Places `count` tiles of one aspect ratio on the canvas as large as they can be: tries every
 * column count, keeps the one giving the widest tile, centres the grid and its last, partial row.
 * All values are even, as 4:2:0 video needs.
 */
export function gridLayout(count: number, canvas: Canvas, aspectRatio = 16 / 9): Tile[] {
  if (count <= 0) return [];
  const gap = Math.max(2, evenFloor(canvas.width / 160));
  let best = { columns: 1, rows: count, tileWidth: 0 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const cellWidth = (canvas.width - gap * (columns + 1)) / columns;
    const cellHeight = (canvas.height - gap * (rows + 1)) / rows;
    const tileWidth = Math.min(cellWidth, cellHeight * aspectRatio);
    if (tileWidth > best.tileWidth) best = { columns, rows, tileWidth };
  }
  const width = evenFloor(best.tileWidth);
  const height = evenFloor(best.tileWidth / aspectRatio);
  const gridHeight = best.rows * height + (best.rows - 1) * gap;
  const top = (canvas.height - gridHeight) / 2;
  const tiles: Tile[] = [];
  for (let index = 0; index < count; index++) {
    const row = Math.floor(index / best.columns);
    const column = index % best.columns;
    const inRow = Math.min(best.columns, count - row * best.columns);
    const left = (canvas.width - (inRow * width + (inRow - 1) * gap)) / 2;
    tiles.push({ x: evenFloor(left + column * (width + gap)), y: evenFloor(top + row * (height + gap)), width, height });
  }
  return tiles;
}

export function evenFloor(value: number): number {
  return Math.max(0, Math.floor(value / 2) * 2);
}
