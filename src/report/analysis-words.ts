import { formatInstant } from '../model/instant.js';
import type { InputNote, InputSummary, Report, SameRouterFact } from '../model/report.js';
import { skippedWarning } from './adverts.js';
import { andList, plural } from './words.js';

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

/** A file's problems as listed: the readers' own, then the analysis's warnings about it (undecoded frames, order). */
export function inputProblems(i: InputSummary): InputSummary['problems'] {
  const out = [...i.problems];
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
