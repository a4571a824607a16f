import type { BirthDetail, DumpTimeVia, NatClass, Staleness } from '../model/conntrack.js';

/** The reader's staleness of a translated VRRP entry, as one warning. */
export function staleText(s: Staleness): string {
  if (s.kind === 'expired') {
    return `this entry expired: no advert from ${s.src} refreshed it within its ${s.timeoutS} s generic timeout (its router stopped ` +
      `advertising), and it was destroyed (${s.destroyed.file}:${s.destroyed.line}); the next advert makes a new entry under the nat rules in force then`;
  }
  const msg = `this entry will never expire on its own: adverts from ${s.src} to ${s.to === 'group' ? 'the VRRP group' : 'its unicast peer'} refresh it every advert interval, ` +
    `far inside the ${s.timeoutS} s generic timeout, and every advert keeps leaving as ${s.translatedSource}`;
  if (!s.ended) return msg;
  return `${msg} — it ended only when ${s.ended.byUser ? 'a user command deleted it' : 'it was destroyed'} (${s.ended.file}:${s.ended.line})`;
}

/** How a birth time was reached, in a few words. */
export function birthNote(d: BirthDetail): string {
  switch (d.kind) {
    case 'no-creation-time': return 'no creation time in the evidence: born no later than this sighting';
    case 'ctime': return 'ctime of the dumping host, 1 s resolution';
    case 'lifetime-at-destroy': return `lifetime ${d.deltaS} s at destruction`;
    case 'dump-minus-delta': return `dump time − delta-time ${d.deltaS} s (dump time from ${d.dumpFrom})`;
  }
}

/** What a reader of the dump should know about its NAT reading, when there is something. */
export function natNote(n: NatClass): string | undefined {
  return n.kind === 'snat-swapped' ? 'reply tuple has its addresses swapped (edited or anonymised dump); read as SNAT' : undefined;
}

/** Where a dump's time was read, in a few words (the conntrack command's text view). */
export function dumpTimeWords(v: DumpTimeVia): string {
  switch (v.kind) {
    case 'date-line': return `date line ${v.line}`;
    case 'sos-collected': return 'the support bundle\'s collection time (sos_commands/date)';
    case 'sos-command': return `sosreport manifest (plugin ${v.plugin}, "${v.command}" started)`;
    case 'file-name': return 'time in the file name';
    case 'flag': return '--at';
    case 'mtime': return 'file mtime (weak: changes when files are copied)';
  }
}
