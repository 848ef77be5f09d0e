// The two Teams app icons, drawn from geometry at packaging time so they never drift from the brand colour
// and need no binary files in the repository. Teams wants a 192×192 full-colour icon and a 32×32 outline
// icon that is white on a transparent background (it tints the outline itself).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';

export const ACCENT_COLOR = '#1F5C99';

type Rgb = readonly [number, number, number];
type Point = readonly [number, number];

const BRAND: Rgb = hexToRgb(ACCENT_COLOR);
const WHITE: Rgb = [255, 255, 255];
const FOLD: Rgb = [169, 196, 224];

/** Samples per pixel along each axis: 4×4 gives smooth edges without a drawing library. */
const SUPERSAMPLE = 4;

function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

function insidePolygon([x, y]: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distanceToSegment([px, py]: Point, [ax, ay]: Point, [bx, by]: Point): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** True when p lies within width/2 of the polyline (round caps and joins). */
function onStroke(p: Point, path: readonly Point[], width: number): boolean {
  for (let i = 1; i < path.length; i++) if (distanceToSegment(p, path[i - 1], path[i]) <= width / 2) return true;
  return false;
}

/** A page with its top-right corner folded down, in a box of the given size. */
function documentShape(x0: number, y0: number, x1: number, y1: number, fold: number) {
  const page: Point[] = [
    [x0, y0],
    [x1 - fold, y0],
    [x1, y0 + fold],
    [x1, y1],
    [x0, y1],
  ];
  const foldTriangle: Point[] = [
    [x1 - fold, y0],
    [x1 - fold, y0 + fold],
    [x1, y0 + fold],
  ];
  return { page, foldTriangle };
}

/**
 * Renders an image by asking `shade` for the colour (or nothing) at each subsample and averaging; colour is
 * premultiplied by coverage so partly covered edge pixels keep the right hue.
 */
function render(size: number, shade: (p: Point) => Rgb | undefined): PNG {
  const png = new PNG({ width: size, height: size });
  const n = SUPERSAMPLE * SUPERSAMPLE;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const c = shade([x + (sx + 0.5) / SUPERSAMPLE, y + (sy + 0.5) / SUPERSAMPLE]);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          covered++;
        }
      }
      const i = (y * size + x) * 4;
      png.data[i] = covered ? Math.round(r / covered) : 0;
      png.data[i + 1] = covered ? Math.round(g / covered) : 0;
      png.data[i + 2] = covered ? Math.round(b / covered) : 0;
      png.data[i + 3] = Math.round((covered / n) * 255);
    }
  }
  return png;
}

/** 192×192: a white page with a blue check mark on a solid brand-blue square. */
export function makeColorIcon(): Buffer {
  // Teams crops the colour icon to a rounded square; the glyph stays in the central ~120 px.
  const { page, foldTriangle } = documentShape(58, 36, 134, 156, 26);
  const check: Point[] = [
    [74, 102],
    [90, 120],
    [118, 80],
  ];
  const lines: Point[][] = [
    [
      [74, 58],
      [100, 58],
    ],
    [
      [74, 140],
      [118, 140],
    ],
  ];
  const png = render(192, (p) => {
    if (insidePolygon(p, foldTriangle)) return FOLD;
    if (insidePolygon(p, page)) {
      if (onStroke(p, check, 12)) return BRAND;
      if (lines.some((line) => onStroke(p, line, 6))) return FOLD;
      return WHITE;
    }
    return BRAND;
  });
  return PNG.sync.write(png);
}

/** 32×32: the same page and check mark as white strokes on transparent, as Teams requires. */
export function makeOutlineIcon(): Buffer {
  const { page } = documentShape(7, 3, 25, 29, 6);
  const outline: Point[] = [...page, page[0]];
  const foldEdge: Point[] = [
    [19, 3],
    [19, 9],
    [25, 9],
  ];
  const check: Point[] = [
    [11, 17.5],
    [14.5, 21],
    [21, 13.5],
  ];
  const png = render(32, (p) => (onStroke(p, outline, 2) || onStroke(p, foldEdge, 2) || onStroke(p, check, 2.5) ? WHITE : undefined));
  // Fully transparent pixels are white too, so the file holds no colour other than white.
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = 255;
    png.data[i + 1] = 255;
    png.data[i + 2] = 255;
  }
  return PNG.sync.write(png);
}

/** Writes color.png and outline.png into dir; returns their paths. */
export function writeIcons(dir: string): { color: string; outline: string } {
  mkdirSync(dir, { recursive: true });
  const color = join(dir, 'color.png');
  const outline = join(dir, 'outline.png');
  writeFileSync(color, makeColorIcon());
  writeFileSync(outline, makeOutlineIcon());
  return { color, outline };
}

if (require.main === module) {
  const written = writeIcons(resolve(process.argv[2] ?? 'appPackage'));
  console.log(`Icons written: ${written.color}, ${written.outline}`);
}
