import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { FORMATS } from '../../src/report/formats.js';
import { renderReport } from '../../src/report/render.js';
import { reportJson } from '../../src/report/analysis-json.js';
import { ROOT } from '../helpers/capture.js';
import { ether, ipv4, ngEpb, ngIdb, ngShb, vrrp2 } from '../helpers/craft.js';
import { RUNS, TEST_MS } from './harness.js';

/**
 * Issue 15's cases as properties (npm run fuzz raises the count): out-of-range and impossible times in every reader,
 * FIFOs, links, loops and empty files in the folders, and last lines cut anywhere. analyze must finish, render every
 * format, and never put a time outside the years 0000-9999 in a report.
 */
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[1-9][0-9]{${min - 1},${max - 1}}$`));
const times = fc.record({
  ticks: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  tsOffset: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: undefined }),
  event: digits(1, 20),
  journal: digits(1, 25),
  date: fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 }), fc.integer({ min: 0, max: 29 }), fc.integer({ min: 0, max: 69 })),
});
const extras = fc.subarray(['fifo', 'dangling', 'loop', 'cycle', 'empty', 'newline'] as const);
const cut = fc.record({ file: fc.constantFrom('gw-a/conntrack-events.log', 'gw-b/syslog.rfc3339', 'gw-a/syslog'), at: fc.nat() });

const p2 = (n: number) => String(n).padStart(2, '0');

describe('damaged times, odd folder entries and cut last lines', () => {
  it('analyze finishes, every format renders, no report time leaves the years 0000-9999', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'vf-fuzz-evidence-'));
    let n = 0;
    await fc.assert(fc.asyncProperty(times, extras, cut, async (t, extra, c) => {
      const dir = path.join(base, String(n++));
      cpSync(path.join(ROOT, 'samples/seed-snat'), dir, { recursive: true });
      const advert = ether('52:54:00:00:a0:01', 0x0800, ipv4([198, 51, 100, 175], [224, 0, 0, 18], 112, vrrp2(150, 100, [[198, 51, 100, 254]])));
      writeFileSync(path.join(dir, 'gw-a/odd.pcapng'), Buffer.concat([ngShb(), ngIdb(t.tsOffset), ngEpb(0, t.ticks, advert), ngEpb(0, 1_795_586_141_000_000n, advert)]));
      const [y, mo, d, h, s] = t.date;
      writeFileSync(path.join(dir, 'gw-b/odd.log'), [
        `${String(y).padStart(4, '0')}-${p2(mo)}-${p2(d)}T${p2(h)}:00:${p2(s)}.5+00:00 gw-b Keepalived_vrrp[1]: (VI_1) Entering BACKUP STATE`,
        JSON.stringify({ __REALTIME_TIMESTAMP: t.journal, _HOSTNAME: 'gw-b', SYSLOG_IDENTIFIER: 'Keepalived_vrrp', MESSAGE: '(VI_1) Entering MASTER STATE' }),
        '',
      ].join('\n'));
      writeFileSync(path.join(dir, 'gw-a/odd-events.log'), `[${t.event}.4]\t    [NEW] unknown  112 600 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1\n`);
      const f = path.join(dir, c.file);
      const bytes = readFileSync(f);
      writeFileSync(f, bytes.subarray(0, bytes.length ? c.at % bytes.length : 0));
      if (extra.includes('fifo')) spawnSync('mkfifo', [path.join(dir, 'gw-a/fifo')]);
      if (extra.includes('dangling')) symlinkSync('nowhere', path.join(dir, 'gw-a/dangling'));
      if (extra.includes('loop')) symlinkSync('loop', path.join(dir, 'gw-b/loop'));
      if (extra.includes('cycle')) {
        mkdirSync(path.join(dir, 'gw-b/sub'));
        symlinkSync('../..', path.join(dir, 'gw-b/sub/up'));
      }
      if (extra.includes('empty')) writeFileSync(path.join(dir, 'gw-a/empty'), '');
      if (extra.includes('newline')) cpSync(path.join(ROOT, 'samples/seed-snat/gw-b/syslog'), path.join(dir, 'gw-b/sys\nlog'));

      const t0 = performance.now();
      const r = await analyze([dir], { tz: 'UTC' });
      // png is the svg rasterised (seconds per case): the svg stands for it here
      for (const format of FORMATS.filter((f) => f !== 'png')) await renderReport(r, format, { tz: 'UTC', style: 'tttt', context: 5, colour: false });
      expect(performance.now() - t0).toBeLessThan(15_000);
      expect(reportJson(r)).not.toMatch(/invalid:|"[+-]\d{6}-/);
      expect(r.inputs.find((i) => i.path.endsWith('gw-b/lan0.pcap'))!.records).toBeGreaterThan(0); // the rest still read
    }), { numRuns: Math.max(10, Math.floor(RUNS / 20)) });
  }, TEST_MS * 4);
});
