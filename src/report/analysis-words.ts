import { timeoutCauseText } from './story-words.js';
import { formatInstant } from '../model/instant.js';
import { type AdvertDrop, type ClockOffset, type InputNote, type InputSummary, type Peer, type WordedProblem, type Reason, type Report, type SameRouterFact } from '../model/report.js';
import { skippedWarning } from './adverts.js';
import { problemMessage } from './problem-words.js';
import { andList, plural } from './words.js';

/**
 * Why a translated AH advert fails at the peer (keepalived's message only says "fields mutation or bad password"): the
 * words a reason and a split brain's cause share.
 */
export const AH_WHY = 'its HMAC covers the IP source address, which NAT rewrote';

/** What the inputs section says of a log whose messages were folded into another's. */
export function foldedNote(folded: { keptIn: string; messages: number }[]): string {
  return folded.map((f) => `${plural(f.messages, 'message')} also in ${f.keptIn} counted once, there`).join('; ');
}

function noteText(n: InputNote, i: InputSummary): string {
  switch (n.kind) {
    case 'not-read': return `not read: ${n.reason}`;
    case 'not-evidence': return `not evidence this tool reads (${n.reason})`;
    case 'saved-at': return n.from === 'first-line' ? 'saved at its first line\'s date' : n.from === 'file-name' ? 'saved at the time in its name' : 'time from the file mtime (weak: copying changes it)';
    case 'snapshot-without-vrrp': return n.entries === 0 ? 'snapshot of an empty table' : `snapshot of ${plural(n.entries, 'entry')}, none VRRP or AH`;
    case 'advert-copies': return `${n.adverts} adverts seen a second time on another interface (tcpdump -i any) were counted once`;
    case 'folded': return foldedNote(i.folded ?? []);
  }
}

/** The inputs section's note on a file: its noted facts in words, one sentence after another. */
export function inputNote(i: InputSummary): string | undefined {
  return i.notes?.length ? i.notes.map((n) => noteText(n, i)).join('; ') : undefined;
}

/**
 * A file's problems as listed, in words: the readers' own, then the analysis's warnings about it (undecoded frames,
 * order); a problem stated as a fact keeps it after its words.
 */
export function inputProblems(i: InputSummary): WordedProblem[] {
  const out: WordedProblem[] = i.problems.map((p) => ({ locator: p.locator, message: problemMessage(p), severity: p.severity, code: p.code, ...(p.fact ? { fact: p.fact } : {}) }));
  const skipped = i.undecoded ? skippedWarning(i.undecoded) : null;
  if (skipped) out.push({ locator: '', message: skipped, severity: 'warning', code: 'E_UNKNOWN_FORMAT' });
  if (i.outOfOrder) out.push({ locator: '', message: `${i.outOfOrder} records arrived out of time order beyond the reorder window`, severity: 'warning', code: 'E_BAD_TIME' });
  return out;
}

/** Warnings about the analysis as a whole, in the display zone: inputs that are several incidents. */
export function reportWarnings(r: Pick<Report, 'incidents' | 'timezone'>): string[] {
  const x = r.incidents;
  if (!x) return [];
  const at = (t: bigint) => formatInstant(t, r.timezone, 'tttt', 0);
  const advice = x.inBatch ? 'this batch group holds them all (one folder with --per-dir): analyse one incident\'s files at a time' : 'run `vrrp-forensics batch` on them (one report per incident) or analyse one incident\'s files at a time';
  return [`these inputs are ${x.spans.length} separate incidents (${x.spans.map((s) => `${at(s.first)} – ${at(s.last)}`).join('; ')} ${r.timezone}); analysed together they are mixed — ${advice}`];
}

