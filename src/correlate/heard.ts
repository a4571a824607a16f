import { transitionEvidence } from './cite.js';
import type { Evidence, Transition } from '../model/report.js';
import { TimeList } from './time-list.js';
import type { Topology } from './topology.js';

/** The master a host's own log last yielded to before a transition: who it should have gone on hearing. */
export interface Yielded {
  src: string;
  /** the router that owns the address, when known */
  router?: string;
  /** the host's BACKUP transition that yielded */
  at: bigint;
  file: string;
  line: number;
  /** keepalived's line naming the master (its higher-priority or tie-break advert), else the BACKUP line */
  evidence: Evidence;
}

/**
 * With no capture of it: the master the host's own log last yielded to (BACKUP on its higher priority, or on the
 * tie-break), with no other state change of the host's instance between that and `tr`. `before` lists the host's and
 * instance's transitions in the log's order (transitionsBefore).
 */
export function lastYielded(tr: Transition, before: Transition | undefined, topo: Topology): Yielded | undefined {
  if (!before || before.to !== 'BACKUP') return undefined;
  const r = before.reason;
  const peer = r?.kind === 'higher-priority' || (r?.kind === 'tie-break' && r.outcome !== 'won') ? r.peer : undefined;
  if (!peer?.address) return undefined;
  const router = peer.owner ?? topo.ownerOf(peer.address);
  return {
    src: peer.address, ...(router ? { router } : {}), at: before.at, file: before.file, line: before.line,
    evidence: before.reasonEvidence?.[0] ?? transitionEvidence({ file: before.file, line: before.line, at: before.at, to: 'BACKUP' }),
  };
}

/**
 * Each transition's previous one of the same host and instance (earlier in time, the latest such in the list's
 * order) — one pass over the list, not a search per transition (a flapping pair logs 10,000 of them).
 */
export function previousTransitions(transitions: readonly Transition[]): Map<Transition, Transition | undefined> {
  const byKey = new Map<string | null, Map<string | null, TimeList<Transition>>>();
  for (const t of transitions) {
    let inst = byKey.get(t.host);
    if (!inst) byKey.set(t.host, (inst = new Map()));
    let list = inst.get(t.instance);
    if (!list) inst.set(t.instance, (list = new TimeList()));
    list.push(t, t.at);
  }
  return new Map(transitions.map((t) => [t, byKey.get(t.host)!.get(t.instance)!.lastBefore(t.at)]));
}
