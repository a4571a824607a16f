import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { ROOT } from '../helpers/capture.js';

// The peer's capture alone (v3-half-fixed, gw-b's lan0.pcap): a split brain on the wire named its masters by the raw
// advert sources, so one router appeared twice — "198.51.100.176 and 203.0.113.1 and 203.0.113.2 were master at
// once", 203.0.113.2 being gw-b's own translated address. A sender proven to be a router under its translated
// address is named as that router, as the master-change findings already name it.
describe('a split brain seen on the wire names each router once', () => {
  it('the peer capture alone: two masters, their real addresses, no translated address among them', async () => {
    const r = await analyze([path.join(ROOT, 'samples/v3-half-fixed/gw-b/lan0.pcap')], { tz: 'UTC' });
    const splits = r.findings.filter((f) => f.kind === 'split-brain');
    expect(splits.length).toBeGreaterThan(0);
    for (const s of splits) expect(s.hosts).toEqual(['198.51.100.175', '198.51.100.176']);
    // the translations themselves are still found, and the first split is still caused by both
    expect(r.findings.filter((f) => f.kind === 'vrrp-source-translated').map((f) => f.translatedSource).sort()).toEqual(['203.0.113.1', '203.0.113.2']);
    expect([splits[0].causedBy, ...(splits[0].alsoCausedBy ?? [])]).toHaveLength(2);
  });
});
