import type { Birth, BirthEvidence, ConntrackEntry, FlowHistory, Sighting, Staleness } from '../../model/conntrack.js';
import { classifyNat, flowKey, isMulticast, PROTO } from './entry.js';
import { parseCtime } from './dump-time.js';

export const DEFAULT_GENERIC_TIMEOUT = 600;
const SEC = 1_000_000_000n;

const RANK: Record<BirthEvidence, number> = { event: 5, ktimestamp: 4, 'delta-time': 3, 'destroy-lifetime': 3, bounds: 0 };

export interface HistoryOptions {
  genericTimeout?: number;
  /** zone the dumping host's clock was in, for `-o ktimestamp` ctime strings */
  ctimeToEpochMs?: (y: number, mo: number, d: number, H: number, M: number, S: number) => number;
}

const RECENT = 8;

/** What is kept of one entry line until the histories are built: compact, so --all over big tables stays small. */
interface Pending {
  seq: number;
  e: ConntrackEntry;
}

/**
 * Merges entries from snapshots and event logs into flow histories. Identity is protocol, zone and both tuples; the
 * sightings of one flow are put in time order (files arrive in any order), then a [NEW], a sighting after a
 * [DESTROY], or a birth after the previous sighting starts a new life.
 */
export class ConntrackHistory {
  private readonly byKey = new Map<string, Pending[]>();
  private seq = 0;
  private readonly g: number;
  private readonly ctime: NonNullable<HistoryOptions['ctimeToEpochMs']>;

  constructor(opts: HistoryOptions = {}) {
    this.g = opts.genericTimeout ?? DEFAULT_GENERIC_TIMEOUT;
    this.ctime = opts.ctimeToEpochMs ?? ((y, mo, d, H, M, S) => Date.UTC(y, mo, d, H, M, S));
  }

  add(e: ConntrackEntry): void {
    const key = flowKey(e);
    // the line text is evidence only for the entries we keep; drop the rest of the parse state
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    list.push({ seq: this.seq++, e });
  }

  /** Every flow life, in order of birth (or first sighting). */
  flows(): FlowHistory[] {
    const out: FlowHistory[] = [];
    for (const [key, list] of this.byKey) {
      list.sort(byTime);
      let f: FlowHistory | undefined;
      for (const { e } of list) {
        const birth = this.birthOf(e);
        // one tuple has one entry at a time: a [DESTROY] ends the open life unless that life began after the
        // destroyed entry could have (its event may come seconds after the expiry, so its lifetime gives only an
        // upper bound on the birth)
        const reborn = f && (e.event === 'NEW' || f.destroyed !== undefined || (e.event === 'DESTROY'
          ? birth !== undefined && f.born !== undefined && f.born.from !== 'bounds' && f.born.at > birth.at + SEC
          : birth && birth.earliest !== undefined && f.last.at !== undefined && birth.earliest > f.last.at));
        if (f && reborn) {
          out.push(this.finish(f));
          f = undefined;
        }
        f ??= this.start(key, e);
        this.sight(f, e, birth);
      }
      if (f) out.push(this.finish(f));
    }
    return out.sort((a, b) => cmp(a.born?.at ?? a.first.at, b.born?.at ?? b.first.at));
  }

  private start(key: string, e: ConntrackEntry): FlowHistory {
    const f: FlowHistory = {
      key, protoNum: e.protoNum, protoName: e.protoName, orig: e.orig, reply: e.reply, nat: classifyNat(e),
      first: { file: e.file, line: e.line }, last: { file: e.file, line: e.line }, sightings: 0, recent: [], timeoutS: this.g,
    };
    if (e.family) f.family = e.family;
    const zone = e.zone ?? e.zoneOrig;
    if (zone !== undefined) f.zone = zone;
    return f;
  }

