import { parseDateLine } from '../conntrack/dump-time.js';
import type { ConntrackEntry, ConntrackInfo } from '../../model/conntrack.js';
import { readConntrack, VRRP_OR_AH, VRRP_OR_AH_LINE } from '../conntrack/reader.js';
import { BatchRecorder } from '../lent.js';
import { parseTextLine } from '../conntrack/text-line.js';
import type { Source } from '../registry.js';

/** conntrack dumps and event logs (`conntrack -L/-E` in any form, /proc/net/nf_conntrack, XML). */
export const CONNTRACK: Source = {
  kind: 'conntrack',
  label: 'conntrack',
  checks: ['conntrack-entry'],
  signs: [
    { order: 40, test: (v) => (/^\s*(<\?xml[^>]*>\s*)?<conntrack>/.test(v.text) ? { reason: 'conntrack XML' } : null) },
    // `date; cat /proc/net/nf_conntrack` while the table held nothing: a snapshot of an empty table is evidence too
    { order: 70, test: (v) => (v.lines.length === 1 && parseDateLine(v.lines[0]) !== null ? { reason: 'a date line and no entries (a snapshot of an empty table)' } : null) },
  ],
  vote: {
    rank: 1,
    count: (l) => ('entry' in parseTextLine(l) ? 1 : 0) + (l.trim().startsWith('<flow') ? 1 : 0),
    reason: (k, n) => `${k} of the first ${n} lines are conntrack entries`,
  },
  /** VRRP/AH entries: their event times, or the dump time of a snapshot that holds one */
  async span(path, _format, opts, see) {
    // with the analysis's filters (VRRP/AH), so its analysis can take what this read gave
    const keep = opts.keep ? new BatchRecorder<ConntrackEntry>(opts.keep.max) : undefined;
    const it = readConntrack(path, { prefilter: VRRP_OR_AH_LINE, protocols: VRRP_OR_AH });
    let s = await it.next();
    let entries = 0;
    while (!s.done) {
      keep?.add(s.value);
      // (the prefilter lets the first entry through whatever it is: the format is learnt from it)
      for (const e of s.value) {
        if (!VRRP_OR_AH(e.protoNum)) continue;
        entries++;
        if (e.observedAt !== undefined) see(e.observedAt);
      }
      s = await it.next();
    }
    if (entries && s.value.dumpTime && !s.value.dumpTime.weak) see(s.value.dumpTime.ns);
    const replay = keep?.finish<ConntrackInfo>(s.value);
    if (replay) opts.keep!.put({ ...replay, source: 'conntrack' });
    return s.value.error ? { error: s.value.error.toLine() } : {};
  },
};
