import { describe, expect, it } from 'vitest';
import { buildFindings } from '../../src/correlate/findings.js';
import { findingSummary } from '../../src/report/finding-words.js';
import { LogDetector } from '../../src/correlate/states.js';
import { TimelineCollector } from '../../src/correlate/timeline.js';
import { Topology } from '../../src/correlate/topology.js';
import { WireDetector } from '../../src/correlate/wire.js';
import type { CarpAdvertRecord } from '../../src/model/records.js';
import { advert, ka } from './fixtures.js';

function build(events: ReturnType<typeof ka>[]) {
  const topo = new Topology();
  const tl = new TimelineCollector();
  const logs = new LogDetector(topo, tl, () => 150);
  const wire = new WireDetector(topo, tl);
  for (const e of events) logs.event(e, e.time, null);
  logs.finish();
  wire.finish();
  return buildFindings({ topo, wire, logs, flows: [], rules: [], hasLogsFor: () => true });
}

describe('buildFindings on crafted timelines', () => {
  it('two hosts MASTER for 3 s or more is a split brain; a preemption overlap of a moment is not', () => {
    const split = build([ka(0, 'gw-a', '(VI_1) Entering MASTER STATE'), ka(1, 'gw-b', '(VI_1) Entering MASTER STATE'), ka(9, 'gw-a', '(VI_1) Entering BACKUP STATE')]);
    const [sb] = split.filter((f) => f.kind === 'split-brain');
    expect(sb).toMatchObject({ severity: 'critical', vrid: 150, hosts: ['gw-a', 'gw-b'] });
    expect(sb.end! - sb.start).toBe(8_000_000_000n);
    const handover = build([ka(0, 'gw-a', '(VI_1) Entering MASTER STATE'), ka(5, 'gw-b', '(VI_1) Entering MASTER STATE'), ka(5.2, 'gw-a', '(VI_1) Entering BACKUP STATE')]);
    expect(handover.filter((f) => f.kind === 'split-brain')).toHaveLength(0);
    expect(handover.filter((f) => f.kind === 'master-change').map((f) => f.router)).toEqual(['gw-a', 'gw-b']);
  });

  it('a split brain still on when the evidence ends: no end, and its zone follows its time, not the words', () => {
    const [sb] = build([ka(0, 'gw-a', '(VI_1) Entering MASTER STATE'), ka(1, 'gw-b', '(VI_1) Entering MASTER STATE'), ka(9, 'gw-b', '(VI_1) Received advert from 192.0.2.1 with lower priority 100, ours 150')])
      .filter((f) => f.kind === 'split-brain');
    expect(sb.end).toBeNull();
    // worded at the edge in the display zone, never by the engine
    expect(findingSummary(sb, { tz: 'UTC', findings: [sb] })).toMatch(/from \S+ \S+ UTC to the end of the evidence/);
  });

  it('a "forcing new election" storm in the logs alone is an advert-storm finding with its peak', () => {
    const ev = [...Array(120)].map((_, i) => ka(10 + i / 60, 'gw-b', '(VI_1) Received advert from 192.0.2.1 with lower priority 100, ours 100, forcing new election'));
    const [s] = build(ev).filter((f) => f.kind === 'advert-storm');
    expect(s).toMatchObject({ severity: 'warning', router: 'gw-b', peakRate: 60 });
  });

  it('a flapping pair: more than 400 master changes are summarised, first and last kept', () => {
    const ev = [...Array(600)].map((_, i) => ka(i * 10, i % 2 ? 'gw-b' : 'gw-a', '(VI_1) Entering MASTER STATE'));
    const mc = build(ev).filter((f) => f.kind === 'master-change');
    expect(mc).toHaveLength(401);
    const gap = mc.find((f) => f.seen.by === 'flapping')!;
    expect(gap.seen).toEqual({ by: 'flapping', omitted: 200, total: 600 });
    expect(findingSummary(gap, { tz: 'UTC', findings: mc })).toMatch(/^200 more master changes .* \(600 in all: the mastership is flapping\)\.$/);
    // ids follow the order: critical, warning, info
    expect(build(ev).map((f) => f.id).slice(0, 3)).toEqual(['F1', 'F2', 'F3']);
  });

  it('on the wire alone: a resignation is an info finding (one for two captures of it); the change it causes states its rule', () => {
    const topo = new Topology();
    const tl = new TimelineCollector();
    const wire = new WireDetector(topo, tl);
    const logs = new LogDetector(topo, tl, () => 150);
    const feed = (sec: number, src: string, prio: number, file = 'a.pcap') => {
      const r = advert(sec, src, { priority: prio, file });
      wire.advert(r, r.time!, null);
    };
    for (const file of ['a.pcap', 'b.pcap']) {
      for (let k = 0; k < 3; k++) feed(k, '198.51.100.175', 150, file);
      feed(3, '198.51.100.175', 0, file);
      feed(3.5, '198.51.100.176', 100, file);
    }
    logs.finish();
    wire.finish();
    const fs = buildFindings({ topo, wire, logs, flows: [], rules: [], hasLogsFor: () => false });
    const res = fs.filter((f) => f.kind === 'resignation');
    expect(res.map((f) => [f.severity, f.vrid, f.router, f.evidence.map((e) => e.file)])).toEqual([['info', 150, '198.51.100.175', ['a.pcap', 'b.pcap']]]);
    const mc = fs.filter((f) => f.kind === 'master-change');
    expect(mc.map((f) => [f.router, f.changeRule, f.fromPriority, f.toPriority])).toEqual([['198.51.100.176', 'after-resignation', undefined, 100]]);
  });

  it('a CARP source that is a SNAT target is a carp-source-translated warning (vhid, not vrid); plain CARP is no finding', () => {
    const topo = new Topology();
    const tl = new TimelineCollector();
    const wire = new WireDetector(topo, tl);
    const logs = new LogDetector(topo, tl, () => 150);
    const learned = { how: 'conntrack' as const, evidence: { file: 'fw1/conntrack.txt', locator: 'line 4', at: null, text: 'unknown 112 …' } };
    topo.addTranslated('203.0.113.1', { original: '198.51.100.2', learned });
    for (let k = 0; k < 4; k++) {
      for (const src of ['198.51.100.3', '203.0.113.1']) {
        const b = advert(k, src);
        const c: CarpAdvertRecord = {
          kind: 'carp', file: 'wan.pcap', frame: b.frame, offset: 0, time: b.time, precision: 6, interface: b.interface, caplen: 70, origlen: 70,
          ipVersion: 4, src, dst: '224.0.0.18', ttl: 255, version: 2, type: 1, vhid: src.endsWith('.3') ? 3 : 1, advskew: 0, authLen: 7, demotion: 0, advbase: 1,
          checksumStatus: 'ok', length: 36, truncated: false, ttlOk: true,
        };
        wire.carp(c, c.time!, null);
      }
    }
    logs.finish();
    wire.finish();
    const fs = buildFindings({ topo, wire, logs, flows: [], rules: [], hasLogsFor: () => false });
    expect(fs.map((f) => f.kind === 'carp-source-translated' && [f.kind, f.severity, f.vrid, f.vhid, f.originalSource, f.translatedSource, f.adverts])).toEqual([
      ['carp-source-translated', 'warning', null, 1, '198.51.100.2', '203.0.113.1', 4],
    ]);
    expect(fs[0].evidence.map((e) => `${e.file} ${e.locator}`)).toContain('fw1/conntrack.txt line 4');
  });
});
