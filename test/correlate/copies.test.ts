import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogCopies, type LogLine } from '../../src/correlate/copies.js';
import { foldAsReference } from '../helpers/reference-fold.js';

type I = { at: bigint; id: string; line: LogLine };
const S = 1_000_000_000n;
const ln = (id: string, file: string, t: bigint, precision: number, message = 'Entering MASTER STATE', host = 'gw-a'): I => ({
  at: t, id, line: { host, file, set: file.replace(/\.\d+$/, ''), message, time: t, precision },
});
const run = (items: I[]) => {
  const c = new LogCopies<I>((i) => i.line);
  const out = [...items.flatMap((i) => c.push(i)), ...c.end()].map((i) => i.id);
  return { out, folded: Object.fromEntries([...c.folded].map(([f, m]) => [f, Object.fromEntries(m)])) };
};

describe('LogCopies', () => {
  it('a line in both copies counts once, the precise one kept; a line in one copy only is kept', () => {
    const { out, folded } = run([
      ln('t1', 'syslog', 10n * S, 0), ln('p1', 'syslog.rfc3339', 10n * S + 327_012_000n, 6),
      ln('t2', 'syslog', 11n * S, 0, 'only in the traditional copy'),
      ln('p3', 'syslog.rfc3339', 12n * S + 5n, 6, 'only in the precise copy'),
    ]);
    expect(out).toEqual(['p1', 't2', 'p3']);
    expect(folded).toEqual({ syslog: { 'syslog.rfc3339': 1 } });
  });

  it('a storm of identical lines in one second: each line stands for one line of the other copy', () => {
    const { out } = run([
      ln('t1', 'syslog', 10n * S, 0), ln('t2', 'syslog', 10n * S, 0), ln('t3', 'syslog', 10n * S, 0),
      ln('p1', 'syslog.rfc3339', 10n * S + 1n, 6), ln('p2', 'syslog.rfc3339', 10n * S + 2n, 6),
    ]);
    // three in the traditional copy, two in the precise one: three events
    expect(out).toEqual(['t3', 'p1', 'p2']);
  });

  it('never folds a rotated set into itself, another host\'s line, or a line of another second', () => {
    expect(run([ln('a', 'messages.1', 10n * S, 0), ln('b', 'messages', 10n * S, 0)]).out).toEqual(['a', 'b']);
    expect(run([ln('a', 'syslog', 10n * S, 0), ln('b', 'syslog.rfc3339', 10n * S + 1n, 6, undefined, 'gw-b')]).out).toEqual(['a', 'b']);
    expect(run([ln('a', 'syslog', 10n * S, 0), ln('b', 'syslog.rfc3339', 11n * S + 1n, 6)]).out).toEqual(['a', 'b']);
  });

  it('a line\'s second, remembered from line to line, moves with the lines, before 1970 too', () => {
    // each pair is one second of both copies; the seconds step forward and back, and cross zero
    const secs = [10n, 11n, 11n, 9n, 0n, -1n, -2n, 5n];
    const items = secs.flatMap((s, k) => [ln(`t${k}`, 'syslog', s * S, 0), ln(`p${k}`, 'syslog.rfc3339', s * S + 999_999_999n, 6)]);
    const { out, folded } = run(items);
    // every precise line is one traditional line folded (before 1970 a second is cut towards zero, as before)
    expect(out.filter((x) => x.startsWith('t'))).toEqual(['t5', 't6']);
    expect(folded).toEqual({ syslog: { 'syslog.rfc3339': 6 } });
  });

  it('holds no more than a second of the stream', () => {
    const c = new LogCopies<I>((i) => i.line);
    expect(c.push(ln('a', 'syslog', 10n * S, 0))).toEqual([]);
    expect(c.push(ln('b', 'other', 11n * S + 1n, 0, 'x')).map((i) => i.id)).toEqual(['a']);
  });

  it('memory stays flat: two copies of 50,000 lines hold about a second of them; a stream that steps back in time is capped', () => {
    const run2 = (shift: (k: number) => bigint) => {
      const c = new LogCopies<I>((i) => i.line);
      let most = 0;
      let out = 0;
      for (let k = 0; k < 50_000; k++) {
        // ten lines a second in each copy, the same line in both
        const t = BigInt(k) * 100_000_000n + shift(k);
        out += c.push(ln(`t${k}`, 'syslog', t - (t % S), 0, `m${k % 7}`)).length;
        out += c.push(ln(`p${k}`, 'syslog.rfc3339', t + 123n, 6, `m${k % 7}`)).length;
        most = Math.max(most, c.holding);
      }
      return { most, out: out + c.end().length };
    };
    expect(run2(() => 0n)).toEqual({ most: expect.any(Number), out: 50_000 });
    expect(run2(() => 0n).most).toBeLessThan(100);
    // the second half an hour before the first (a log that repeats): bounded by the cap, nothing lost
    const back = run2((k) => (k < 25_000 ? 3600n * S : 0n));
    expect(back.most).toBeLessThanOrEqual(2 * (1 << 16)); // held lines and their open keys
    expect(back.out).toBe(50_000);
  });

  it('three copies, equal precision, a line missing from one copy, a rotated set beside a copy: one line each', () => {
    // three copies of one message: the precise one kept, then the third (as precise, the newcomer kept on ties) replaces it
    expect(run([ln('t', 'syslog', 10n * S, 0), ln('p', 'syslog.rfc3339', 10n * S + 7n, 6), ln('q', 'copy', 10n * S + 7n, 6)])).toEqual({
      out: ['q'], folded: { syslog: { 'syslog.rfc3339': 1 }, 'syslog.rfc3339': { copy: 1 } },
    });
    // equal precision: the newcomer is kept
    expect(run([ln('a', 'x', 10n * S + 5n, 6), ln('b', 'y', 10n * S + 5n, 6)]).out).toEqual(['b']);
    // the more precise line came first: the newcomer is folded into it and never held
    expect(run([ln('p', 'syslog.rfc3339', 10n * S + 5n, 6), ln('t', 'syslog', 10n * S + S, 0), ln('t2', 'syslog', 10n * S + S, 0)]).out).toEqual(['p', 't', 't2']);
    expect(run([ln('p', 'syslog.rfc3339', 10n * S, 6), ln('t', 'syslog', 10n * S, 0)])).toEqual({ out: ['p'], folded: { syslog: { 'syslog.rfc3339': 1 } } });
    // the second line is missing from the precise copy: kept from the traditional one, in its place
    expect(run([ln('t1', 'syslog', 10n * S, 0), ln('t2', 'syslog', 10n * S, 0, 'missing'), ln('t3', 'syslog', 10n * S, 0, 'last'),
      ln('p1', 'syslog.rfc3339', 10n * S + 1n, 6), ln('p3', 'syslog.rfc3339', 10n * S + 3n, 6, 'last')]).out).toEqual(['t2', 'p1', 'p3']);
    // syslog.1 and syslog are one rotated set: never folded into each other, each folded into the copy beside them
    expect(run([ln('r', 'syslog.1', 10n * S, 0), ln('t', 'syslog', 10n * S, 0), ln('p', 'syslog.rfc3339', 10n * S + 1n, 6), ln('q', 'syslog.rfc3339', 10n * S + 2n, 6)])).toEqual({
      out: ['p', 'q'], folded: { 'syslog.1': { 'syslog.rfc3339': 1 }, syslog: { 'syslog.rfc3339': 1 } },
    });
  });

  it('folds any stream as the plain host + second + message reference does: same lines kept, same order, same counts', () => {
    const files = ['syslog', 'syslog.1', 'syslog.rfc3339', 'copy'];
    const item = fc.record({
      host: fc.constantFrom('gw-a', 'gw-b'), file: fc.constantFrom(...files), message: fc.constantFrom('m1', 'm2'),
      sec: fc.integer({ min: 0, max: 3 }), frac: fc.constantFrom(0n, 1n, 500_000_000n, 500_000_001n, 999_999_999n), precision: fc.constantFrom(0, 3, 6, 9),
    });
    fc.assert(fc.property(fc.array(item, { maxLength: 60 }), fc.boolean(), (xs, sorted) => {
      const items: I[] = xs.map((x, k) => {
        const unit = 10n ** BigInt(9 - x.precision);
        const t = BigInt(10 + x.sec) * S + x.frac - (x.frac % unit);
        return ln(`${x.file}#${k}`, x.file, t, x.precision, x.message, x.host);
      });
      // as the merge hands them out (stable on ties), or as they come (a stream that steps back)
      if (sorted) items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      foldAsReference(items);
    }), { numRuns: 500 });
  });

  it('at the bound of items held (a storm of two hosts, their whole-second copies of a second ahead of the precise ones) as the reference', () => {
    // each host's 33,000 whole-second lines at one time, then the precise copies of both, interleaved: the lines held pass
    // the bound, and the whole-second lines let go at it before their copy came are kept, exactly as the reference keeps them
    const n = 33_000;
    const items: I[] = [];
    for (const host of ['gw-a', 'gw-b']) for (let k = 0; k < n; k++) items.push(ln(`${host}:t${k}`, 'syslog', 10n * S, 0, `m${k % 1000}`, host));
    for (let k = 0; k < n; k++) {
      for (const host of ['gw-a', 'gw-b']) items.push(ln(`${host}:p${k}`, 'syslog.rfc3339', 10n * S + BigInt(k) * 20_000n, 6, `m${k % 1000}`, host));
    }
    const { out } = foldAsReference(items);
    expect(out.length).toBeGreaterThan(2 * n); // the bound was reached: some lines counted twice
  }, 60_000);
});
