import type { KaEvent } from '../sources/syslog/reader.js';
import type { Topology } from './topology.js';

/** why a translated AH advert fails at the peer (keepalived's message only says "fields mutation or bad password") */
export const AH_WHY = 'its HMAC covers the IP source address, which NAT rewrote';

interface Recent {
  e: KaEvent;
  at: bigint;
}

/** "203.0.113.1 (a translated address: really 198.51.100.175 of gw-a)" — so a reason names the real sender. */
function who(addr: string | undefined, topo: Topology): string {
  if (!addr) return 'a peer';
  const t = topo.translated.get(addr);
  if (t) {
    const router = t.router ?? (t.original ? topo.ownerOf(t.original) : undefined);
    return `${addr} (a translated address: really ${t.original ?? 'a router'}${router ? ` of ${router}` : ''})`;
  }
  const owner = topo.ownerOf(addr);
  return owner ? `${addr} (${owner})` : addr;
}

/**
 * Why an instance changed state, from the events it logged in the seconds before, by VRRP's election rules (RFC 3768
 * §6.4, 5798 §6.4): a higher priority wins; equal priorities are broken by the higher source address — so a
 * translated source changes the outcome; a backup takes over when adverts stop (timeout, or dropped as invalid);
 * a priority-0 advert is a resignation.
 */
export function explainTransition(to: string, recent: Recent[], topo: Topology, self: KaEvent): { reason: string; evidence: Recent[] } | null {
  const last = (pred: (r: Recent) => boolean) => [...recent].reverse().find(pred);
  const f = self.fields;
  if (f.init) return { reason: 'initial state at start-up', evidence: [] };
  if (to === 'BACKUP') {
    const hi = last((r) => r.e.type === 'higher-priority-advert');
    if (hi) {
      const g = hi.e.fields;
      if (g.peerPriority !== undefined && g.peerPriority === g.ownPriority) {
        return { reason: `equal priority ${g.peerPriority}: the tie is broken by source address, and ${who(g.peer, topo)} won it`, evidence: [hi] };
      }
      const pc = last((r) => r.e.type === 'priority-changed');
      const script = pc ? `; our priority had been changed by a check script to ${pc.e.fields.to}` : '';
      return { reason: `higher priority ${g.peerPriority ?? '?'} from ${who(g.peer, topo)} (ours ${g.ownPriority ?? '?'})${script}`, evidence: pc ? [pc, hi] : [hi] };
    }
    const same = last((r) => r.e.type === 'same-priority-higher-ip');
    if (same) return { reason: `equal priority ${same.e.fields.peerPriority ?? ''}: ${who(same.e.fields.peer, topo)} has the higher address`.replace('  ', ' '), evidence: [same] };
    const zero = last((r) => r.e.type === 'sent-priority-zero');
    if (zero) return { reason: 'resigned: sent a priority-0 advert', evidence: [zero] };
  }
  if (to === 'MASTER') {
    const zero = last((r) => r.e.type === 'priority-zero-received');
    if (zero) return { reason: 'the master resigned (priority-0 advert received)', evidence: [zero] };
    const timeout = last((r) => r.e.type === 'advert-timeout');
    if (timeout) {
      const inv = last((r) => r.e.type === 'invalid-checksum');
      if (inv) return { reason: `advert timeout: the master's adverts were dropped as "Invalid VRRPv${inv.e.fields.checksumVersion ?? 3} checksum"${inv.e.fields.peer ? ` from ${who(inv.e.fields.peer, topo)}` : ''} (a VRRPv3 checksum covers the source address, which NAT rewrote)`, evidence: [inv, timeout] };
      const ah = last((r) => r.e.type === 'ah-rejected');
      if (ah) return { reason: `advert timeout: the master's adverts were dropped by IPSEC-AH (${AH_WHY})`, evidence: [ah, timeout] };
      const np = last((r) => r.e.type === 'not-unicast-peer');
      if (np) return { reason: `advert timeout: the master's adverts were dropped because ${who(np.e.fields.peer, topo)} is not a unicast peer`, evidence: [np, timeout] };
      const low = recent.filter((r) => r.e.type === 'lower-priority-discarded');
      if (low.length) {
        const g = low.at(-1)!.e.fields;
        return { reason: `advert timeout after discarding ${low.length} lower-priority (${g.peerPriority ?? '?'}) advert(s) from ${who(g.peer, topo)}: preempted the master`, evidence: [...low.slice(-3), timeout] };
      }
      return { reason: 'advert timeout: no advert from a master within 3 × advert_int + skew', evidence: [timeout] };
    }
    const inv = last((r) => r.e.type === 'invalid-checksum');
    if (inv) return { reason: `adverts from the master were dropped as invalid VRRPv${inv.e.fields.checksumVersion ?? 3} checksum, so it was never heard`, evidence: [inv] };
    const ah = last((r) => r.e.type === 'ah-rejected');
    if (ah) return { reason: `adverts from the master were dropped by IPSEC-AH (${AH_WHY}), so it was never heard`, evidence: [ah] };
    const lower = last((r) => r.e.type === 'lower-priority-discarded' || r.e.type === 'lower-priority-advert');
    if (lower) {
      const g = lower.e.fields;
      if (g.peerPriority !== undefined && g.ownPriority !== undefined && g.peerPriority === g.ownPriority) {
        return { reason: `equal priority ${g.peerPriority}: the tie is broken by source address, and ${who(g.peer, topo)} compares lower than ours`, evidence: [lower] };
      }
      return { reason: `preempted a master advertising lower priority ${g.peerPriority ?? '?'} from ${who(g.peer, topo)}`, evidence: [lower] };
    }
  }
  if (to === 'FAULT') {
    const ifc = last((r) => r.e.type === 'interface' && r.e.fields.up === false);
    if (ifc) return { reason: `interface ${ifc.e.fields.interface} down`, evidence: [ifc] };
    const sc = last((r) => r.e.type === 'script-result' || r.e.type === 'script-status');
    if (sc) return { reason: `tracked script ${sc.e.fields.script ?? ''} failed`, evidence: [sc] };
  }
  return null;
}
