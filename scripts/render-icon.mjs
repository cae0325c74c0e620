// Draws the extension's icon, media/icon.png (128×128, what the Marketplace and the Extensions
// view show), from the SVG below with the machine's headless Chromium. The PNG is committed; run
// this again only after changing the drawing: `node scripts/render-icon.mjs`.
//
// The mark: a process tree. A root process, two children, and three grandchildren, one of which
// failed (the red node): what the Processes view shows, reduced to shapes.
import * as fs from 'node:fs';
import { launchChromium } from './lib/chromium.mjs';
import { fromRoot } from './lib/paths.mjs';
import { makeLogger } from './lib/log.mjs';

const log = makeLogger('icon');
const SIZE = 128;
const target = fromRoot('media', 'icon.png');

const edge = 'stroke="#e8f1ff" stroke-width="5" stroke-linecap="round" stroke-linejoin="round" fill="none"';
const node = (x, y, r, fill) => `<circle cx="${x}" cy="${y}" r="${r}" fill="${fill}" stroke="#0d2a4a" stroke-width="3"/>`;

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 128 128">
  <defs>
    <linearGradient id="background" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#2563b8"/>
      <stop offset="1" stop-color="#123a6b"/>
    </linearGradient>
  </defs>
  <rect x="4" y="4" width="120" height="120" rx="26" fill="url(#background)"/>
  <path d="M64 26 V46 M36 64 V46 H92 V64" ${edge}/>
  <path d="M36 66 V84 M24 96 V84 H48 V96 M92 66 V96" ${edge}/>
  ${node(64, 26, 11, '#ffffff')}
  ${node(36, 66, 9, '#7fd3a8')}
  ${node(92, 66, 9, '#7fd3a8')}
  ${node(24, 100, 7.5, '#7fd3a8')}
  ${node(48, 100, 7.5, '#ff6b6b')}
  ${node(92, 100, 7.5, '#7fd3a8')}
</svg>`;

/** Width and height from a PNG's IHDR chunk. */
function pngSize(data) {
  if (data.readUInt32BE(12) !== 0x49484452) throw new Error('not a PNG (no IHDR chunk)');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true, type: 'png' });
  const { width, height } = pngSize(png);
  if (width !== SIZE || height !== SIZE) throw new Error(`rendered ${width}×${height}, expected ${SIZE}×${SIZE}`);
  fs.mkdirSync(fromRoot('media'), { recursive: true });
  fs.writeFileSync(target, png);
  log.info(`wrote ${target} (${width}×${height}, ${png.length} bytes)`);
} finally {
  await browser.close();
}
