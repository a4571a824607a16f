import { describe, expect, it } from 'vitest';
import { classifyNat } from '../../../src/sources/conntrack/entry.js';

const t = (src: string, dst: string) => ({ src, dst });

describe('NAT classification (addresses only; reference/conntrack.md §2.4)', () => {
  it.each([
    ['no NAT', t('198.51.100.175', '224.0.0.18'), t('224.0.0.18', '198.51.100.175'), { kind: 'none' }],
    ['SNAT', t('198.51.100.175', '224.0.0.18'), t('224.0.0.18', '203.0.113.1'), { kind: 'snat', translatedSource: '203.0.113.1' }],
    ['DNAT', t('203.0.113.2', '203.0.113.1'), t('198.51.100.176', '203.0.113.2'), { kind: 'dnat', translatedDestination: '198.51.100.176' }],
    ['both', t('10.0.0.1', '10.0.0.2'), t('10.9.9.9', '10.8.8.8'), { kind: 'snat+dnat', translatedSource: '10.8.8.8', translatedDestination: '10.9.9.9' }],
  ])('%s', (_n, orig, reply, want) => expect(classifyNat({ orig, reply })).toMatchObject(want));

  it('the seed\'s swapped reply tuple reads as SNAT to 1.1.1.1, of its own kind (the conntrack view notes it)', () => {
    const c = classifyNat({ orig: t('192.168.8.175', '224.0.0.18'), reply: t('1.1.1.1', '224.0.0.18') });
    expect(c).toMatchObject({ kind: 'snat-swapped', translatedSource: '1.1.1.1' });
    expect(c).toEqual({ kind: 'snat-swapped', translatedSource: '1.1.1.1' });
  });
});
