import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import type { Finding, Report, TimelineEntry } from '../../src/model/report.js';
import { splitImpact } from '../../src/report/split-impact.js';
import { ROOT } from '../helpers/capture.js';

const SEC = 1_000_000_000n;

describe('splitImpact', () => {
  it('conntrack-full: 5.4 s on vrid 150; gw-b\'s five gratuitous ARPs twice, counted once per capture; the VIP moved to gw-b once', async () => {
    process.chdir(ROOT);
    const r = await analyze([path.join('samples', 'conntrack-full')], { tz: 'UTC' });
    const [p, ...more] = splitImpact(r, null);
    expect(more).toEqual([]);
    expect(p).toMatchObject({ vrid: 150, open: false, vipMacChanges: 1, announcements: 10 });
    expect(Number(p.splitNs) / 1e9).toBeCloseTo(5.39, 2);
  });

  it('crafted: overlapping splits of one vrid are one span; an open one runs to the end; MAC changes need a MAC before', () => {
    const split = (vrid: number, start: number, end: number | null): Finding => ({ id: 'F', kind: 'split-brain', severity: 'critical', vrid, router: null, start: BigInt(start) * SEC, end: end === null ? null : BigInt(end) * SEC, hosts: ['gw-a', 'gw-b'], evidence: [] });
    const garp = (at: number, mac: string, repeat?: number): TimelineEntry => ({ at: BigInt(at) * SEC, host: null, source: 'capture', kind: 'gratuitous-arp', summary: '', file: 'cap', locator: 'frame 1', address: '198.51.100.254', mac, ...(repeat ? { repeat } : {}) });
    const r = { findings: [split(150, 10, 20), split(150, 15, 25), split(151, 40, null)], timeline: [garp(5, 'a'), garp(12, 'b', 5), garp(30, 'a'), garp(41, 'b')] } as unknown as Report;
    expect(splitImpact(r, 50n * SEC)).toEqual([
      { vrid: 150, splitNs: 15n * SEC, open: false, announcements: 5, vipMacChanges: 1 },
      { vrid: 151, splitNs: 10n * SEC, open: true, announcements: 1, vipMacChanges: 1 },
    ]);
  });
});
