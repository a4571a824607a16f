import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { reportHtml } from '../../src/report/analysis-html.js';
import { rebasePaths } from '../../src/report/paths.js';
import { svgTimeline } from '../../src/report/svg-timeline.js';
import { ROOT } from '../helpers/capture.js';
import { SCHEMA, type Report } from '../../src/model/report.js';
import { CHROMIUM, render } from '../helpers/browser.js';

const OUT = path.join(ROOT, 'test-output/html');
const view = { tz: 'UTC', style: 'tttt' as const, context: 5, colour: false };
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

async function page(name: string, paths: string[]) {
  process.chdir(ROOT);
  mkdirSync(OUT, { recursive: true });
  const r = await analyze(paths, { tz: 'UTC' });
  const file = path.join(OUT, `${name}.html`);
  writeFileSync(file, reportHtml(r, view));
  const png = path.join(OUT, `${name}.png`);
  const shown = await render(file, png);
  return { r, file, png, ...shown };
}

describe('HTML report in headless Chromium', () => {
  it.each([
    ['seed-snat', 2, true],
    ['intermittent', 2, true],
    ['split-brain', 2, true],
    ['vrrpv3-unicast', 2, true],
    ['clean-failover', 2, false],
    ['nft-jump', 2, true],
    ['ah-auth', 2, true],
    ['both-snat', 2, true],
    ['unicast-check-src', 2, true],
    ['expiry', 2, true],
    ['delete-only', 2, true],
    ['vmac', 2, true],
    ['sync-group', 4, true], // a lane per host and instance (VI_1, VI_2)
  ])('%s: no console error, a lane per host and per sender, the flip marked when there is one, a screenshot', async (name, hosts, flip) => {
    const p = await page(name, [`samples/${name}`]);
    expect(p.console).toEqual([]);
    expect(count(p.dom, /class="lane lane-host"/g)).toBe(hosts);
    expect(count(p.dom, /class="lane lane-sender"/g)).toBeGreaterThanOrEqual(2);
    expect(p.dom.includes('class="marker flip"')).toBe(flip);
    expect(p.dom.includes('class="lane lane-conntrack"')).toBe(flip);
    expect(p.dom).toContain('id="verdict"');
    expect(existsSync(p.png) && statSync(p.png).size > 10_000).toBe(true);
  }, 60_000);

  it('ah-auth: the adverts the peer dropped (IPSEC-AH) are marked on its lane; none on a sample without drops', async () => {
    const p = await page('ah-auth', ['samples/ah-auth']);
    expect(count(p.dom, /<rect class="dropped"/g)).toBeGreaterThan(0);
    expect(p.dom).toContain('dropped by gw-b: (VI_1) IPSEC-AH : invalid IPSEC HMAC-MD5 value');
    expect((await page('seed-snat', ['samples/seed-snat'])).dom).not.toContain('class="dropped"');
  }, 60_000);

  it('delete-only: the entry and its renewal after the deletion are two bars on one conntrack lane', async () => {
    const p = await page('delete-only', ['samples/delete-only']);
    expect(count(p.dom, /<rect class="conntrack refreshed"/g)).toBe(2);
    expect(p.dom).toContain('made again, translated the same way');
  }, 60_000);

  it('hostile hostnames and log lines stay text: no script runs, nothing is injected', async () => {
    const dir = path.join(OUT, 'hostile');
    mkdirSync(dir, { recursive: true });
    const log = path.join(dir, 'syslog');
    writeFileSync(log, [
      '2026-11-25T05:55:37.316529+00:00 gw<svg/onload=console.error(1)> Keepalived_vrrp[5712]: (VI_1) Entering BACKUP STATE (init)',
      '2026-11-25T05:55:40.926195+00:00 gw<svg/onload=console.error(1)> Keepalived_vrrp[5712]: (VI_1) "><img src=x onerror=console.error(2)> javascript:alert(3) \u001b]8;;http://evil\u0007',
      '2026-11-25T05:55:41.926195+00:00 gw<svg/onload=console.error(1)> Keepalived_vrrp[5712]: (VI_1) Entering MASTER STATE',
    ].join('\n') + '\n');
    const p = await page('hostile', [log]);
    expect(p.console).toEqual([]);
    expect(p.dom).not.toMatch(/<svg\/onload|<img src=x/);
    expect(p.dom).toContain('gw&lt;svg/onload=console.error(1)&gt;');
    expect(p.dom).toContain('\\x1b]8;;http://evil\\x07');
    expect(p.dom).toContain('"&gt;&lt;img src=x onerror=console.error(2)&gt; javascript:alert(3)');
  }, 60_000);

  it('stays readable over 3 days: adverts aggregate into bands, the axis labels days', () => {
    const DAY = 86_400_000_000_000n;
    const t0 = 1_795_586_000_000_000_000n;
    const timeline = [...Array(3 * 24)].map((_, h) => ({
      at: t0 + BigInt(h) * 3_600_000_000_000n, until: t0 + BigInt(h + 1) * 3_600_000_000_000n - 1_000_000_000n, repeat: 3600,
      host: 'gw-a', source: 'capture' as const, kind: 'advert', vrid: 150, src: '198.51.100.175', summary: 'VRRPv2 vrid 150 prio 150 from 198.51.100.175 (gw-a)', file: 'f', locator: `frame ${h}`,
    }));
    const svg = svgTimeline({ schema: 'vrrp-forensics/report@1', timezone: 'UTC', inputs: [], routers: [], clocks: [], findings: [], states: [], timeline, timelineDropped: 0, secretsShown: false }, { tz: 'UTC' });
    expect(count(svg, /class="advert band"/g)).toBeLessThan(5);
    expect(count(svg, /<path class="advert"/g)).toBe(0);
    // the sender's lane comes from the entry's typed vrid and source, not from its summary
    expect(svg).toContain('vrid 150 · 198.51.100.175');
    expect(svg).toMatch(/>11-2\d \d\d:00</);
    expect(t0 + 3n * DAY > t0).toBe(true);
  });

  it('CARP speakers get their own table, every cell escaped', () => {
    const ev = { file: 'fw<script>x</script>.pcap', locator: 'frame 3', at: null, text: '' };
    const r: Report = {
      schema: SCHEMA, timezone: 'UTC', clocks: [], states: [], timelineDropped: 0, secretsShown: false, inputs: [], routers: [], findings: [], timeline: [],
      carp: [{ file: ev.file, host: null, vhid: 7, src: '198.51.100.2', dst: '224.0.0.18', adverts: 2, advbase: [1], advskew: [100], demotion: [0], badChecksums: 0, first: ev, last: ev }],
    };
    const html = reportHtml(r, view);
    expect(html).toContain('<h2>CARP speakers (IP protocol 112 but not VRRP: never counted in a VRRP election)</h2>');
    expect(html).toContain('<td>198.51.100.2 &gt; 224.0.0.18</td><td>7</td><td>1</td><td>100</td>');
    expect(html).not.toContain('<script>x');
  });
});

