import type { EntryLife } from '../model/story.js';
import type { FlowHistory, Sighting } from '../model/conntrack.js';

const SEC = 1_000_000_000n;
/** a router silent this long before the evidence ends has stopped refreshing its entry (three advert intervals) */
const SILENT = 3n * SEC;

export interface LifeContext {
  /** the last advert seen leaving with the translated source (the last refresh the wire shows) */
  lastAdvert: bigint | null;
  /** keepalived on the router stopped at or after that advert */
  stoppedAt: bigint | null;
  /** the end of the evidence */
  end: bigint | null;
  /** the newest saved ruleset keeps the router's adverts out of conntrack (NOTRACK): they no longer refresh it */
  untracked: boolean;
}

/**
 * An entry's life from what the evidence shows, not assumed: a snapshot series with the packet counter unchanged and
 * the timeout left falling is an idle entry (refreshed until the first of them), as is one whose router stopped or fell
 * silent; it expires a generic timeout after its last refresh unless a tracked advert of its flow comes first.
 */
export function entryLife(flow: FlowHistory, ctx: LifeContext): EntryLife {
  const timeoutS = flow.timeoutS;
  if (flow.destroyed) return { state: 'ended', refreshedUntil: flow.destroyed.at ?? null, refreshedFrom: 'destroyed', timeoutS };
  const frozen = frozenRun(flow.recent);
  if (new Set(frozen.map((s) => s.at)).size >= 2) {
    const head = frozen[0];
    // the timeout left in the first idle snapshot dates the last refresh (1 s resolution); the last translated advert
    // before that snapshot, when captured, dates it exactly
    const fromTimeout = head.at! - BigInt(Math.max(0, timeoutS - head.timeout!)) * SEC;
    const advert = ctx.lastAdvert !== null && ctx.lastAdvert <= head.at! + SEC ? ctx.lastAdvert : null;
    const refreshedUntil = advert !== null && advert > fromTimeout ? advert : fromTimeout;
    return {
      state: 'idle', refreshedUntil, refreshedFrom: 'frozen-counter', expiresAt: refreshedUntil + BigInt(timeoutS) * SEC, timeoutS,
      why: ctx.untracked ? 'untracked' : ctx.stoppedAt !== null ? 'router-stopped' : 'router-silent',
      snapshots: frozen.map((s) => ({ file: s.file, line: s.line, at: s.at ?? null, ...(s.packets !== undefined ? { packets: s.packets } : {}), ...(s.timeout !== undefined ? { timeout: s.timeout } : {}) })),
    };
  }
  const last = ctx.lastAdvert ?? flow.lastRefresh?.at ?? null;
  const from = ctx.lastAdvert !== null ? 'last-advert' : flow.lastRefresh ? 'timeout-left' : null;
  const stopped = ctx.stoppedAt !== null && last !== null && ctx.stoppedAt >= last;
  const silent = last !== null && ctx.end !== null && ctx.end - last > SILENT;
  if (last !== null && (stopped || silent || ctx.untracked)) {
    return {
      state: 'idle', refreshedUntil: last, refreshedFrom: from, expiresAt: last + BigInt(timeoutS) * SEC, timeoutS,
      why: ctx.untracked ? 'untracked' : stopped ? 'router-stopped' : 'router-silent',
    };
  }
  return { state: 'refreshed', refreshedUntil: last, refreshedFrom: from, timeoutS };
}

/**
 * The snapshots at the end of the series that show no refresh: each one's packet counter the same as the first's (when
 * counted) and its timeout left lower than the one before. Event lines and untimed sightings are not snapshots.
 */
function frozenRun(recent: Sighting[]): Sighting[] {
  const snaps = recent.filter((s) => !s.event && s.at !== undefined && s.timeout !== undefined);
  let i = snaps.length - 1;
  while (i > 0) {
    const a = snaps[i - 1];
    const b = snaps[i];
    // the same moment dumped twice (/proc/net/nf_conntrack and conntrack -L side by side) is one snapshot
    if (a.at === b.at && a.timeout === b.timeout && a.packets === b.packets) {
      i--;
      continue;
    }
    const samePackets = a.packets === undefined || b.packets === undefined || a.packets === b.packets;
    // without counters, a timeout that fell by the time between the dumps (±1 s) says no advert came
    const fell = b.timeout! < a.timeout! && (a.packets !== undefined || Math.abs((a.timeout! - b.timeout!) - Number((b.at! - a.at!) / SEC)) <= 1);
    if (!samePackets || !fell) break;
    i--;
  }
  return snaps.slice(i);
}
