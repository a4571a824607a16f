import { describe, expect, it } from 'vitest';
import { peerLogTranslations } from '../../../src/correlate/findings/translation-peer-log.js';
import { ka } from '../fixtures.js';
import { findingInputs } from './inputs.js';

const lines = (src: string) => [
  ka(0, 'gw-b', '(VI_1) Entering BACKUP STATE'),
  ka(1, 'gw-b', `(VI_1) Received advert from ${src} with lower priority 100, ours 150`),
  ka(2, 'gw-b', `(VI_1) Received advert from ${src} with lower priority 100, ours 150`),
];

describe('peerLogTranslations', () => {
  it('a peer naming a known SNAT target: strong, on its log and the entry, with the peer named in the sighting', async () => {
    const x = await findingInputs({ logs: lines('203.0.113.1'), translated: { '203.0.113.1': '198.51.100.175' } });
    const [f, ...rest] = peerLogTranslations(x, []);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      kind: 'vrrp-source-translated', originalSource: '198.51.100.175', translatedSource: '203.0.113.1', hosts: ['gw-b'], revertedAt: null,
      confidence: 'strong', basis: ['peer-log', 'conntrack-entry'], sighting: { by: 'peer-log', host: 'gw-b', dropped: false },
    });
    // the first and last lines as read, why each is cited as its role; then the entry that made the address known
    expect(f.evidence.map((e) => [e.locator, e.role])).toEqual([
      ['line 2', { kind: 'names-source', host: 'gw-b', address: '203.0.113.1', lines: 2 }], ['line 3', { kind: 'last-such-line' }], ['line 1', undefined],
    ]);
    expect(f.evidence[0].text).toContain('Received advert from 203.0.113.1 with lower priority 100, ours 150');
  });

  it('a source the peer names that a translation finding already has: its evidence and basis grow, no new finding', async () => {
    const x = await findingInputs({ logs: lines('203.0.113.1'), translated: { '203.0.113.1': '198.51.100.175' } });
    const [seen] = peerLogTranslations(x, []);
    const before = seen.evidence.length;
    seen.basis = ['conntrack-entry'];
    expect(peerLogTranslations(x, [seen])).toEqual([]);
    expect([seen.evidence.length, seen.basis]).toEqual([before + 1, ['conntrack-entry', 'peer-log']]);
  });
});
