import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fifo, inOrder, mergeByTime, ReorderWindow, type MergeStats } from '../../src/correlate/merge.js';

type I = { at: bigint; id: string };
const lane = (batches: I[][]) => {
  const it = batches[Symbol.iterator]();
  return async () => {
    const r = it.next();
    return r.done ? { done: true as const, value: undefined } : { done: false as const, value: r.value };
  };
};
const collect = async (lanes: (() => Promise<IteratorResult<I[], unknown>>)[], opts = {}) => {
  const stats: MergeStats = { late: 0 };
  const out: string[] = [];
  for await (const b of mergeByTime<I>(lanes, stats, { batch: 2, ...opts })) for (const x of b) out.push(x.id);
  return { out, stats };
};
const i = (at: number, id: string): I => ({ at: BigInt(at), id });

describe('mergeByTime', () => {
  it('merges k time-ordered streams into one, ties in lane order', async () => {
    const { out } = await collect([lane([[i(1, 'a1'), i(5, 'a5')], [i(9, 'a9')]]), lane([[i(2, 'b2')], [i(5, 'b5'), i(7, 'b7')]])]);
    expect(out).toEqual(['a1', 'b2', 'a5', 'b5', 'b7', 'a9']);
  });

  it('puts a little disorder inside one stream back in order (bounded window)', async () => {
    const { out, stats } = await collect([lane([[i(3, 'c'), i(1, 'a'), i(2, 'b')], [i(10, 'd')]])], { windowItems: 4, windowNs: 100n });
    expect(out).toEqual(['a', 'b', 'c', 'd']);
    expect(stats.late).toBe(0);
  });

  it('disorder beyond the window is emitted late and counted, never lost', async () => {
    const { out, stats } = await collect([lane([[i(1, 'a'), i(2, 'b'), i(50, 'c')], [i(3, 'late')]])], { windowItems: 1, windowNs: 10n });
    expect(out.sort()).toEqual(['a', 'b', 'c', 'late']);
    expect(stats.late).toBe(1);
  });

  it('hands out what the plain loop does (every lane filled until ready, the first earliest head taken), ordered lanes too', async () => {
    // the reference: the loop before heads were kept — each item, every lane read until its window is ready, the first
    // lane with the earliest head wins; an ordered lane is taken as it comes
    const reference = (lanes: I[][][], ordered: boolean[], maxItems: number, windowNs: bigint) => {
      const ls = lanes.map((batches, k) => ({ batches: [...batches], heap: ordered[k] ? new Fifo<I>() : new ReorderWindow<I>(), done: false, newest: -1n << 80n, emitted: -1n << 80n }));
      const ready = (l: (typeof ls)[number]) => l.done || l.heap.size >= maxItems || (l.heap.size > 0 && l.heap.peek()!.at <= l.newest - windowNs);
      const out: string[] = [];
      let late = 0;
      for (;;) {
        let best: (typeof ls)[number] | undefined;
        for (const l of ls) {
          while (!ready(l)) {
            const b = l.batches.shift();
            if (!b) l.done = true;
            else for (const t of b) {
              if (t.at > l.newest) l.newest = t.at;
              l.heap.push(t);
            }
          }
          const head = l.heap.peek();
          if (head && (!best || head.at < best.heap.peek()!.at)) best = l;
        }
        if (!best) return { out, late };
        const t = best.heap.pop()!;
        if (best.heap instanceof ReorderWindow) {
          if (t.at < best.emitted) late++;
          else best.emitted = t.at;
        }
        out.push(t.id);
      }
    };
    const batch = fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 6 });
    const laneArb = fc.record({ batches: fc.array(batch, { maxLength: 6 }), ordered: fc.boolean() });
    await fc.assert(fc.asyncProperty(fc.array(laneArb, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 10 }), async (spec, maxItems, ns) => {
      // times rise along each lane with a little disorder, so lanes overlap, tie and step back
      let n = 0;
      const lanes = spec.map((l, k) => l.batches.map((b) => b.map((d) => i(d + n++, `${k}:${n}`))));
      const want = reference(lanes, spec.map((l) => l.ordered), maxItems, BigInt(ns));
      const next = lanes.map((b, k) => (spec[k].ordered ? inOrder(lane(b)) : lane(b)));
      const got = await collect(next, { windowItems: maxItems, windowNs: BigInt(ns) });
      expect(got.out).toEqual(want.out);
      expect(got.stats.late).toBe(want.late);
    }), { numRuns: 300 });
  });

  it('empty lanes and empty batches end cleanly', async () => {
    const { out } = await collect([lane([]), lane([[], [i(4, 'x')], []])]);
    expect(out).toEqual(['x']);
  });
});

describe('ReorderWindow', () => {
  // the reference: whatever is held, the item with the least (time, arrival) leaves first — what one heap of every
  // item did before the in-order run was split off
  it('hands items out exactly as a heap by (time, arrival) would, for any mix of pushes and pops', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(-1)), { maxLength: 3000 }), (ops) => {
      const w = new ReorderWindow<I>();
      const held: { at: bigint; id: string; q: number }[] = [];
      let q = 0;
      for (const op of [...ops, ...Array<number>(ops.length).fill(-1)]) {
        if (op >= 0) {
          const x = { at: BigInt(op + Math.floor(q / 8)), id: `x${q}` };
          held.push({ ...x, q: q++ });
          w.push(x);
        } else {
          held.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.q - b.q));
          const want = held.shift();
          expect(w.peek()?.id).toBe(want?.id);
          expect(w.pop()?.id).toBe(want?.id);
        }
        expect(w.size).toBe(held.length);
      }
    }), { numRuns: 300 });
  });

  it('keeps equal times in arrival order across the run and the heap', () => {
    const w = new ReorderWindow<I>();
    for (const x of [i(5, 'a'), i(3, 'b'), i(5, 'c'), i(3, 'd'), i(5, 'e')]) w.push(x);
    const out: string[] = [];
    for (let x = w.pop(); x; x = w.pop()) out.push(x.id);
    expect(out).toEqual(['b', 'd', 'a', 'c', 'e']);
  });
});
