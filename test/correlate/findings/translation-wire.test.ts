import { describe, expect, it } from 'vitest';
import { wireTranslations } from '../../../src/correlate/findings/translation-wire.js';
import { advert, T0 } from '../fixtures.js';
import { findingInputs, snapshot } from './inputs.js';

const at = (s: number) => T0 + BigInt(Math.round(s * 1e9));
/** gw-a's adverts: its own address, then 15 translated to 203.0.113.1 (seed-snat's times), then its own again */
const adverts = (revert: boolean) => [
  ...[0, 1, 2].map((s) => advert(s + 139, '198.51.100.175', { priority: 150 })),
  ...[...Array(15).keys()].map((k) => advert(141.743095 + k, '203.0.113.1', { priority: 150 })),
  ...(revert ? [advert(156.745918, '198.51.100.175', { priority: 150 })] : []),
];

describe('wireTranslations', () => {
  it('a known SNAT target advertising: one finding with its span, revert, entry, confidence and remedy — no words', async () => {
    const x = await findingInputs({
      adverts: adverts(true), translated: { '203.0.113.1': '198.51.100.175' },
      conntrack: [{ file: 'seed-snat/gw-a/conntrack-events.log', host: 'gw-a' }], rules: [snapshot('seed-snat/gw-a/iptables-save.3-notrack', at(156))],
    });
    const { findings: [f, ...rest], aliases } = wireTranslations(x);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      kind: 'vrrp-source-translated', severity: 'warning', vrid: 150, originalSource: '198.51.100.175', translatedSource: '203.0.113.1',
      firstSeen: at(141.743095), adverts: 15, revertedAt: at(156.745918), election: 'not-seen', confidence: 'proven', sighting: { by: 'wire' },
    });
    expect(f.conntrack).toMatchObject({ line: 3, relation: 'born-with-first-advert' });
    // the first, last and reverting adverts as tcpdump shows them, why each is cited as its role
    expect(f.evidence.slice(0, 3).map((e) => [e.at, e.role])).toEqual([
      [at(141.743095), { kind: 'first-translated-advert' }], [at(155.743095), { kind: 'last-translated-advert', adverts: 15 }], [at(156.745918), { kind: 'source-reverted' }],
    ]);
    expect(f.evidence[2].text).toMatch(/^198\.51\.100\.175 > 224\.0\.0\.18: VRRPv2/);
    expect(f.basis).toEqual(expect.arrayContaining(['capture-known-translation', 'conntrack-entry']));
    expect(f.remedy!.for).toEqual({ kind: 'translation', router: '198.51.100.175', original: '198.51.100.175', translated: '203.0.113.1' });
    expect(f).not.toHaveProperty('summary');
    expect(aliases.size).toBe(0);
  });

  it('no revert in the evidence: revertedAt null and the sighting says nothing quieted it', async () => {
    const x = await findingInputs({ adverts: adverts(false), translated: { '203.0.113.1': '198.51.100.175' } });
    const [f] = wireTranslations(x).findings;
    expect([f.revertedAt, f.sighting, f.conntrack]).toEqual([null, { by: 'wire' }, null]);
  });
});
