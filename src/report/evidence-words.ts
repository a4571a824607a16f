import type { Evidence, EvidenceRole } from '../model/report.js';

/**
 * A cited line's caption: the evidence's own words (`text`) with why it is cited (`role`) worded around them. Every
 * renderer that prints evidence, and the JSON's `text`, use this one place.
 */
export function captionOf(e: Pick<Evidence, 'text' | 'role'>): string {
  return e.role ? worded(e.role, e.text) : e.text;
}

function worded(r: EvidenceRole, text: string): string {
  switch (r.kind) {
    case 'first-translated-advert': return `first translated advert in this capture: ${text}`;
    case 'last-translated-advert': return `last translated advert in this capture (${r.adverts} in all): ${text}`;
    case 'source-reverted': return `source reverted: ${text}`;
    case 'storm-start': return `storm starts: ${text}`;
    case 'election-lines': return `${r.lines} "forcing new election" lines on ${r.host} (peak ${r.peak}/s): ${text}`;
    case 'two-senders': return `two senders for vrid ${r.vrid} (${r.senders.join(', ')}) from here: ${text}`;
    case 'names-source': return `${r.host}'s keepalived names the advert source ${r.address} (${r.lines} line${r.lines === 1 ? '' : 's'}): ${text}`;
    case 'last-such-line': return `last such line: ${text}`;
    case 'router-mac': return `${r.router}'s MAC ${r.mac}: ${text}`;
    case 'foreign-garp': return `${text} near the flip`;
    case 'transition': return `${r.host ? `${r.host} ` : ''}${text}${r.from ? ` (from ${r.from})` : ''}`;
    case 'conntrack-entry': return `conntrack: ${text}`.trim();
    case 'repeated': return `${text} (×${r.times})`;
    case 'config-instance': return `vrrp_instance ${r.instance}: ${text}`;
    case 'ruleset-decision': return text ? `${r.decision}: ${text}` : r.decision;
    case 'no-translating-rule': return `(${r.decision}: no rule translates these adverts)`;
  }
}
