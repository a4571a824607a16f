import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { onLink, sameSenders } from '../../src/correlate/same-sender.js';
import { TimelineCollector } from '../../src/correlate/timeline.js';
import { Topology } from '../../src/correlate/topology.js';
import { WireDetector } from '../../src/correlate/wire.js';
import { ROOT, readAll } from '../helpers/capture.js';

/** one recorded capture alone through the wire detector, with an empty topology (no config, ruleset or conntrack) */
async function wireOf(file: string): Promise<WireDetector> {
  const wire = new WireDetector(new Topology(), new TimelineCollector());
  for (const r of (await readAll(path.join(ROOT, file))).records) {
    if (r.time === null) continue;
    if (r.kind === 'vrrp') wire.advert(r, r.time, null);
    else if (r.kind !== 'carp') wire.garp(r, r.time, null);
  }
  wire.finish();
  return wire;
}
const pairs = (m: Awaited<ReturnType<typeof sameSenders>>) => [...m].map(([g, s]) => ({ translated: g.src, original: s.original, confidence: s.confidence, realBy: s.realBy, macMatch: s.macMatch }));

describe('one sender under two addresses, from a capture alone', () => {
  it('seed-snat, the peer\'s capture: gw-a\'s MAC under the uplink address and back; the real one is on the VIPs\' link', async () => {
    expect(pairs(sameSenders(await wireOf('samples/seed-snat/gw-b/lan0.pcap')))).toEqual([
      { translated: '203.0.113.1', original: '198.51.100.175', confidence: 'strong', realBy: 'on-link', macMatch: true },
    ]);
  });

  it('vrrpv3-unicast: the sender never shows its own address, but the checksum holds only for the peer\'s unicast destination', async () => {
    expect(pairs(sameSenders(await wireOf('samples/vrrpv3-unicast/gw-b/lan0.pcapng')))).toEqual([
      { translated: '203.0.113.1', original: '198.51.100.175', confidence: 'proven', realBy: 'v3-checksum', macMatch: false },
    ]);
  });

  it('use_vmac: the MAC is the shared virtual one, so alike in all else is only suggestive', async () => {
    expect(pairs(sameSenders(await wireOf('samples/vmac/gw-b/lan0.pcap'))).map((p) => [p.translated, p.confidence, p.macMatch])).toEqual([['203.0.113.1', 'suggestive', false]]);
  });

  it('two routers (different MACs and priorities), and tcpdump\'s vrrp.pcap: none', async () => {
    expect(pairs(sameSenders(await wireOf('samples/clean-failover/gw-a/lan0.pcap')))).toEqual([]);
    expect(pairs(sameSenders(await wireOf('test/fixtures/corpus/tcpdump/vrrp.pcap')))).toEqual([]);
  });

  it('on the link: a /24 or /64 shared with a neighbour; link-local IPv6 always', () => {
    expect(onLink('198.51.100.175', ['198.51.100.254'])).toBe(true);
    expect(onLink('203.0.113.1', ['198.51.100.254'])).toBe(false);
    expect(onLink('2001:db8:1::5', ['2001:db8:1::1'])).toBe(true);
    expect(onLink('2001:db8:2::5', ['2001:db8:1::1', '198.51.100.1'])).toBe(false);
    expect(onLink('fe80::1', [])).toBe(true);
  });
});
