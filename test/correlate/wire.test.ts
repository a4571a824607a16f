import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { TimelineCollector } from '../../src/correlate/timeline.js';
import { Topology } from '../../src/correlate/topology.js';
import { WireDetector } from '../../src/correlate/wire.js';
import { advert, SEC, T0 } from './fixtures.js';
import { readAll, ROOT } from '../helpers/capture.js';
import type { CarpAdvertRecord, VrrpAdvertRecord } from '../../src/model/records.js';

const ev = { file: 'f', locator: 'line 1', at: null, text: '' };
function setup() {
  const topo = new Topology();
  topo.addAddress('gw-a', '198.51.100.175', { how: 'keepalived.conf', evidence: ev });
  topo.addAddress('gw-b', '198.51.100.176', { how: 'keepalived.conf', evidence: ev });
  const wire = new WireDetector(topo, new TimelineCollector());
  return { topo, wire };
}

describe('WireDetector', () => {
  it('groups a translated source under its router and finds the revert (first own advert after the last translated one)', () => {
    const { topo, wire } = setup();
    topo.addTranslated('203.0.113.1', { original: '198.51.100.175', router: 'gw-a', learned: { how: 'conntrack', evidence: ev } });
    let s = 0;
    for (let k = 0; k < 3; k++) wire.advert(advert(s++, '198.51.100.175', { priority: 150 }), BigInt(s), 'gw-b');
    const recs = [...Array(5)].map(() => advert(s++, '203.0.113.1', { priority: 150 }));
    for (const r of recs) wire.advert(r, r.time!, 'gw-b');
    const back = advert(s++, '198.51.100.175', { priority: 150 });
    wire.advert(back, back.time!, 'gw-b');
    wire.finish();
    const t = wire.groups().find((g) => g.src === '203.0.113.1')!;
    expect(t.resolved).toMatchObject({ translated: true, original: '198.51.100.175', router: 'gw-a', how: 'conntrack' });
    expect(t.count).toBe(5);
    const own = wire.groups().find((g) => g.src === '198.51.100.175')!;
    expect(own.firstAfter.get('203.0.113.1')?.locator).toBe(`frame ${back.frame}`);
    // the same router under two addresses is not a change of master
    expect(wire.changes).toHaveLength(0);
  });

  it('-i any: the same advert from a second interface within a millisecond is one advert; the next second\'s is another', () => {
    const { wire } = setup();
    for (let k = 0; k < 3; k++) {
      for (const [dt, ifIndex] of [[0, 7], [0.000006, 2]] as const) {
        const r = advert(k + dt, '198.51.100.175', { priority: 150, ifIndex, checksum: 0x1234 });
        wire.advert(r, r.time!, 'gw-a');
      }
    }
    // the same interface twice within a millisecond is two packets (a storm), not a copy
    for (const dt of [3, 3.0001]) wire.advert(advert(dt, '198.51.100.175', { priority: 150, ifIndex: 7, checksum: 0x1234 }), advert(dt, 'x').time!, 'gw-a');
    wire.finish();
    expect(wire.groups().find((g) => g.src === '198.51.100.175')?.count).toBe(5);
    expect(wire.copies.get('crafted.pcap')).toBe(3);
  });

  it('a new sender the old one does not contest is a master change; resignation (priority 0) is not', () => {
    const { wire } = setup();
    const feed = (sec: number, src: string, prio = 100) => {
      const r = advert(sec, src, { priority: prio });
      wire.advert(r, r.time!, null);
    };
    for (let k = 0; k < 5; k++) feed(k, '198.51.100.175', 150);
    feed(5, '198.51.100.175', 0);
    for (let k = 6; k < 12; k++) feed(k, '198.51.100.176');
    wire.finish();
    expect(wire.changes.map((c) => `${c.from}>${c.to}`)).toEqual(['gw-a>gw-b']);
    expect(wire.splits).toHaveLength(0);
  });

  it('two senders for three intervals in a row is a split brain, not a string of master changes', () => {
    const { wire } = setup();
    for (let k = 0; k < 8; k++) {
      for (const src of ['198.51.100.175', '198.51.100.176']) {
        const r = advert(k + (src.endsWith('6') ? 0.5 : 0), src);
        wire.advert(r, r.time!, null);
      }
    }
    wire.finish();
    expect(wire.splits).toHaveLength(1);
    expect([...wire.splits[0].senders].sort()).toEqual(['gw-a', 'gw-b']);
    expect(wire.changes).toHaveLength(0);
  });

  it('hundreds of adverts per interval is a storm with its peak', () => {
    const { wire } = setup();
    for (let k = 0; k < 400; k++) {
      const r = advert(2 + k / 200, k % 2 ? '198.51.100.175' : '198.51.100.176');
      wire.advert(r, r.time!, null);
    }
    wire.finish();
    expect(wire.storms).toHaveLength(1);
    expect(wire.storms[0].peak).toBeGreaterThanOrEqual(199);
    expect(wire.storms[0].adverts).toBe(400);
  });

  it('a router is known by its real MAC even under a source nobody told us about; VRRP virtual MACs identify nobody', () => {
    const { topo, wire } = setup();
    const own = advert(0, '198.51.100.175', { srcMac: '52:54:00:00:a0:01' });
    wire.advert(own, own.time!, null);
    const odd = advert(1, '192.0.2.77', { srcMac: '52:54:00:00:a0:01' });
    expect(topo.resolve(odd)).toMatchObject({ translated: true, original: '198.51.100.175', router: 'gw-a', how: 'mac' });
    const v1 = advert(2, '10.0.0.1', { srcMac: '00:00:5e:00:01:96' });
    wire.advert(v1, v1.time!, null);
    expect(topo.resolve(advert(3, '10.0.0.2', { srcMac: '00:00:5e:00:01:96' }))).toMatchObject({ translated: false, original: '10.0.0.2' });
  });

  const feeder = (wire: WireDetector) => (sec: number, src: string, prio: number) => {
    const r = advert(sec, src, { priority: prio });
    wire.advert(r, r.time!, null);
  };

  it('a priority-0 advert is a resignation, once per resignation; the backup taking over is decided by it at once', () => {
    const { wire } = setup();
    const feed = feeder(wire);
    for (let k = 0; k < 3; k++) feed(k, '198.51.100.175', 150);
    feed(3, '198.51.100.175', 0);
    feed(3.4, '198.51.100.176', 100); // the backup's skew time, not three intervals
    wire.finish();
    expect(wire.resignations.map((r) => [r.sender, r.src, r.vrid, r.evidence.locator])).toEqual([['gw-a', '198.51.100.175', 150, expect.stringMatching(/^frame /)]]);
    expect(wire.changes.map((c) => [c.from, c.to, c.rule, c.at - T0])).toEqual([['gw-a', 'gw-b', 'after-resignation', 3_400_000_000n]]);
  });

  it('preemption: the higher-priority master returns, the other stops within the master-down interval — decided then, not after 3 silent intervals', () => {
    const { wire } = setup();
    const feed = feeder(wire);
    for (let k = 0; k < 5; k++) feed(k, '198.51.100.176', 100); // gw-b master while gw-a was away
    feed(5.2, '198.51.100.175', 150); // gw-a back (preempt)
    feed(5.0 + 1, '198.51.100.176', 100); // gw-b's advert already scheduled: not yet heard gw-a
    feed(6.2, '198.51.100.175', 150);
    feed(7.2, '198.51.100.175', 150);
    expect(wire.changes).toHaveLength(0); // gw-b's turn at 7 is within timer jitter still
    feed(8.2, '198.51.100.175', 150); // gw-b missed its turn at 7: it stopped, 3.0 s after gw-a began (master-down 3.41 s)
    expect(wire.changes.map((c) => [c.from, c.to, c.rule, c.fromPriority, c.toPriority, c.at - T0])).toEqual([['gw-b', 'gw-a', 'preempted', 100, 150, 5_200_000_000n]]);
    expect(wire.changes[0].lastOfOld?.at).toBe(T0 + 6_000_000_000n);
    wire.finish();
    expect(wire.splits).toHaveLength(0);
  });

  it('a short capture that ends right after the return of the higher-priority master: decided at the end, rule stated', () => {
    const { wire } = setup();
    const feed = feeder(wire);
    for (let k = 0; k < 5; k++) feed(k, '198.51.100.176', 100);
    feed(5.2, '198.51.100.175', 150);
    feed(6.0, '198.51.100.176', 100); // not yet heard gw-a
    feed(6.2, '198.51.100.175', 150);
    feed(7.2, '198.51.100.175', 150); // capture ends: gw-b silent 1.2 s — neither 3 silent intervals nor clearly a missed turn
    wire.finish();
    expect(wire.changes.map((c) => [c.from, c.to, c.rule])).toEqual([['gw-b', 'gw-a', 'higher-priority-at-capture-end']]);
    expect(wire.splits).toHaveLength(0);
  });

  it('a lower-priority backup taking over after silence is decided by the silence rule; at the end without the evidence, nothing', () => {
    const { wire } = setup();
    const feed = feeder(wire);
    for (let k = 0; k < 3; k++) feed(k, '198.51.100.175', 150);
    for (let k = 6; k < 11; k++) feed(k + 0.4, '198.51.100.176', 100);
    wire.finish();
    expect(wire.changes.map((c) => [c.from, c.to, c.rule])).toEqual([['gw-a', 'gw-b', 'old-sender-silent']]);
    const short = setup();
    const f2 = feeder(short.wire);
    for (let k = 0; k < 3; k++) f2(k, '198.51.100.175', 150);
    f2(6.4, '198.51.100.176', 100);
    f2(7.4, '198.51.100.176', 100);
    short.wire.finish();
    expect(short.wire.changes).toHaveLength(0);
  });

  it('the higher-priority sender while the old one keeps advertising past the master-down interval: no change (a split brain)', () => {
    const { wire } = setup();
    const feed = feeder(wire);
    for (let k = 0; k < 3; k++) feed(k, '198.51.100.176', 100);
    for (let k = 3; k < 10; k++) {
      feed(k, '198.51.100.176', 100);
      feed(k + 0.5, '198.51.100.175', 150);
    }
    wire.finish();
    expect(wire.changes).toHaveLength(0);
    expect(wire.splits).toHaveLength(1);
  });

  it('CARP adverts are kept apart: grouped as CARP, never a VRRP lane, change or split; a SNAT-target source is flagged', () => {
    const { topo, wire } = setup();
    topo.addTranslated('203.0.113.1', { original: '198.51.100.2', learned: { how: 'conntrack', evidence: ev } });
    const carpRec = (sec: number, src: string): CarpAdvertRecord => {
      const b = advert(sec, src);
      return {
        kind: 'carp', file: b.file, frame: b.frame, offset: 0, time: b.time, precision: 6, interface: b.interface, caplen: 70, origlen: 70,
        ipVersion: 4, src, dst: '224.0.0.18', ttl: 255, version: 2, type: 1, vhid: 150, advskew: 0, authLen: 7, demotion: 0, advbase: 1,
        checksumStatus: 'ok', length: 36, truncated: false, ttlOk: true, srcMac: '00:00:5e:00:01:96',
      };
    };
    for (let k = 0; k < 4; k++) feeder(wire)(k, '198.51.100.175', 150);
    for (let k = 0; k < 6; k++) {
      const c = carpRec(k + 0.5, k < 3 ? '198.51.100.2' : '203.0.113.1');
      wire.carp(c, c.time!, null);
    }
    wire.finish();
    expect(wire.carps().map((g) => [g.vhid, g.src, g.count, g.translated?.original])).toEqual([[150, '198.51.100.2', 3, undefined], [150, '203.0.113.1', 3, '198.51.100.2']]);
    // each group cites its first and its latest advert (worded when read; one advert is one piece of evidence)
    const [own, translated] = wire.carps();
    expect([own.first.text, own.last.locator]).toEqual(['198.51.100.2 > 224.0.0.18: CARPv2, vhid 150, advbase 1, advskew 0, cksum ok, mac 00:00:5e:00:01:96', `frame ${Number(own.first.locator.slice(6)) + 2}`]);
    expect(translated.last.at! - translated.first.at!).toBe(2n * SEC);
    const one = new WireDetector(new Topology(), new TimelineCollector());
    const c = carpRec(9, '198.51.100.2');
    one.carp(c, c.time!, null);
    expect(one.carps()[0].last).toBe(one.carps()[0].first);
    expect(wire.groups().map((g) => g.src)).toEqual(['198.51.100.175']);
    expect([wire.changes, wire.splits, wire.storms]).toEqual([[], [], []]);
  });

  it('a CARP run on the timeline is a fact: its vhid, advbase, advskew and source, translated with what it rewrote', () => {
    const topo = new Topology();
    topo.addTranslated('203.0.113.1', { original: '198.51.100.2', learned: { how: 'conntrack', evidence: ev } });
    const timeline = new TimelineCollector();
    const wire = new WireDetector(topo, timeline);
    for (let k = 0; k < 4; k++) {
      const b = advert(k, k < 2 ? '198.51.100.2' : '203.0.113.1');
      const c: CarpAdvertRecord = {
        kind: 'carp', file: b.file, frame: b.frame, offset: 0, time: b.time, precision: 6, interface: b.interface, caplen: 70, origlen: 70,
        ipVersion: 4, src: b.src, dst: '224.0.0.18', ttl: 255, version: 2, type: 1, vhid: 7, advskew: 100, authLen: 7, demotion: 0, advbase: 1,
        checksumStatus: k < 2 ? 'ok' : 'bad', length: 36, truncated: false, ttlOk: true,
      };
      wire.carp(c, c.time!, null);
    }
    expect(timeline.entries.map((e) => [e.kind, e.summary, e.fact, e.repeat])).toEqual([
      ['carp-advert', undefined, { kind: 'carp', vhid: 7, advbase: 1, advskew: 100, src: '198.51.100.2' }, 2],
      ['carp-advert-translated', undefined, { kind: 'carp', vhid: 7, advbase: 1, advskew: 100, src: '203.0.113.1', translated: { original: '198.51.100.2' }, checksumBad: true }, 2],
    ]);
  });

  it('samples/v3-half-fixed: each advert run on the timeline is a fact — version, vrid, priority, source, who really sent it, a bad checksum', async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/v3-half-fixed'], { tz: 'UTC' });
    const runs = r.timeline.filter((e) => e.file === 'samples/v3-half-fixed/gw-b/lan0.pcap' && e.fact?.kind === 'advert');
    expect(runs.every((e) => e.summary === undefined)).toBe(true);
    const at = (locator: string) => runs.find((e) => e.locator === locator)!;
    // gw-b's own adverts, translated on their way out: the v3 checksum was computed over the address NAT replaced
    expect(at('frame 3')).toMatchObject({ kind: 'advert-translated', repeat: 7, fact: { kind: 'advert', version: 3, vrid: 150, priority: 100, src: '203.0.113.2', translated: { original: '198.51.100.176', router: 'gw-b' }, checksumBad: true } });
    // once fixed: its own address, named as its router's
    expect(at('frame 28').fact).toEqual({ kind: 'advert', version: 3, vrid: 150, priority: 100, src: '198.51.100.176', router: 'gw-b' });
  });

  it('samples/v3-half-fixed: a gratuitous ARP run on the timeline is a fact — the address announced and the MAC it is said to be at', async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/v3-half-fixed'], { tz: 'UTC' });
    const garps = r.timeline.filter((e) => e.file === 'samples/v3-half-fixed/gw-b/lan0.pcap' && e.kind === 'gratuitous-arp');
    // gw-b's own burst as it took over, then gw-a's as it preempted
    expect(garps.slice(0, 2).map((e) => [e.locator, e.summary, e.fact, e.repeat])).toEqual([
      ['frame 4', undefined, { kind: 'announce', announce: 'garp', address: '198.51.100.254', mac: '52:54:00:00:b0:01' }, 5],
      ['frame 16', undefined, { kind: 'announce', announce: 'garp', address: '198.51.100.254', mac: '52:54:00:00:a0:01' }, 5],
    ]);
  });

  it('samples/clean-failover (real keepalived 2.2.7): the resignations and gw-a\'s return are found on the wire alone, with their rules', async () => {
    const { records } = await readAll(`${ROOT}/samples/clean-failover/gw-b/lan0-ns.pcap`);
    const vrrp = records.filter((r): r is VrrpAdvertRecord => r.kind === 'vrrp');
    const run = (upTo: number) => {
      const wire = new WireDetector(new Topology(), new TimelineCollector());
      for (const r of vrrp.filter((x) => x.frame <= upTo)) wire.advert(r, r.time!, null);
      wire.finish();
      return wire;
    };
    const whole = run(Infinity);
    expect(whole.resignations.map((r) => [r.src, r.evidence.locator])).toEqual([['198.51.100.175', 'frame 16'], ['198.51.100.175', 'frame 46']]);
    expect(whole.changes.map((c) => [c.from, c.to, c.rule, c.evidence.locator])).toEqual([
      ['198.51.100.176', '198.51.100.175', 'preempted', 'frame 7'],
      ['198.51.100.175', '198.51.100.176', 'after-resignation', 'frame 17'],
      ['198.51.100.176', '198.51.100.175', 'preempted', 'frame 36'],
    ]);
    // the same capture cut one advert after gw-a's return (06:21:48.97): gw-b missed its turn, the preemption stands
    expect(run(42).changes.at(-1)).toMatchObject({ to: '198.51.100.175', rule: 'preempted', fromPriority: 100, toPriority: 150 });
    expect(run(42).splits).toHaveLength(0);
  });

  it('samples/preempt-short (real, the capture stops 1.0 s after gw-a returns): the return is decided by preemption, not missed', async () => {
    const { records } = await readAll(`${ROOT}/samples/preempt-short/gw-b/lan0.pcap`);
    const wire = new WireDetector(new Topology(), new TimelineCollector());
    for (const r of records) if (r.kind === 'vrrp') wire.advert(r, r.time!, null);
    wire.finish();
    expect(wire.resignations.map((r) => r.evidence.locator)).toEqual(['frame 15']);
    expect(wire.changes.map((c) => [c.to, c.rule, c.evidence.locator, c.lastOfOld?.locator])).toEqual([
      ['198.51.100.175', 'preempted', 'frame 7', 'frame 1'],
      ['198.51.100.176', 'after-resignation', 'frame 16', 'frame 14'],
      ['198.51.100.175', 'preempted', 'frame 39', 'frame 38'],
    ]);
    expect(wire.splits).toHaveLength(0);
  });
});
