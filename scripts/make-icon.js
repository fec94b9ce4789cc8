#!/usr/bin/env node
// Draws the app icon (resources/icon.png, 512x512) without any image library: a blue rounded
// square with a white envelope and a return arrow. Run once; the PNG is committed.
// electron-builder makes the .icns/.ico from this PNG.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SIZE = Number(process.argv[2] ?? 512);
const out = fileURLToPath(new URL(`../resources/${process.argv[3] ?? 'icon.png'}`, import.meta.url));

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};

// Shapes in unit coordinates (0..1), as coverage with 4x4 supersampling.
const roundedRect = (x, y, x0, y0, x1, y1, r) => {
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
};
const nearSegment = (x, y, ax, ay, bx, by, w) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= w * w;
};

function pixel(x, y) {
  if (!roundedRect(x, y, 0.04, 0.04, 0.96, 0.96, 0.2)) return null;
  const top = [52, 110, 235];
  const bottom = [28, 72, 190];
  const bg = top.map((c, i) => Math.round(c + (bottom[i] - c) * y));
  const envelope = roundedRect(x, y, 0.2, 0.3, 0.8, 0.72, 0.05);
  const flap = nearSegment(x, y, 0.22, 0.33, 0.5, 0.54, 0.03) || nearSegment(x, y, 0.78, 0.33, 0.5, 0.54, 0.03);
  const arrow = nearSegment(x, y, 0.56, 0.8, 0.8, 0.8, 0.028) || nearSegment(x, y, 0.56, 0.8, 0.63, 0.73, 0.028) || nearSegment(x, y, 0.56, 0.8, 0.63, 0.87, 0.028);
  if (flap && envelope) return bg;
  if (envelope || arrow) return [255, 255, 255];
  return bg;
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < 4; sy++)
      for (let sx = 0; sx < 4; sx++) {
        const c = pixel((px + (sx + 0.5) / 4) / SIZE, (py + (sy + 0.5) / 4) / SIZE);
        if (c) {
          r += c[0];
          g += c[1];
          b += c[2];
          a++;
        }
      }
    const o = 1 + px * 4;
    if (a) {
      row[o] = Math.round(r / a);
      row[o + 1] = Math.round(g / a);
      row[o + 2] = Math.round(b / a);
      row[o + 3] = Math.round((255 * a) / 16);
    }
  }
  rows.push(row);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8;
ihdr[9] = 6;
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(out, png);
process.stdout.write(`${out}\n`);
