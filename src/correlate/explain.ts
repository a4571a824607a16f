import type { KaEvent } from '../model/keepalived.js';
import type { Peer, Reason, AdvertDrop } from '../model/report.js';
import type { Topology } from './topology.js';

interface Recent {
  e: KaEvent;
  at: bigint;
}

/** The peer a reason names, with whose address it is — and the real sender behind a translated one. */
export function peerOf(addr: string | undefined, topo: Topology): Peer {
  if (!addr) return {};
  const t = topo.translated.get(addr);
  if (t) {
    const router = t.router ?? (t.original ? topo.ownerOf(t.original) : undefined);
    return { address: addr, translated: { ...(t.original !== undefined ? { original: t.original } : {}), ...(router ? { router } : {}) } };
  }
  const owner = topo.ownerOf(addr);
  return owner ? { address: addr, owner } : { address: addr };
}

const opt = <K extends string, V>(k: K, v: V | undefined): Partial<Record<K, V>> => (v === undefined ? {} : ({ [k]: v } as Record<K, V>));

/**
 * Why an instance changed state, from the events it logged in the seconds before, by VRRP's election rules (RFC 3768
 * §6.4, 5798 §6.4): a higher priority wins; equal priorities are broken by the higher source address — so a
 * translated source changes the outcome; a backup takes over when adverts stop (timeout, or dropped as invalid);
 * a priority-0 advert is a resignation.
 */
export function explainTransition(to: string, recent: Recent[], topo: Topology, self: KaEvent): { reason: Reason; evidence: Recent[] } | null {
  const last = (pred: (r: Recent) => boolean) => [...recent].reverse().find(pred);
  const who = (addr: string | undefined) => peerOf(addr, topo);
  const f = self.fields;
  if (f.init) return { reason: { kind: 'start-up' }, evidence: [] };
  // the master's adverts rejected before any election: which rejection keepalived logged last
  const rejected = (): { dropped: AdvertDrop; e: Recent } | undefined => {
    const inv = last((r) => r.e.type === 'invalid-checksum');
    if (inv) return { dropped: { by: 'checksum', version: inv.e.fields.checksumVersion ?? 3, ...(inv.e.fields.peer ? { peer: who(inv.e.fields.peer) } : {}) }, e: inv };
    const ah = last((r) => r.e.type === 'ah-rejected');
    if (ah) return { dropped: { by: 'ah' }, e: ah };
    return undefined;
  };
  if (to === 'BACKUP') {
    const hi = last((r) => r.e.type === 'higher-priority-advert');
    if (hi) {
      const g = hi.e.fields;
      if (g.peerPriority !== undefined && g.peerPriority === g.ownPriority) {
        return { reason: { kind: 'tie-break', outcome: 'lost', priority: g.peerPriority, peer: who(g.peer) }, evidence: [hi] };
      }
      const pc = last((r) => r.e.type === 'priority-changed');
      return {
        reason: { kind: 'higher-priority', peer: who(g.peer), ...opt('peerPriority', g.peerPriority), ...opt('ownPriority', g.ownPriority), ...(pc ? opt('scriptPriority', pc.e.fields.to) : {}) },
        evidence: pc ? [pc, hi] : [hi],
      };
    }
    const same = last((r) => r.e.type === 'same-priority-higher-ip');
    if (same) return { reason: { kind: 'tie-break', outcome: 'higher-address', ...opt('priority', same.e.fields.peerPriority), peer: who(same.e.fields.peer) }, evidence: [same] };
    const zero = last((r) => r.e.type === 'sent-priority-zero');
    if (zero) return { reason: { kind: 'resignation', by: 'self' }, evidence: [zero] };
  }
  if (to === 'MASTER') {
    const zero = last((r) => r.e.type === 'priority-zero-received');
    if (zero) return { reason: { kind: 'resignation', by: 'master' }, evidence: [zero] };
    const timeout = last((r) => r.e.type === 'advert-timeout');
    if (timeout) {
      const rj = rejected();
      if (rj) return { reason: { kind: 'advert-timeout', dropped: rj.dropped }, evidence: [rj.e, timeout] };
      const np = last((r) => r.e.type === 'not-unicast-peer');
      if (np) return { reason: { kind: 'advert-timeout', dropped: { by: 'not-unicast-peer', peer: who(np.e.fields.peer) } }, evidence: [np, timeout] };
      const low = recent.filter((r) => r.e.type === 'lower-priority-discarded');
      if (low.length) {
        const g = low.at(-1)!.e.fields;
        return { reason: { kind: 'preempted', peer: who(g.peer), ...opt('peerPriority', g.peerPriority), discarded: low.length }, evidence: [...low.slice(-3), timeout] };
      }
      return { reason: { kind: 'advert-timeout' }, evidence: [timeout] };
    }
    const rj = rejected();
    if (rj) return { reason: { kind: 'never-heard', dropped: rj.dropped }, evidence: [rj.e] };
    const lower = last((r) => r.e.type === 'lower-priority-discarded' || r.e.type === 'lower-priority-advert');
    if (lower) {
      const g = lower.e.fields;
      if (g.peerPriority !== undefined && g.ownPriority !== undefined && g.peerPriority === g.ownPriority) {
        return { reason: { kind: 'tie-break', outcome: 'won', priority: g.peerPriority, peer: who(g.peer) }, evidence: [lower] };
      }
      return { reason: { kind: 'preempted', peer: who(g.peer), ...opt('peerPriority', g.peerPriority) }, evidence: [lower] };
    }
  }
  if (to === 'FAULT') {
    const ifc = last((r) => r.e.type === 'interface' && r.e.fields.up === false);
    if (ifc) return { reason: { kind: 'interface-down', ...opt('interface', ifc.e.fields.interface) }, evidence: [ifc] };
    const sc = last((r) => r.e.type === 'script-result' || r.e.type === 'script-status');
    if (sc) return { reason: { kind: 'script-failed', ...opt('script', sc.e.fields.script) }, evidence: [sc] };
  }
  return null;
}

/** Whether a reason says the peer's adverts never counted: dropped as invalid (checksum, AH) or from a non-peer. */
export function dropOf(r: Reason | undefined): AdvertDrop | undefined {
  return r?.kind === 'advert-timeout' || r?.kind === 'never-heard' ? r.dropped : undefined;
}

/** The peer a reason names, if any. */
export function peerIn(r: Reason | undefined): Peer | undefined {
  if (!r) return undefined;
  if (r.kind === 'higher-priority' || r.kind === 'tie-break' || r.kind === 'preempted') return r.peer;
  const d = dropOf(r);
  return d && 'peer' in d ? d.peer : undefined;
}
