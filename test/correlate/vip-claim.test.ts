import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import type { Topology } from '../../src/correlate/topology.js';
import { vipClaims } from '../../src/correlate/vip-claim.js';
import { findingsOf, type Finding, type TimelineEntry, type Transition } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

const SEC = 1_000_000_000n;
process.chdir(ROOT);
const sample = (...p: string[]) => path.join('samples', ...p);
const claimsOf = (fs: Finding[]) => findingsOf(fs, 'contradiction').filter((f) => f.contradiction.claim === 'vip-claimed-while-master');

describe('vip claimed while MASTER: one host\'s evidence of a second master', () => {
  it('samples/conntrack-full, gw-a alone: gw-b announced the VIP while gw-a was MASTER (its adverts never left gw-b)', async () => {
    const r = await analyze([sample('conntrack-full', 'gw-a')], { tz: 'UTC' });
    const [c, ...more] = claimsOf(r.findings);
    expect(more).toEqual([]);
    expect(c.severity).toBe('warning');
    expect(c.router).toBe('gw-a');
    const v = c.contradiction.vipClaim!;
    // gw-b's two bursts of five gratuitous ARPs (22:35:16.6 and 22:35:21.6), from the MAC gw-b's adverts had at start-up
    expect(v).toMatchObject({ masterBy: 'log', address: '198.51.100.254', mac: '52:54:00:00:b0:01', macSender: '198.51.100.176', announcements: 10 });
    expect(v.first.locator).toBe('frame 23');
    expect(v.leftMasterAt).not.toBeNull();
    expect(c.contradiction.hypotheses.map((h) => h.kind)).toEqual(['second-master-unheard', 'address-conflict']);
    expect(c.evidence.map((e) => `${path.basename(e.file)} ${e.locator}`)).toEqual(['syslog.rfc3339 line 22', 'lan0.pcap frame 23', `lan0.pcap ${v.last.locator}`]);
    expect(c.evidence[0]).toMatchObject({ text: 'Entering MASTER STATE', role: { kind: 'transition' } });
  });

  it('samples/unicast-check-src, gw-a alone: gw-b\'s announcements while gw-a was MASTER', async () => {
    const r = await analyze([sample('unicast-check-src', 'gw-a')], { tz: 'UTC' });
    expect(claimsOf(r.findings).map((c) => [c.router, c.contradiction.vipClaim!.mac])).toEqual([['gw-a', '52:54:00:00:b0:01']]);
  });

  it('a capture alone (either gateway\'s): gw-a advertised throughout while gw-b\'s MAC announced the VIP and sent no advert', async () => {
    for (const f of [['conntrack-full', 'gw-a', 'lan0.pcap'], ['conntrack-full', 'gw-b', 'lan0-ns.pcap']]) {
      const r = await analyze([sample(...f)], { tz: 'UTC' });
      const [c, ...more] = claimsOf(r.findings);
      expect(more, f.join('/')).toEqual([]);
      expect(c.contradiction.vipClaim).toMatchObject({ masterBy: 'wire', master: '198.51.100.175', address: '198.51.100.254', mac: '52:54:00:00:b0:01', macSender: '198.51.100.176', announcements: 10 });
      expect(c.contradiction.sides[0].locator).toBe('frame 7');
    }
  });

  it('a capture beside its host\'s logs: the logs say who was MASTER, so the wire adds no claim of its own (conntrack-full, gw-b)', async () => {
    const r = await analyze([sample('conntrack-full', 'gw-b')], { tz: 'UTC' });
    expect(claimsOf(r.findings)).toEqual([]);
  });

  it('whole samples: the split brain found says it, so no second finding; nor in ordinary failovers', async () => {
    for (const s of ['conntrack-full', 'unicast-check-src', 'v3-half-fixed', 'clean-failover', 'preempt-short', 'link-down', 'vmac']) {
      const r = await analyze([sample(s)], { tz: 'UTC' });
      expect(claimsOf(r.findings), s).toEqual([]);
    }
  });
});

describe('vipClaims on crafted facts', () => {
  const topo = {
    routers: new Map([['gw-a', { macs: new Map([['02:00:00:00:00:0a', {}]]), instances: [{ name: 'VI_1', vrid: 7, vips: ['192.0.2.254/24'] }] }]]),
    macOwnerOf: (m: string) => (m === '02:00:00:00:00:0b' ? 'gw-b' : undefined),
  } as unknown as Topology;
  const master: Transition = { at: 10n * SEC, host: 'gw-a', instance: 'VI_1', from: 'BACKUP', to: 'MASTER', file: 'a.log', line: 4 };
  const garp = (at: bigint, mac: string, address = '192.0.2.254'): TimelineEntry =>
    ({ at, host: 'gw-a', source: 'capture', kind: 'gratuitous-arp', address, mac, file: 'a.pcap', locator: 'frame 9', repeat: 5 });
  const run = (timeline: TimelineEntry[], transitions: Transition[] = [master], stops: { host: string; at: bigint }[] = []) =>
    vipClaims({ transitions, stops, timeline, topo, senders: [], built: [] });

  it('a foreign MAC announcing the VIP inside the MASTER span: named by its router', () => {
    const [c] = run([garp(20n * SEC, '02:00:00:00:00:0b')]);
    expect(c.contradiction.vipClaim).toMatchObject({ address: '192.0.2.254', mac: '02:00:00:00:00:0b', macOwner: 'gw-b', announcements: 5, leftMasterAt: null });
    expect(c.hosts).toEqual(['gw-a', 'gw-b']);
  });

  it('not the host\'s own MAC, not a VRRP virtual MAC, not another address, not at the handover', () => {
    expect(run([garp(20n * SEC, '02:00:00:00:00:0a')])).toEqual([]);
    expect(run([garp(20n * SEC, '00:00:5e:00:01:07')])).toEqual([]);
    expect(run([garp(20n * SEC, '02:00:00:00:00:0b', '192.0.2.9')])).toEqual([]);
    expect(run([garp(10n * SEC + SEC / 2n, '02:00:00:00:00:0b')])).toEqual([]);
  });

  it('the MASTER span ends at the next state or keepalived\'s stop: an announcement after it is the new master\'s', () => {
    const left: Transition = { ...master, at: 30n * SEC, from: 'MASTER', to: 'BACKUP', line: 8 };
    expect(run([garp(40n * SEC, '02:00:00:00:00:0b')], [master, left])).toEqual([]);
    expect(run([garp(40n * SEC, '02:00:00:00:00:0b')], [master], [{ host: 'gw-a', at: 30n * SEC }])).toEqual([]);
    expect(run([garp(20n * SEC, '02:00:00:00:00:0b')], [master, left])[0].contradiction.vipClaim!.leftMasterAt).toBe(30n * SEC);
  });

  it('no MAC known for the host: nothing can be called foreign', () => {
    const bare = { routers: new Map(), macOwnerOf: () => undefined } as unknown as Topology;
    expect(vipClaims({ transitions: [master], stops: [], timeline: [garp(20n * SEC, '02:00:00:00:00:0b')], topo: bare, senders: [], built: [] })).toEqual([]);
  });
});
