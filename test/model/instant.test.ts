import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, toRfc3339 } from '../../src/model/instant.js';

describe('formatInstant in UTC', () => {
  // the day's text is remembered from call to call and the time of day put together from pieces: any sequence of
  // instants (back and forth across days, before 1970, the years' ends) reads as Date's own ISO text
  it('equals Date#toISOString for any sequence of instants, in both layouts, with fractions', () => {
    const ms = fc.integer({ min: Date.UTC(0, 0, 1) - 1_900 * 365.2425 * 86_400_000, max: Date.UTC(9999, 11, 31, 23, 59, 59) });
    fc.assert(fc.property(fc.array(fc.tuple(ms, fc.integer({ min: 0, max: 999_999_999 })), { minLength: 1, maxLength: 30 }), (xs) => {
      for (const [m, frac] of xs) {
        const whole = Math.floor(m / 1000) * 1000;
        const ns = BigInt(whole) * 1_000_000n + BigInt(frac);
        const iso = new Date(whole).toISOString();
        const f = String(frac).padStart(9, '0');
        expect(formatInstant(ns, 'UTC', 'tttt', 6)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 19)}.${f.slice(0, 6)}`);
        expect(formatInstant(ns, 'UTC', 'iso', 0)).toBe(`${iso.slice(0, 19)}Z`);
      }
    }), { numRuns: 300 });
  });
});

describe('toRfc3339', () => {
  // the second's text is remembered from call to call: any sequence (the same second again with another fraction,
  // back and forth, before 1970) reads as Date's own ISO text, with the fraction's digits asked for
  it('equals Date#toISOString for any sequence of instants', () => {
    const ms = fc.integer({ min: -62_135_596_800_000, max: Date.UTC(9999, 11, 31, 23, 59, 59) });
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom(0, 1, 0, 5), ms, fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 30 }), (xs) => {
      let prev = 0;
      for (const [again, m, frac, digits] of xs) {
        const whole = again ? prev : Math.floor(m / 1000) * 1000;
        prev = whole;
        const f = String(frac).padStart(9, '0').slice(0, digits);
        expect(toRfc3339(BigInt(whole) * 1_000_000n + BigInt(frac), digits)).toBe(`${new Date(whole).toISOString().slice(0, 19)}${digits ? '.' + f : ''}Z`);
      }
    }), { numRuns: 300 });
  });
});