/**
 * Test-only copy of a report with a measuring script (the report itself forbids scripts): every label's box on screen,
 * the rendered font size, and whether the SVG was scaled — after layout at the window's width.
 */
async function measured(file: string, width: number) {
  const html = readFileSync(file, 'utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `<pre id="measure"></pre><script>
const box = (e) => { const b = e.getBoundingClientRect(); return { x: b.left, y: b.top, w: b.width, h: b.height, text: e.textContent }; };
const svg = document.querySelector('svg.timeline');
document.getElementById('measure').textContent = JSON.stringify({
  svg: { attr: Number(svg.getAttribute('width')), shown: svg.getBoundingClientRect().width },
  markers: [...svg.querySelectorAll('text.marker-label')].map(box),
  texts: [...svg.querySelectorAll('text')].map(box),
  bands: svg.querySelectorAll('rect.split-brain-band').length,
  strip: svg.querySelectorAll('g.rate-strip path.rate').length,
});
</script></body>`);
  const probe = file.replace(/\.html$/, `.probe-${width}.html`);
  writeFileSync(probe, html);
  const { dom } = await render(probe, probe.replace(/\.html$/, '.png'), width);
  const m = /<pre id="measure">([^<]*)<\/pre>/.exec(dom);
  if (!m) throw new Error('no measurement in the page');
  return JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')) as {
    svg: { attr: number; shown: number }; markers: Box[]; texts: Box[]; bands: number; strip: number;
  };
}
interface Box { x: number; y: number; w: number; h: number; text: string }
const overlap = (a: Box, b: Box) => Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 1;

describe('HTML timeline: what a storm and a split brain look like', () => {
  const svgOf = async (name: string) => {
    process.chdir(ROOT);
    return svgTimeline(rebasePaths(await analyze([`samples/${name}`], { tz: 'UTC' }), { absolute: false }), { tz: 'UTC' });
  };

  it('split-brain: a band over every lane it affects (both hosts, both senders of the vrid); the rate strip on a log scale up to 10k/s', async () => {
    const svg = await svgOf('split-brain');
    expect(count(svg, /<rect class="split-brain-band"/g)).toBe(4);
    expect(svg).toContain('class="rate-strip"');
    expect(svg).toMatch(/class="rate-tick"[^>]*>10k</);
    expect(svg).toMatch(/<title>peak \d{4,} adverts\/s<\/title>/);
    expect(count(svg, /class="marker resign"/g)).toBeGreaterThanOrEqual(1);
    expect(svg).toContain('gw-a: − filter INPUT -p vrrp -j DROP');
  });

  it('seed-snat: no split band; rule changes labelled with the change, not the file; keepalived start and stop, the deletion', async () => {
    const svg = await svgOf('seed-snat');
    expect(svg).not.toContain('split-brain-band');
    expect(svg).toContain('gw-a: + raw OUTPUT -p vrrp -j NOTRACK');
    expect(svg).toContain('gw-a: + nat POSTROUTING -p vrrp -j ACCEPT');
    expect(svg).not.toMatch(/class="marker-label"[^>]*>[^<]*iptables-save/);
    for (const cls of ['keepalived-start', 'keepalived-stop', 'conntrack-delete', 'rule', 'flip', 'revert']) expect(svg).toContain(`class="marker ${cls}"`);
  });

  it('expiry: the entry is solid while adverts refresh it and hatched while it sits idle until it expires', async () => {
    const svg = await svgOf('expiry');
    expect(count(svg, /<rect class="conntrack refreshed"/g)).toBe(1);
    expect(count(svg, /<rect class="conntrack idle"/g)).toBe(1);
    const w = (cls: string) => Number(new RegExp(`<rect class="conntrack ${cls}" x="[\\d.]+" width="([\\d.]+)"`).exec(svg)![1]);
    expect(w('idle')).toBeGreaterThan(w('refreshed'));
  });

  it.skipIf(!CHROMIUM).each([800, 1400])('in Chromium at %i px: labels keep 11 px (the picture scrolls, never shrinks), marker labels never overlap', async (width) => {
    const p = await page('split-brain', ['samples/split-brain']);
    const m = await measured(p.file, width);
    expect(m.svg.shown).toBe(m.svg.attr);
    expect(m.bands).toBe(4);
    expect(m.strip).toBe(1);
    for (const t of m.texts) expect(t.h, t.text).toBeGreaterThanOrEqual(10);
    expect(m.markers.length).toBeGreaterThanOrEqual(6);
    for (let i = 0; i < m.markers.length; i++) for (let j = i + 1; j < m.markers.length; j++) expect(overlap(m.markers[i], m.markers[j]), `${m.markers[i].text} / ${m.markers[j].text}`).toBe(false);
  }, 60_000);
});
