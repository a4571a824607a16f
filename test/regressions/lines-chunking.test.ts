import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE, type Line } from '../../src/sources/lines.js';

/** Found by fuzzing (test/fuzz/text.fuzz.test.ts): the line splitter's result depended on how the bytes were chunked. */
function split(bytes: Buffer, chunk: number, kind?: string) {
  const lines: Line[] = [];
  const problems: string[] = [];
  const s = new LineSplitter('f', (l) => lines.push(l), (p) => problems.push(p.message), kind);
  try {
    for (let i = 0; i < bytes.length; i += chunk) s.write(bytes.subarray(i, i + chunk));
    s.end();
  } catch (err) {
    return { error: (err as Error).message, lines, problems };
  }
  return { error: null, lines, problems };
}

describe('regression: line splitting does not depend on chunking', () => {
  it('a line over MAX_LINE is cut the same whether it arrives whole or 7 bytes at a time, and the next line keeps its byte offset', () => {
    const bytes = Buffer.concat([Buffer.alloc(MAX_LINE + 5, 0x41), Buffer.from('\nnext\n')]);
    const whole = split(bytes, bytes.length);
    const small = split(bytes, 4093);
    for (const r of [whole, small]) {
      expect(r.lines.map((l) => l.text.length)).toEqual([MAX_LINE, 4]);
      expect(r.lines[1].offset).toBe(MAX_LINE + 6);
      expect(r.problems).toHaveLength(1);
    }
  });

  it('a very long line fed in tiny chunks costs linear time (it was quadratic: every chunk re-sliced 1 MB)', () => {
    const bytes = Buffer.alloc(3 * MAX_LINE, 0x42);
    const t0 = performance.now();
    split(bytes, 64);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('a NUL in the first 64 bytes marks binary content even when the first chunk is shorter than that', () => {
    const bytes = Buffer.from('conntrack\u0000 dump that is really binary\n');
    expect(split(bytes, bytes.length, 'a conntrack dump').error).toMatch(/binary content/);
    expect(split(bytes, 7, 'a conntrack dump').error).toMatch(/binary content/);
  });
});
