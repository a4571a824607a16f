import { prepareZone } from '../model/instant.js';
import type { Report } from '../model/report.js';
import { expandPaths } from '../sources/input.js';
import { assembleReport } from './assemble.js';
import { detectorsFor } from './detect/index.js';
import { LoadContext, type AnalyzeOptions } from './load/context.js';
import { afterStream, loadInputs } from './load/index.js';
import { planInputs, type PlannedInput } from './plan.js';
import { streamInto } from './stream.js';

export type { AnalyzeOptions } from './load/context.js';

/**
 * The whole analysis: plan the inputs, read the small ones (configs, rulesets, conntrack) into the topology, stream
 * the large ones (captures and logs) merged by time through the detectors, and build the report model.
 */
export async function analyze(paths: string[], opts: AnalyzeOptions): Promise<Report> {
  for (const z of [opts.tz, opts.inputTz ?? 'UTC', ...(opts.hostTz?.values() ?? [])]) await prepareZone(z);
  const walk = await expandPaths(paths);
  const plan = await planInputs(walk, { hostFlags: opts.hostFlags ?? [] });
  const first = await analyzePlan(plan, opts, new Map());
  let report = first;
  if (opts.alignClocks && first.clocks.some((c) => c.offsetNs !== 0n)) {
    const offsets = new Map(first.clocks.map((c) => [c.host, c.offsetNs]));
    report = await analyzePlan(plan, opts, offsets);
    report.clocks = first.clocks.map((c) => ({ ...c, applied: true }));
  }
  // empty files in the folders: one count, not one input line each (an archive can hold 100,000 of them)
  if (walk.emptyFiles) report.emptyFiles = walk.emptyFiles;
  return report;
}

/** One analysis of a plan: load each kind into the context, merge the streams through the detectors, assemble the report. */
async function analyzePlan(plan: PlannedInput[], opts: AnalyzeOptions, offsets: Map<string, bigint>): Promise<Report> {
  const ctx = new LoadContext(opts, plan.filter((x) => !x.skip), offsets);
  await loadInputs(plan, ctx);
  const { board, detectors } = detectorsFor(ctx);
  const stream = await streamInto(ctx, detectors);
  await afterStream(ctx);
  for (const d of detectors) d.finish(board);
  return assembleReport(plan, board, stream);
}