  private sight(f: FlowHistory, e: ConntrackEntry, birth: Birth | undefined): void {
    const s: Sighting = { file: e.file, line: e.line };
    if (e.observedAt !== undefined) {
      s.at = e.observedAt;
      s.atFrom = e.observedFrom;
    }
    if (e.event) s.event = e.event;
    if (e.timeout !== undefined) s.timeout = e.timeout;
    // a [NEW] event prints the timeout the entry starts with: the generic timeout of that host (600 s by default)
    if (e.event === 'NEW' && e.timeout !== undefined && e.timeout > 0) f.timeoutS = e.timeout;
    if (e.origCounters) {
      s.packets = e.origCounters.packets;
      s.bytes = e.origCounters.bytes;
    }
    if (f.sightings === 0) f.first = s;
    f.sightings++;
    f.last = s;
    f.recent.push(s);
    if (f.recent.length > RECENT) f.recent.shift();
    if (birth && (!f.born || RANK[birth.from] > RANK[f.born.from])) f.born = birth;
    if ((!f.born || f.born.from === 'bounds') && s.at !== undefined && (!f.born || s.at < f.born.at)) {
      f.born = { at: s.at, from: 'bounds', file: e.file, line: e.line, detail: { kind: 'no-creation-time' } };
    }
    if (e.timeout !== undefined && s.at !== undefined && !e.event) {
      f.lastRefresh = { at: s.at - BigInt(Math.max(0, f.timeoutS - e.timeout)) * SEC, file: e.file, line: e.line };
    }
    if (e.event === 'DESTROY') {
      f.destroyed = { file: e.file, line: e.line };
      if (s.at !== undefined) f.destroyed.at = s.at;
      if (e.userspace) f.destroyed.byUser = e.userspace.progname ?? `portid ${e.userspace.portid}`;
    }
  }

  private finish(f: FlowHistory): FlowHistory {
    const stale = this.staleness(f);
    if (stale) f.staleness = stale;
    return f;
  }
  private birthOf(e: ConntrackEntry): Birth | undefined {
    const cite = { file: e.file, line: e.line };
    if (e.event === 'NEW' && e.eventTime !== undefined) return { ...cite, at: e.eventTime, from: 'event' };
    if (e.startNs !== undefined) return { ...cite, at: e.startNs, from: 'ktimestamp' };
    if (e.startText !== undefined) {
      const at = parseCtime(e.startText, this.ctime);
      if (at !== null) return { ...cite, at, earliest: at, from: 'ktimestamp', detail: { kind: 'ctime' } };
    }
    if (e.deltaTime !== undefined && e.observedAt !== undefined) {
      const at = e.observedAt - BigInt(e.deltaTime) * SEC;
      if (e.event === 'DESTROY') return { ...cite, at, earliest: at - SEC, from: 'destroy-lifetime', detail: { kind: 'lifetime-at-destroy', deltaS: e.deltaTime } };
      if (e.observedFrom !== 'mtime') return { ...cite, at, earliest: at - SEC, from: 'delta-time', detail: { kind: 'dump-minus-delta', deltaS: e.deltaTime, dumpFrom: e.observedFrom } };
    }
    return undefined;
  }

  private staleness(f: FlowHistory): Staleness | undefined {
    if (f.protoNum !== PROTO.VRRP && f.protoNum !== PROTO.AH) return undefined;
    if (f.nat.kind === 'none' || f.nat.kind === 'dnat') return undefined;
    const g = f.timeoutS;
    // it timed out: its router fell silent longer than the generic timeout (stopped, or BACKUP), and the next advert
    // makes a new entry — under whatever nat rules are in force then: the "unpredictable times" of the incident
    if (f.destroyed && !f.destroyed.byUser && f.destroyed.at !== undefined) {
      return { kind: 'expired', src: f.orig.src, timeoutS: g, destroyed: { file: f.destroyed.file, line: f.destroyed.line } };
    }
    // refreshed faster than it times out: a timeout left close to the full generic timeout in some dump
    const fresh = f.recent.some((s) => s.timeout !== undefined && s.event !== 'NEW' && s.timeout >= g - Math.max(2, Math.min(10, Math.floor(g / 10))));
    if (!fresh) return undefined;
    return {
      kind: 'never-expires', src: f.orig.src, to: isMulticast(f.orig.dst) ? 'group' : 'unicast-peer', timeoutS: g,
      ...(f.nat.translatedSource !== undefined ? { translatedSource: f.nat.translatedSource } : {}),
      ...(f.destroyed ? { ended: { file: f.destroyed.file, line: f.destroyed.line, byUser: Boolean(f.destroyed.byUser) } } : {}),
    };
  }
}

/** Time order; at equal times a [NEW] comes first and a [DESTROY] last; untimed lines keep their reading order. */
function byTime(a: Pending, b: Pending): number {
  const c = cmp(a.e.observedAt, b.e.observedAt);
  if (c) return c;
  const w = (p: Pending) => (p.e.event === 'NEW' ? 0 : p.e.event === 'DESTROY' ? 2 : 1);
  return w(a) - w(b) || a.seq - b.seq;
}

function cmp(a: bigint | undefined, b: bigint | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
