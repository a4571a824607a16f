import { describe, expect, it } from 'vitest';
import { mergeByTime, type MergeStats } from '../../src/correlate/merge.js';

type I = { at: bigint; id: string };
const lane = (batches: I[][]) => {
  const it = batches[Symbol.iterator]();
  return async () => {
    const r = it.next();
    return r.done ? { done: true as const, value: undefined } : { done: false as const, value: r.value };
  };
};
const collect = async (lanes: ReturnType<typeof lane>[], opts = {}) => {
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

  it('empty lanes and empty batches end cleanly', async () => {
    const { out } = await collect([lane([]), lane([[], [i(4, 'x')], []])]);
    expect(out).toEqual(['x']);
  });
});
