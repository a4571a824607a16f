import { describe, expect, it } from 'vitest';
import { Fifo } from '../../src/correlate/merge.js';

/**
 * The folded log lane (rsyslog's copies folded before the merge) is taken through a Fifo. The merge refills a lane
 * before it drains, so the Fifo never emptied, and its array, reset only when empty, kept every item that ever went
 * through it: an advert storm's peak RSS grew with the storm's length (7 s: 473 MB, 15 s: 761 MB; 301 MB before the
 * fold). Items out are let go and the array compacted.
 */
describe('regression: a lane refilled before it drains holds only what waits', () => {
  it('a million items through a Fifo that never empties: its array stays bounded, and order is kept', () => {
    const q = new Fifo<{ at: bigint }>();
    q.push({ at: 0n });
    // checked in plain code and asserted once: a million expect() calls took 25-50 s on a loaded machine (a timeout)
    let expected = 0n;
    let outOfOrder: { i: number; got: bigint } | null = null;
    const slots: number[] = [];
    for (let i = 1; i <= 1_000_000; i++) {
      q.push({ at: BigInt(i) });
      const got = q.pop()!.at;
      if (got !== expected++ && !outOfOrder) outOfOrder = { i, got };
      if (i % 100_000 === 0) slots.push(q.slots);
    }
    expect(outOfOrder).toBeNull();
    expect(slots).toHaveLength(10);
    expect(Math.max(...slots)).toBeLessThanOrEqual(8_192);
    expect(q.size).toBe(1);
    expect(q.peek()!.at).toBe(1_000_000n);
  });
});
