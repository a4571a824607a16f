import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { svgToPng } from '../../src/report/png.js';
import { svgTimeline } from '../../src/report/svg-timeline.js';
import { ROOT } from '../helpers/capture.js';
import { decodePng } from '../helpers/png.js';

/** The legend's red swatches (translated adverts, split brain): 10 × 10 px each. */
const LEGEND_RED = 200;

/** Pixels that are not (near) white, and those that are the translated adverts' red (#d32f2f), legend excluded. */
function survey(png: Uint8Array) {
  const { width, height, rgba } = decodePng(png);
  let ink = 0;
  let red = 0;
  let labels = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    const [r, g, b] = [rgba[i], rgba[i + 1], rgba[i + 2]];
    const dark = r < 240 || g < 240 || b < 240;
    if (dark) ink++;
    // the lane labels' column (left of the plot): only text is drawn there
    if (dark && (i / 4) % width < 200) labels++;
    if (Math.abs(r - 0xd3) < 12 && Math.abs(g - 0x2f) < 12 && Math.abs(b - 0x2f) < 12) red++;
  }
  return { width, height, ink: ink / (width * height), red: red - LEGEND_RED, labels };
}

describe('timeline PNG (resvg, no browser)', () => {
  it('seed-snat: a picture of the incident — lanes drawn, translated adverts in red, text rendered — of bounded size', async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/seed-snat'], { tz: 'UTC' });
    const png = await svgToPng(svgTimeline(r, { tz: 'UTC' }));
    expect(png.byteLength).toBeGreaterThan(10_000);
    expect(png.byteLength).toBeLessThan(400_000);
    const s = survey(png);
    expect(s.width).toBe(1200);
    expect(s.height).toBeGreaterThan(200);
    expect(s.height).toBeLessThan(800);
    expect(s.ink).toBeGreaterThan(0.05);
    expect(s.ink).toBeLessThan(0.6);
    expect(s.red).toBeGreaterThan(150);
    // text is drawn (system fonts found): six lane labels of 11 px leave well over a thousand dark pixels
    expect(s.labels).toBeGreaterThan(1000);
  });

  it('clean-failover: no translated adverts, so no red; still a picture', async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/clean-failover'], { tz: 'UTC' });
    const s = survey(await svgToPng(svgTimeline(r, { tz: 'UTC' })));
    expect(s.ink).toBeGreaterThan(0.03);
    expect(s.red).toBeLessThan(20);
  });
});
