import { describe, expect, it } from 'vitest';
import { LogDetector } from '../../src/correlate/states.js';
import { TimelineCollector } from '../../src/correlate/timeline.js';
import { Topology } from '../../src/correlate/topology.js';
import { ka } from './fixtures.js';

function setup() {
  const topo = new Topology();
  topo.addTranslated('203.0.113.1', { original: '198.51.100.175', router: 'gw-a', learned: { how: 'conntrack', evidence: { file: 'f', locator: 'line 1', at: null, text: '' } } });
  const timeline = new TimelineCollector();
  return { topo, timeline, logs: new LogDetector(topo, timeline, () => 150) };
}

describe('LogDetector', () => {
  it('tracks each instance state: from → to, MASTER periods, and keepalived stopping ends them', () => {
    const { logs } = setup();
    for (const e of [ka(0, 'gw-b', '(VI_1) Entering BACKUP STATE (init)'), ka(3, 'gw-b', '(VI_1) Receive advertisement timeout'), ka(3.1, 'gw-b', '(VI_1) Entering MASTER STATE'), ka(9, 'gw-b', 'Stopping')]) logs.event(e, e.time, null);
    logs.finish();
    expect(logs.transitions.map((t) => `${t.from}>${t.to}`)).toEqual(['null>BACKUP', 'BACKUP>MASTER']);
    expect(logs.transitions[1].reason?.kind).toBe('advert-timeout');
    expect(logs.masters).toHaveLength(1);
    expect(logs.masters[0]).toMatchObject({ host: 'gw-b', vrid: 150 });
    expect(logs.masters[0].end! - logs.masters[0].start).toBe(5_900_000_000n);
  });

  it('keepalived "Assigned address" lines teach the topology the router addresses (not link-local)', () => {
    const { logs, topo } = setup();
    for (const e of [ka(0, 'gw-b', 'Assigned address 198.51.100.176 for interface lan0'), ka(0, 'gw-b', 'Assigned address fe80::1 for interface lan0')]) logs.event(e, e.time, null);
    expect(topo.ownerOf('198.51.100.176')).toBe('gw-b');
    expect(topo.ownerOf('fe80::1')).toBeUndefined();
  });

  it('a storm of "forcing new election" lines becomes one storm and one timeline entry', () => {
    const { logs, timeline } = setup();
    for (let k = 0; k < 300; k++) {
      const e = ka(1 + k / 100, 'gw-b', '(VI_1) Received advert from 192.0.2.1 with lower priority 100, ours 100, forcing new election');
      logs.event(e, e.time, null);
    }
    logs.finish();
    expect(logs.storms).toHaveLength(1);
    expect(logs.storms[0].lines).toBe(300);
    expect(timeline.entries.filter((x) => x.summary?.includes('forcing')).map((x) => x.repeat)).toEqual([300]);
  });

  it('a vrrp_sync_group line changes the state of every instance in the group (members from keepalived.conf)', () => {
    const topo = new Topology();
    const logs = new LogDetector(topo, new TimelineCollector(), (_h, i) => (i === 'VI_1' ? 150 : 151), (h, g) => (h === 'gw-a' && g === 'VG1' ? ['VI_1', 'VI_2'] : []));
    for (const e of [
      ka(0, 'gw-a', '(VI_1) Entering BACKUP STATE (init)'),
      ka(3, 'gw-a', 'VRRP_Group(VG1) Transition to MASTER state'),
      ka(3.1, 'gw-a', 'VRRP_Group(VG1) Syncing instances to MASTER state'),
      ka(3.2, 'gw-a', '(VI_1) Entering MASTER STATE'),
      ka(8, 'gw-b', 'VRRP_Group(VG1) Syncing instances to MASTER state'),
    ]) logs.event(e, e.time, null);
    logs.finish();
    // the 1.x "Transition" step is no state change; VI_1's own line repeats the state it is already in; gw-b's members are unknown
    expect(logs.transitions.map((t) => [t.host, t.instance, t.from, t.to, t.line])).toEqual([
      ['gw-a', 'VI_1', null, 'BACKUP', 1], ['gw-a', 'VI_1', 'BACKUP', 'MASTER', 1], ['gw-a', 'VI_2', null, 'MASTER', 1],
    ].map(([h, i, f, to]) => [h, i, f, to, expect.any(Number)]));
    expect(logs.masters.map((m) => [m.instance, m.vrid])).toEqual([['VI_1', 150], ['VI_2', 151]]);
  });

  it('every advert source a host\'s keepalived names, and the addresses of its own link (for the off-link test)', () => {
    const { logs } = setup();
    for (const e of [
      ka(0, 'gw-b', 'Assigned address 198.51.100.176 for interface lan0'),
      ka(1, 'gw-b', '(VI_1) Sending/queueing gratuitous ARPs on lan0 for 198.51.100.254'),
      ka(2, 'gw-b', '(VI_1) Master received advert from 203.0.113.1 with higher priority 150, ours 100'),
      ka(3, 'gw-b', '(VI_1) Invalid VRRPv3 checksum from 203.0.113.1'),
      ka(4, 'gw-b', '(VI_1) received lower priority (100) advert from 198.51.100.175 - discarding'),
    ]) logs.event(e, e.time, null);
    expect([...logs.namedSources.values()].map((n) => [n.host, n.address, n.instance, n.lines, [...n.priorities], n.dropped])).toEqual([
      ['gw-b', '203.0.113.1', 'VI_1', 2, [150], true],
      ['gw-b', '198.51.100.175', 'VI_1', 1, [100], false],
    ]);
    expect([...logs.linkAddresses.get('gw-b')!]).toEqual(['198.51.100.176', '198.51.100.254']);
  });
});
