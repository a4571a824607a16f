import type { Detector } from './detect/detector.js';
import type { Item, LoadContext } from './load/context.js';
import { eventLines, foldedLane, isLogLane, LogCopies } from './copies.js';
import { mergeByTime, type MergeStats } from './merge.js';

/**
 * The one merge loop: every lane the loaders opened, merged by time (bounded reorder window per lane), each item handed
 * to every detector that takes items. One host's logs that hold the same messages (rsyslog's two framings) are folded
 * line by line on the way: nothing counted twice, nothing lost.
 */
export async function streamInto(ctx: LoadContext, detectors: Detector[]): Promise<{ stats: MergeStats; copies: LogCopies<Item> }> {
  const takers = detectors.filter((d) => d.item).map((d) => d.item!.bind(d));
  const take = (it: Item) => {
    for (const t of takers) t(it);
  };
  const stats: MergeStats = { late: 0 };
  const copies = new LogCopies<Item>(eventLines<Item>());
  // folded among the logs alone, before the merge with the captures (packets never wait behind a log line); the logs'
  // lanes are the last, so ties between kinds go as they did when the whole stream was folded
  const lanes = ctx.foldCopies ? [...ctx.lanes.filter((l) => !isLogLane(l)), foldedLane(ctx.lanes.filter(isLogLane), copies, stats)] : ctx.lanes;
  for await (const batch of mergeByTime<Item>(lanes, stats)) for (const item of batch) take(item);
  return { stats, copies };
}
