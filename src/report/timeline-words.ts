import type { RuleChange, TimelineEntry, TimelineFact } from '../model/report.js';
import { plural } from './words.js';

/**
 * The timeline lines the analysis adds (an ended entry, a run of kernel or send-error lines, a saved ruleset and its
 * change), worded from their facts; every other entry says what its line or record says.
 */
export function entrySummary(e: TimelineEntry): string {
  return e.fact ? factText(e.fact, e.change) : e.summary ?? '';
}

/** A timeline line's fact in words (a ruleset worded against the snapshot before it when its change is given). */
export function factText(f: TimelineFact, change?: RuleChange): string {
  switch (f.kind) {
    case 'ended-entry': {
      const how = f.how === 'user-deletion'
        ? `deleted by ${f.byUser ?? 'a user command'}${f.sameCommand > 1 ? ` with ${(f.sameCommand === 2 ? '1 other VRRP entry' : `${f.sameCommand - 1} other VRRP entries`)} at once (a flush)` : ''}`
        : 'expired';
      return `conntrack ${f.protocol} ${f.src} > ${f.dst} untranslated (reply to ${f.replyDst}): entry ${how}; the next advert makes a new entry under the rules in force then`;
    }
    case 'side-run':
      switch (f.run) {
        case 'conntrack-table-full': return `kernel: conntrack table full, packets dropped (${f.text})`;
        case 'send-advert-error': return `keepalived could not send its advert (${f.text})`;
        case 'link-down': return `kernel: link down (${f.text})`;
        case 'link-up': return `kernel: link up (${f.text})`;
      }
      break;
    case 'ruleset': {
      // the first snapshot as its nat rules, each later one as its change from the one before
      const head = `ruleset saved: ${plural(f.rules, 'rule')}`;
      if (!change || change.first) return `${head}${f.nat.map((r) => `; ${r}`).join('')}`;
      const diff = [...change.removed.map((r) => `− ${r.table} ${r.text}`), ...change.added.map((r) => `+ ${r.table} ${r.text}`)];
      return `${head}; ${diff.length ? `changed: ${diff.join('; ')}` : 'no change'}`;
    }
    case 'advert': {
      const who = f.translated ? ` (translated; really ${f.translated.original}${f.translated.router ? `, ${f.translated.router}` : ''})` : f.router ? ` (${f.router})` : '';
      return `VRRPv${f.version} vrid ${f.vrid} prio ${f.priority ?? '?'} from ${f.src}${who}${f.checksumBad ? ', checksum bad' : ''}`;
    }
    case 'carp': {
      const who = f.translated ? ` (translated${f.translated.original ? `; really ${f.translated.original}` : ''})` : '';
      return `CARP vhid ${f.vhid} advbase ${f.advbase ?? '?'} advskew ${f.advskew ?? '?'} from ${f.src}${who}${f.checksumBad ? ', checksum bad' : ''}`;
    }
    case 'announce': return `${f.announce === 'garp' ? 'gratuitous ARP' : 'unsolicited NA'} for ${f.address}${f.mac ? ` is-at ${f.mac}` : ''}`;
    case 'flow': {
      const life = `conntrack ${f.protocol} ${f.src} > ${f.dst} leaves as ${f.leavesAs}`;
      return f.event === 'born' ? `${life}: entry created (${f.from})` : `${life}: entry destroyed${f.byUser ? ` by ${f.byUser}` : ''}`;
    }
  }
}

/** A timeline entry as the JSON contract gives it: `summary` in words where `fact` stands, the fact after it. */
export function entryJson(e: TimelineEntry): Record<string, unknown> {
  if (!e.fact) return e as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'fact') out.summary = entrySummary(e);
    out[k] = v;
  }
  return out;
}

