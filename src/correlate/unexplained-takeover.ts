import { citeLine, transitionEvidence } from './cite.js';
import { lastYielded, previousTransitions } from './heard.js';
import { findingSpan, type Evidence, type Finding, type TimelineEntry, type Transition, type UnexplainedTakeover, type UnexplainedTakeoverFinding } from '../model/report.js';
import type { Topology } from './topology.js';

const SEC = 1_000_000_000n;
/** the master's last advert lies within this before the takeover (3 × advert_int + skew, with slow intervals and margin) */
const SILENT_WITHIN = 15n * SEC;
/** a finding this close around the silence accounts for it */
const NEAR = 10n * SEC;
/** kinds that say nothing about why a master went silent */
const NOT_A_CAUSE: ReadonlySet<Finding['kind']> = new Set(['master-change', 'resignation', 'unexplained-takeover']);

export interface UnexplainedInputs {
  transitions: Transition[];
  /** the finished timeline: advert runs per capture, sender and priority */
  timeline: readonly TimelineEntry[];
  topo: Topology;
  /** every other finding, built: any that overlaps the silence may explain it */
  built: readonly Finding[];
}

/**
 * A backup's takeover on an advert timeout, where its own capture shows another sender advertising (priority > 0) up to
 * a few seconds before and then going silent without a priority-0 advert, and nothing else in the evidence accounts
 * for it — an unplanned failover. Not at start-up (no master was heard), not when the timeout names its cause (a peer's
 * link down, a firewall rule, adverts dropped), not when the master's own logs show it changing state or stopping.
 */
export function unexplainedTakeovers(x: UnexplainedInputs): UnexplainedTakeoverFinding[] {
  const out: UnexplainedTakeoverFinding[] = [];
  // per host, its transitions; per transition, the one before it (looked up, not searched for: a flapping pair)
  const byHost = new Map<string | null, Transition[]>();
  for (const t of x.transitions) {
    const list = byHost.get(t.host);
    if (list) list.push(t);
    else byHost.set(t.host, [t]);
  }
  let previous: Map<Transition, Transition | undefined> | undefined;
  for (const tr of x.transitions) {
    if (tr.to !== 'MASTER' || !tr.host || tr.from === null || tr.reason?.kind !== 'advert-timeout') continue;
    if (tr.reason.after || tr.reason.dropped) continue;
    const host = tr.host;
    const own = new Set(x.topo.routers.get(host)?.addresses.keys() ?? []);
    const vrid = tr.instance !== null ? x.topo.routers.get(host)?.instances.find((i) => i.name === tr.instance)?.vrid : undefined;
    const heard = (e: TimelineEntry) => e.source === 'capture' && e.host === host && e.src !== undefined && !own.has(e.src) &&
      (vrid === undefined || e.vrid === vrid);
    const heardLast = heardOnWire(x, tr, heard) ?? heardInLog(x, tr, (previous ??= previousTransitions(x.transitions)).get(tr));
    if (!heardLast) continue;
    const { master } = heardLast;
    const { lastAt } = master;
    const router = master.router;
    const masterLog = router ? byHost.get(router) ?? [] : [];
    if (masterLog.some((t) => t.at >= lastAt - SEC && t.at <= tr.at + SEC)) continue;
    // a log-heard master may have been heard long before: what else happened is looked for near the takeover
    const from = lastAt > tr.at - SILENT_WITHIN ? lastAt : tr.at - SILENT_WITHIN;
    if (x.built.some((f) => !NOT_A_CAUSE.has(f.kind) && f.severity !== 'info' && overlaps(f, from - NEAR, tr.at + NEAR))) continue;
    const took = transitionEvidence({ file: tr.file, line: tr.line, at: tr.at, to: 'MASTER' });
    out.push({
      id: '', kind: 'unexplained-takeover', severity: 'warning', vrid: master.vrid ?? vrid ?? null, router: host,
      start: tr.at, end: null, hosts: router ? [host, router] : [host],
      takeover: { host, instance: tr.instance, at: tr.at, file: tr.file, line: tr.line, master, masterLogs: masterLog.length ? 'silent' : 'absent' },
      evidence: [took, ...(tr.reasonEvidence ?? []), heardLast.evidence],
    });
  }
  return out;
}

/** the master as last heard, and the evidence that heard it */
type Heard = { master: UnexplainedTakeover['master']; evidence: Evidence };

/**
 * The master as the host's own capture last showed it: another sender's last run of adverts (priority > 0) ending
 * within SILENT_WITHIN before the takeover, with no priority-0 advert from it and nothing from it since.
 */
function heardOnWire(x: UnexplainedInputs, tr: Transition, heard: (e: TimelineEntry) => boolean): Heard | undefined {
  const last = x.timeline.filter((e) => heard(e) && (e.priority ?? 0) > 0 && (e.until ?? e.at) < tr.at && (e.until ?? e.at) >= tr.at - SILENT_WITHIN)
    .reduce<TimelineEntry | undefined>((a, e) => (!a || (e.until ?? e.at) > (a.until ?? a.at) ? e : a), undefined);
  if (!last) return undefined;
  const lastAt = last.until ?? last.at;
  // a resignation, or the master still advertising at the takeover: told by other findings
  if (x.timeline.some((e) => heard(e) && e.src === last.src && e.at > lastAt && e.at <= tr.at)) return undefined;
  if (x.timeline.some((e) => heard(e) && e.src === last.src && e.priority === 0 && e.at >= lastAt - SEC && e.at <= tr.at)) return undefined;
  const router = x.topo.ownerOf(last.src!);
  return {
    master: { src: last.src!, ...(router ? { router } : {}), vrid: last.vrid ?? null, lastAt, heardBy: 'capture', adverts: last.repeat ?? 1, file: last.file, locator: last.locator },
    evidence: citeLine(last),
  };
}

/** With no capture of it: the master the host's own log last yielded to (heard.ts). */
function heardInLog(x: UnexplainedInputs, tr: Transition, before: Transition | undefined): Heard | undefined {
  const y = lastYielded(tr, before, x.topo);
  if (!y) return undefined;
  return {
    master: { src: y.src, ...(y.router ? { router: y.router } : {}), vrid: null, lastAt: y.at, heardBy: 'log', file: y.file, locator: `line ${y.line}` },
    evidence: y.evidence,
  };
}

/** Whether a finding's span meets [from, to]; an open end runs to the end of the evidence. */
function overlaps(f: Finding, from: bigint, to: bigint): boolean {
  const { first, last } = findingSpan(f);
  if (first === undefined) return true;
  return first <= to && (last === null || last === undefined || last >= from);
}
