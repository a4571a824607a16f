import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeList } from '../../src/correlate/time-list.js';

describe('TimeList: the first later and the last earlier, in the list\'s order', () => {
  const build = (ats: number[]) => {
    const l = new TimeList<number>();
    ats.forEach((a, i) => l.push(i, BigInt(a)));
    return l;
  };

  it('as a walk of the list says, in time order or not, with equal times and at either end', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 }), fc.boolean(), fc.integer({ min: -1, max: 21 }), (raw, sorted, t) => {
      const ats = sorted ? [...raw].sort((a, b) => a - b) : raw;
      const l = build(ats);
      const first = ats.findIndex((a) => a > t);
      const idx = ats.map((a, i) => (a < t ? i : -1)).filter((i) => i >= 0);
      expect(l.firstAfter(BigInt(t))).toBe(first >= 0 ? first : undefined);
      expect(l.lastBefore(BigInt(t))).toBe(idx.length ? idx[idx.length - 1] : undefined);
    }), { numRuns: 500 });
  });

  it('out of time order: the first in the list\'s order, not the earliest', () => {
    const l = build([9, 5, 1, 2, 6]);
    expect(l.firstAfter(4n)).toBe(0);
    expect(l.lastBefore(9n)).toBe(4);
    expect(build([]).firstAfter(0n)).toBeUndefined();
  });
});
