import { describe, expect, it } from 'vitest';
import { confidenceOf, sameRouterFacts } from '../../../src/correlate/findings/same-router.js';
import { advert, T0 } from '../fixtures.js';
import { findingInputs } from './inputs.js';

describe('sameRouterFacts and confidenceOf', () => {
  it('the translated sender shares the real one\'s priority, interval and VIPs: each a typed fact; a known translation is proof', async () => {
    const adverts = [...[0, 1].map((s) => advert(s, '198.51.100.175', { priority: 150 })), ...[2, 3].map((s) => advert(s, '203.0.113.1', { priority: 150 }))];
    const x = await findingInputs({ adverts, translated: { '203.0.113.1': '198.51.100.175' } });
    const groups = x.wire.groups().filter((g) => g.src === '203.0.113.1');
    const same = sameRouterFacts(x, groups, '198.51.100.175', null, T0 + 2_000_000_000n);
    expect(same.facts).toEqual(expect.arrayContaining([
      { kind: 'priority', priorities: [150], original: '198.51.100.175', file: 'crafted.pcap', stopped: false },
      { kind: 'interval', intervals: expect.any(Array) },
      { kind: 'vips', vips: ['198.51.100.254'] },
      { kind: 'no-foreign-garp' },
    ]));
    expect(same.v3Proof).toBe(false);
    expect(confidenceOf(groups.map((g) => ({ g, how: 'conntrack' as const })), false, null)).toEqual({ confidence: 'proven', basis: ['capture-known-translation'] });
    expect(confidenceOf(groups.map((g) => ({ g, how: 'mac' as const })), false, null)).toEqual({ confidence: 'strong', basis: ['capture-same-sender'] });
  });
});
