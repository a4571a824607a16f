import { transitionEvidence } from './cite.js';
import type { Evidence, Transition } from '../model/report.js';
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
  const out = new Map<Transition, Transition | undefined>();
  const byKey = new Map<string | null, Map<string | null, Transition[]>>();
  for (const t of transitions) {
    let inst = byKey.get(t.host);
    if (!inst) byKey.set(t.host, (inst = new Map()));
    const list = inst.get(t.instance);
    if (list) list.push(t);
    else inst.set(t.instance, [t]);
  }
  for (const inst of byKey.values()) {
    for (const list of inst.values()) {
      for (const t of list) out.set(t, latestBefore(list, t.at));
    }
  }
  return out;
}

/** the last of `list` (in its order) earlier than `at`: by bisection when the list is in time order */
function latestBefore(list: Transition[], at: bigint): Transition | undefined {
  if (!ordered(list)) return list.filter((t) => t.at < at).at(-1);
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].at < at) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : undefined;
}

const inOrder = new WeakMap<Transition[], boolean>();

function ordered(list: Transition[]): boolean {
  let ok = inOrder.get(list);
  if (ok === undefined) {
    ok = list.every((t, i) => i === 0 || list[i - 1].at <= t.at);
    inOrder.set(list, ok);
  }
  return ok;
}
