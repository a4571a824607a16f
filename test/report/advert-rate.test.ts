import { describe, expect, it } from 'vitest';
import { advertRates, peakAdvertRate } from '../../src/report/advert-rate.js';
import { SCHEMA, type Finding, type Report, type TimelineEntry } from '../../src/model/report.js';

const SEC = 1_000_000_000n;
const T0 = 1_795_586_000n * SEC;
const run = (at: bigint, until: bigint, repeat: number, file = 'a.pcap'): TimelineEntry => ({
  at, until, repeat, host: 'gw-a', source: 'capture', kind: 'advert', vrid: 150, summary: 'VRRPv2 vrid 150 prio 150 from 198.51.100.175', file, locator: 'frame 1',
});
const report = (timeline: TimelineEntry[], findings: Finding[] = []): Report => ({
  schema: SCHEMA, timezone: 'UTC', inputs: [], routers: [], clocks: [], findings, states: [], timeline, timelineDropped: 0, secretsShown: false,
});

describe('advert rates', () => {
  it('a steady sender over an hour is 1/s in every bucket; a second capture of the same link is not added', () => {
    const r = report([run(T0, T0 + 3600n * SEC, 3601), run(T0, T0 + 3600n * SEC, 3601, 'b.pcap')]);
    const s = advertRates(r, T0, T0 + 3600n * SEC, 60);
    for (const v of s.perSecond) expect(v).toBeCloseTo(1, 1);
    expect(peakAdvertRate(r, T0, T0 + 3600n * SEC)!.rate).toBeCloseTo(1, 0);
  });

  it('a storm at the end of a long run is placed inside the storm, not averaged over the run', () => {
    // 10 s at 1/s, then 5,000 adverts in the last half second: one collapsed run of 5,010
    const storm: Finding = { id: 'F1', kind: 'advert-storm', severity: 'warning', vrid: 150, router: null, start: T0 + 10n * SEC, end: T0 + 10n * SEC + SEC / 2n, peakRate: 5000, adverts: 5000, hosts: [], evidence: [] };
    const r = report([run(T0, T0 + 10n * SEC + SEC / 2n, 5010)], [storm]);
    const peak = peakAdvertRate(r, T0, T0 + 11n * SEC)!;
    expect(peak.rate).toBeGreaterThan(4900);
    expect(peak.at).toBe(T0 + 10n * SEC);
    const s = advertRates(r, T0, T0 + 11n * SEC, 11);
    expect(s.perSecond[3]).toBeLessThan(3);
  });

  it('no adverts: no peak', () => {
    expect(peakAdvertRate(report([]), T0, T0 + SEC)).toBeNull();
  });
});