/** One fact that the translated sender is the router itself, as the finding lists it (times in the display zone). */
export function sameRouterText(f: SameRouterFact, tz: string): string {
  switch (f.kind) {
    case 'mac': return `same link-layer source ${f.macs.join(',')} as ${f.of}'s own adverts (${f.file})`;
    case 'sent-by-us': return `captured leaving ${f.host ?? 'the router'} itself (${f.file}: ${f.adverts} adverts marked sent-by-us)`;
    case 'priority': return `same priority ${andList(f.priorities)} as adverts from ${f.original} (${f.file})${f.stopped ? ', and priority 0 when it stopped' : ''}`;
    case 'interval': return `same advert interval ${andList(f.intervals)}`;
    case 'vips': return `same virtual addresses ${f.vips.join(' ')}`;
    case 'auth': return 'same VRRP authentication string (not shown)';
    case 'configured-priority': return `priority ${f.priority} as configured for ${f.router} (${f.file} line ${f.line})`;
    case 'v3-checksum': return `VRRPv3 checksum fails for ${f.src} and holds for ${f.original}: the sender computed it with ${f.original}; NAT rewrote only the IP source`;
    case 'no-foreign-garp': return 'no gratuitous ARP from another MAC for the virtual addresses within 3 s after the flip: no new master took over';
    case 'master': return `keepalived on ${f.router} was MASTER (since ${formatInstant(f.since, tz, 'tttt', 6)})`;
  }
}

/** "203.0.113.1 (a translated address: really 198.51.100.175 of gw-a)": a reason names the real sender. */
export function peerText(p: Peer): string {
  if (!p.address) return 'a peer';
  if (p.translated) return `${p.address} (a translated address: really ${p.translated.original ?? 'a router'}${p.translated.router ? ` of ${p.translated.router}` : ''})`;
  return p.owner ? `${p.address} (${p.owner})` : p.address;
}

function droppedText(d: AdvertDrop): string {
  switch (d.by) {
    case 'checksum': return `"Invalid VRRPv${d.version} checksum"${d.peer?.address ? ` from ${peerText(d.peer)}` : ''} (a VRRPv3 checksum covers the source address, which NAT rewrote)`;
    case 'ah': return `IPSEC-AH (${AH_WHY})`;
    case 'not-unicast-peer': return `${peerText(d.peer)} is not a unicast peer`;
  }
}

/** Why an instance changed state, in words. */
export function reasonText(r: Reason): string {
  const q = (n: number | undefined) => (n === undefined ? '?' : String(n));
  switch (r.kind) {
    case 'start-up': return 'initial state at start-up';
    case 'higher-priority': return `higher priority ${q(r.peerPriority)} from ${peerText(r.peer)} (ours ${q(r.ownPriority)})${r.scriptPriority !== undefined ? `; our priority had been changed by a check script to ${r.scriptPriority}` : ''}`;
    case 'tie-break':
      if (r.outcome === 'higher-address') return `equal priority ${r.priority ?? ''}: ${peerText(r.peer)} has the higher address`.replace('  ', ' ');
      return `equal priority ${r.priority}: the tie is broken by source address, and ${peerText(r.peer)} ${r.outcome === 'lost' ? 'won it' : 'compares lower than ours'}`;
    case 'resignation': return r.by === 'self' ? 'resigned: sent a priority-0 advert' : 'the master resigned (priority-0 advert received)';
    case 'advert-timeout':
      if (r.after) return `advert timeout: no advert from a master within 3 × advert_int + skew — ${timeoutCauseText(r.after)}`;
      if (!r.dropped) return 'advert timeout: no advert from a master within 3 × advert_int + skew';
      return `advert timeout: the master's adverts were dropped ${r.dropped.by === 'checksum' ? 'as ' : r.dropped.by === 'ah' ? 'by ' : 'because '}${droppedText(r.dropped)}`;
    case 'never-heard':
      return r.dropped.by === 'checksum' ? `adverts from the master were dropped as invalid VRRPv${r.dropped.version} checksum, so it was never heard`
        : `adverts from the master were dropped by ${r.dropped.by === 'ah' ? `IPSEC-AH (${AH_WHY})` : droppedText(r.dropped)}, so it was never heard`;
    case 'preempted':
      return r.discarded !== undefined ? `advert timeout after discarding ${r.discarded} lower-priority (${q(r.peerPriority)}) advert(s) from ${peerText(r.peer)}: preempted the master`
        : `preempted a master advertising lower priority ${q(r.peerPriority)} from ${peerText(r.peer)}`;
    case 'interface-down': return `interface ${r.interface} down`;
    case 'script-failed': return `tracked script ${r.script ?? ''} failed`;
  }
}

/** What a clock offset looks like, when it looks like a mistake. */
export function clockNote(c: ClockOffset): string | undefined {
  if (c.suspect !== 'wrong-zone') return undefined;
  const hours = Number(c.offsetNs / 1_000_000_000n) / 3600;
  return `${hours.toFixed(2)} h: looks like log times read in the wrong zone (give --tz, or --align-clocks)`;
}
