import { wallClockToEpochMs } from '../../model/instant.js';
import { openInput } from '../input.js';
import { parseFrame } from '../syslog/framing.js';
import { readSyslog, SyslogParser, SyslogRecorder } from '../syslog/reader.js';
import type { Source } from '../registry.js';

/** How much of a log is looked at to learn its host: a few hundred lines. */
const PEEK_BYTES = 64 * 1024;

/** keepalived's lines in a syslog, a journal export or keepalived's own log file: told by their framing. */
export const SYSLOG: Source = {
  kind: 'syslog',
  label: 'syslog',
  checks: ['transitions'],
  signs: [],
  joinsIncidents: true,
  vote: {
    rank: 2,
    count: (l) => (parseFrame(l) !== null ? 1 : 0),
    reason: (k, n) => `${k} of the first ${n} lines have syslog framing`,
  },
  async peek(path) {
    return { syslogHosts: await peekSyslogHosts(path) };
  },
  /** keepalived's lines (zone-less times read as UTC here) */
  async span(path, _format, opts, see) {
    // read as the analysis reads it in a batch (zone-less times in UTC), so its analysis can take what this read gave
    const keep = opts.keep ? new SyslogRecorder(opts.keep.max) : undefined;
    const it = readSyslog(path, { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC'), checkLocalTimes: true, sideLines: true, year: opts.year, keep });
    let s = await it.next();
    while (!s.done) {
      for (const e of s.value) if (!e.timeOutlier) see(e.time);
      s = await it.next();
    }
    if (keep?.replay) opts.keep!.put(keep.replay);
    return s.value.error ? { hosts: s.value.hosts, error: s.value.error.toLine() } : { hosts: s.value.hosts };
  },
};

/** The hostnames in a log's first lines. */
export async function peekSyslogHosts(file: string): Promise<string[]> {
  const parser = new SyslogParser(file, { tz: 'UTC', toEpochMs: (t) => Date.UTC(2000, t.month, t.day, t.hour, t.minute, t.second) }, () => {});
  const input = await openInput(file, PEEK_BYTES).catch(() => null);
  if (!input) return [];
  try {
    let have = 0;
    try {
      for await (const c of input.chunks) {
        parser.write(c);
        have += c.length;
        if (have >= PEEK_BYTES) break;
      }
      parser.end();
    } catch {
      // a damaged or refused log is reported when it is read for real
    }
  } finally {
    input.close();
  }
  return parser.info.hosts;
}
