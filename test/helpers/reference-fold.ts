import { expect } from 'vitest';
import { LogCopies, type LogLine } from '../../src/correlate/copies.js';

const S = 1_000_000_000n;

/** The folding as its contract says it, plainly: a line's copy is looked for under a host + second + message string. */
export function referenceFold<I extends { at: bigint; id: string; line: LogLine }>(items: I[]): { out: string[]; folded: Map<string, Map<string, number>> } {
  type H = { it: I; gone: boolean; released: boolean; matched: Set<string> };
  const byKey = new Map<string, H[]>();
  const held: H[] = [];
  const out: string[] = [];
  const folded = new Map<string, Map<string, number>>();
  let head = 0;
  let newest = -(1n << 80n);
  const release = (now: bigint | null) => {
    while (head < held.length && (now === null || now - held[head].it.at > S || held.length - head > 1 << 16)) {
      const h = held[head++];
      h.released = true;
      if (!h.gone) out.push(h.it.id);
    }
  };
  const floor = (t: bigint, unit: bigint) => t - (((t % unit) + unit) % unit);
  const same = (a: LogLine, b: LogLine) => {
    const unit = 10n ** BigInt(9 - Math.min(a.precision, b.precision));
    return floor(a.time, unit) === floor(b.time, unit);
  };
  for (const it of items) {
    const l = it.line;
    if (it.at > newest) newest = it.at;
    const key = `${l.host}\u0000${l.time / S}\u0000${l.message}`;
    const list = byKey.get(key) ?? [];
    const h: H = { it, gone: false, released: false, matched: new Set() };
    const twin = list.find((y) => !y.gone && !y.released && y.it.line.file !== l.file && y.it.line.set !== l.set && !y.matched.has(l.file) && same(y.it.line, l));
    if (twin) {
      const [drop, kept] = twin.it.line.precision <= l.precision ? [twin, h] : [h, twin];
      drop.gone = true;
      for (const f of [...drop.matched, drop.it.line.file]) kept.matched.add(f);
      const per = folded.get(drop.it.line.file) ?? new Map<string, number>();
      per.set(kept.it.line.file, (per.get(kept.it.line.file) ?? 0) + 1);
      folded.set(drop.it.line.file, per);
    }
    if (!h.gone) {
      list.push(h);
      byKey.set(key, list);
      held.push(h);
    }
    release(newest);
  }
  release(null);
  return { out, folded };
}

/** The stream folded by LogCopies, asserted to keep, drop and count exactly as the reference does. */
export function foldAsReference<I extends { at: bigint; id: string; line: LogLine }>(items: I[]): { copies: LogCopies<I>; out: string[] } {
  const copies = new LogCopies<I>((i) => i.line);
  const out = [...items.flatMap((i) => copies.push(i)), ...copies.end()].map((i) => i.id);
  const ref = referenceFold(items);
  expect(out.length).toBe(ref.out.length);
  expect(out).toEqual(ref.out);
  expect(copies.folded).toEqual(ref.folded);
  return { copies, out };
}
