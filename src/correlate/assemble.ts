import { SCHEMA, type InputSummary, type Report } from '../model/report.js';
import { redact } from '../model/redact.js';
import { kindOfLabel } from '../sources/registry.js';
import { stateBands } from './bands.js';
import { foldBoundProblem, type LogCopies } from './copies.js';
import { coverageOf } from './coverage.js';
import type { Board } from './detect/detector.js';
import { hostEndStates } from './end-state.js';
import { folderTable } from './hosts.js';
import { groupFiles, type Group } from './incidents.js';
import type { Item } from './load/context.js';
import type { MergeStats } from './merge.js';
import type { PlannedInput } from './plan.js';
import type { WireDetector } from './wire.js';

/** The report model from what the loaders read and the detectors found (secrets redacted unless --show-secrets). */
export function assembleReport(plan: PlannedInput[], board: Board, stream: { stats: MergeStats; copies: LogCopies<Item> }): Report {
  const { ctx, wire, logs, findings } = board;
  const { opts, topo, timeline } = ctx;
  const inputs = plan.map((p) => ctx.summaries.get(p)).filter((s): s is InputSummary => s !== undefined);
  const report: Report = {
    schema: SCHEMA, timezone: opts.tz, inputs,
    routers: [...topo.routers.values()].map((r) => ({
      name: r.name, addresses: [...r.addresses.keys()], macs: [...r.macs.keys()], vrids: [...r.vrids].sort((a, b) => a - b), translatedTo: [...r.snatTargets.keys()],
    })),
    ...carpSpeakers(wire), clocks: board.clocks, findings, states: stateBands(logs), timeline: timeline.sorted(), timelineDropped: timeline.dropped, secretsShown: Boolean(opts.showSecrets),
    coverage: coverageOf(inputs),
  };
  report.endStates = hostEndStates(findings, report.states, ctx.rules, report.routers.map((r) => r.name));
  for (const s of inputs) {
    // (keyed by path: only the input that was read, not a second naming of the same file passed over)
    if (!ctx.streamed.has(s)) continue;
    const n = wire.copies.get(s.path);
    if (n) (s.notes ??= []).push({ kind: 'advert-copies', adverts: n });
    const twice = stream.copies.twice.get(s.path);
    if (twice) s.problems.push(foldBoundProblem(twice));
    const folded = stream.copies.folded.get(s.path);
    if (folded) {
      s.folded = [...folded].map(([keptIn, messages]) => ({ keptIn, messages }));
      (s.notes ??= []).push({ kind: 'folded' });
    }
  }
  report.hostFolders = folderTable(plan.filter((p) => p.kind !== 'unknown'));
  // hosts named by a folder or file name alone are warned about by the renderers, from hostFolders (weak rows)
  // untimed groups (configs, rulesets, later snapshots in folders of their own) are no incident of their own
  const incidents = separateIncidents(inputs).filter((g) => g.first !== null);
  if (incidents.length > 1) {
    report.incidents = { spans: incidents.map((g) => ({ first: BigInt(g.first!), last: BigInt(g.last ?? g.first!) })), inBatch: Boolean(opts.inBatch) };
  }
  if (stream.stats.late) for (const s of inputs) if (ctx.streamed.has(s)) s.outOfOrder = stream.stats.late;
  return opts.showSecrets ? report : redact(report, [...ctx.secrets]);
}

/** CARP speakers for the report (a field only when a capture held CARP: the JSON of VRRP-only inputs is unchanged). */
function carpSpeakers(wire: WireDetector): Pick<Report, 'carp'> {
  const gs = wire.carps();
  if (!gs.length) return {};
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return {
    carp: gs.map((g) => ({
      file: g.file, host: g.host, vhid: g.vhid, src: g.src, dst: g.dst, adverts: g.count, advbase: sorted(g.advbases), advskew: sorted(g.advskews),
      demotion: sorted(g.demotions), badChecksums: g.badChecksums, first: g.first, last: g.last,
      ...(g.translated?.original ? { translatedFrom: g.translated.original } : {}),
    })),
  };
}

/** The incidents batch would make of these inputs (same grouping: captures and conntrack by overlap, logs join). */
function separateIncidents(inputs: InputSummary[]): Group[] {
  return groupFiles(inputs.map((i) => ({
    path: i.path, kind: kindOfLabel(i.kind), bytes: 0, hosts: i.host ? [i.host] : [],
    // snapshots and rulesets are points in time (often taken later, while investigating), not spans of an incident
    ...(i.first === null || i.first === i.last ? { first: null, last: null } : { first: String(i.first), last: String(i.last) }),
  })));
}
