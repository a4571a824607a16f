import { describe, expect, it } from 'vitest';
import { buildFindings } from '../../src/correlate/findings.js';
import { LogDetector } from '../../src/correlate/states.js';
import { TimelineCollector } from '../../src/correlate/timeline.js';
import { Topology } from '../../src/correlate/topology.js';
import { WireDetector } from '../../src/correlate/wire.js';
import { ka } from './fixtures.js';

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
    expect(sb.end! - sb.start!).toBe(8_000_000_000n);
    const handover = build([ka(0, 'gw-a', '(VI_1) Entering MASTER STATE'), ka(5, 'gw-b', '(VI_1) Entering MASTER STATE'), ka(5.2, 'gw-a', '(VI_1) Entering BACKUP STATE')]);
    expect(handover.filter((f) => f.kind === 'split-brain')).toHaveLength(0);
    expect(handover.filter((f) => f.kind === 'master-change').map((f) => f.router)).toEqual(['gw-a', 'gw-b']);
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
    expect(mc.find((f) => /more master changes/.test(f.summary))!.summary).toMatch(/^200 more master changes .* \(600 in all: the mastership is flapping\)\.$/);
    // ids follow the order: critical, warning, info
    expect(build(ev).map((f) => f.id).slice(0, 3)).toEqual(['F1', 'F2', 'F3']);
  });
});
