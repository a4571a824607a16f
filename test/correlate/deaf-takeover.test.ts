import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { deafTakeovers } from '../../src/correlate/deaf-takeover.js';
import { Topology } from '../../src/correlate/topology.js';
import type { TimelineEntry, Transition } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

const SEC = 1_000_000_000n;

describe('deafTakeovers on the recordings', () => {
  it('conntrack-full: gw-b took MASTER while its capture shows gw-a\'s priority-150 adverts arriving — both sides cited, the full table first among the hypotheses', async () => {
    process.chdir(ROOT);
    const r = await analyze([path.join('samples', 'conntrack-full')], { tz: 'UTC' });
    const [k, ...more] = r.findings.filter((f) => f.kind === 'contradiction');
    expect(more).toEqual([]);
    const full = r.findings.find((f) => f.kind === 'conntrack-exhaustion')!;
    expect(k).toMatchObject({ router: 'gw-b', about: full.id, contradiction: { claim: 'timeout-while-adverts-captured', host: 'gw-b' } });
    expect(k.contradiction!.sides.map((s) => [path.basename(s.file), s.locator])).toEqual([['syslog.rfc3339', 'line 44'], ['lan0-ns.pcap', 'frame 7']]);
    expect(k.contradiction!.hypotheses.map((h) => h.kind)).toEqual(['dropped-conntrack-table-full', 'dropped-after-capture-point']);
    // the takeover in keepalived's words with who and from what state; the advert run as the timeline gives it, with its count
    const [took, seen] = k.contradiction!.sides;
    expect(took).toMatchObject({ text: 'Entering MASTER STATE', role: { kind: 'transition', host: 'gw-b', from: 'BACKUP' } });
    expect(seen).toMatchObject({ text: 'VRRPv2 vrid 150 prio 150 from 198.51.100.175 (gw-a)', role: { kind: 'repeated', times: 15 } });
  });

  it('none on samples where the takeover is explained (v3 checksum drops, preemption, resignation)', async () => {
    process.chdir(ROOT);
    for (const s of ['v3-half-fixed', 'intermittent', 'clean-failover', 'seed-snat']) {
      const r = await analyze([path.join('samples', s)], { tz: 'UTC' });
      expect(r.findings.filter((f) => f.kind === 'contradiction' && f.contradiction?.claim === 'timeout-while-adverts-captured'), s).toEqual([]);
    }
  });
});

describe('deafTakeovers, crafted', () => {
  const topo = new Topology();
  topo.addConf('gw-b', { instances: [{ name: 'VI_1', vrid: 150, priority: 100, interface: 'lan0', vips: [], unicastPeers: [], file: 'k', line: 1 }], syncGroups: [], secrets: [], warnings: [] } as never);
  const tr: Transition = { at: 100n * SEC, host: 'gw-b', instance: 'VI_1', from: 'BACKUP', to: 'MASTER', file: 'syslog', line: 9 };
  const run = (priority: number, at = 90n, until = 110n): TimelineEntry => ({ at: at * SEC, until: until * SEC, repeat: 20, host: 'gw-b', source: 'capture', kind: 'advert', summary: 'adverts', file: 'cap', locator: 'frame 1', src: '198.51.100.175', priority, vrid: 150 });
  const base = { transitions: [tr], rejections: [], topo, exhaustion: [] };

  it('a higher-priority run through the takeover: a contradiction, with only the after-capture hypothesis when no table was full', () => {
    const [k] = deafTakeovers({ ...base, timeline: [run(150)] });
    expect(k.contradiction!.hypotheses.map((h) => h.kind)).toEqual(['dropped-after-capture-point']);
  });

  it('not for a lower or equal priority, a run that ended before, an initial state, or drops the log explains', () => {
    expect(deafTakeovers({ ...base, timeline: [run(100)] })).toEqual([]);
    expect(deafTakeovers({ ...base, timeline: [run(150, 80n, 95n)] })).toEqual([]);
    expect(deafTakeovers({ ...base, transitions: [{ ...tr, from: null }], timeline: [run(150)] })).toEqual([]);
    const rejection = { host: 'gw-b', kind: 'invalid-checksum' as const, start: 97n * SEC, end: 99n * SEC, lines: 3, firstLine: 5, first: { file: 'syslog', locator: 'line 5', at: 97n * SEC, text: '' } };
    expect(deafTakeovers({ ...base, rejections: [rejection], timeline: [run(150)] })).toEqual([]);
  });
});
