import { describe, expect, it } from 'vitest';
import type { Detector } from '../../src/correlate/detect/detector.js';
import { LoadContext, type Item } from '../../src/correlate/load/context.js';
import { streamInto } from '../../src/correlate/stream.js';
import type { CaptureRecord } from '../../src/model/records.js';

const rec = (at: bigint, host: string): Item => ({ at, host, rec: { kind: 'vrrp' } as CaptureRecord });
/** A lane that hands out its batches one at a time, as a reader would. */
const lane = (batches: Item[][]) => {
  let i = 0;
  return async (): Promise<IteratorResult<Item[], unknown>> => (i < batches.length ? { done: false, value: batches[i++] } : { done: true, value: undefined });
};

describe('the one merge loop', () => {
  it('hands every item, in time order across the lanes, to each detector that takes items; the others see none', async () => {
    const ctx = new LoadContext({ tz: 'UTC' }, [], new Map());
    ctx.lanes.push(lane([[rec(1n, 'a'), rec(4n, 'a')], [rec(6n, 'a')]]), lane([[rec(2n, 'b')], [rec(3n, 'b'), rec(5n, 'b')]]));
    const seen: [string, bigint][] = [];
    const taker = (name: string): Detector => ({ item: (it) => seen.push([name, it.at]), finish: () => {} });
    let finishOnly = 0;
    const { stats } = await streamInto(ctx, [taker('wire'), { finish: () => finishOnly++ }, taker('logs')]);
    const times = [1n, 2n, 3n, 4n, 5n, 6n];
    expect(seen).toEqual(times.flatMap((t) => [['wire', t], ['logs', t]]));
    expect(finishOnly).toBe(0); // finishing is analyze's next step, not the loop's
    expect(stats.late).toBe(0);
  });
});
