import { orderRotated, readSyslog, rotatedYears, rotationKey, type YearResolver } from '../../sources/syslog/reader.js';
import { logLane, mayHoldCopies } from '../copies.js';
import type { PlannedInput } from '../plan.js';
import type { Item } from './context.js';
import type { Loader } from './loader.js';

/** Rotated sets oldest first (messages.1 before messages), as keepalived wrote them. */
const rotated = (inputs: PlannedInput[]) => orderRotated(inputs.map((x) => x.path)).map((pp) => inputs.find((x) => x.path === pp)!);

/**
 * Logs: a lane of the merge each, in rotation order, their events at their host's (aligned) time. A year-less log is
 * dated from a capture of the same period, else its rotated neighbours; after the stream, the kernel's and
 * keepalived's lines about dropped packets (found by the same pass) are gathered in rotation order.
 */
export const loadSyslogs: Loader = {
  async load(inputs, ctx) {
    const { opts, offsets } = ctx;
    const syslogs = rotated(inputs);
    // the first packet of the captures (no other kind has one) dates year-less logs of the same period
    const firsts = ctx.live.map((c) => c.firstPacket).filter((t): t is bigint => t !== undefined);
    const near = firsts.length ? firsts.reduce((a, b) => (b < a ? b : a)) : undefined; // by value (a bare sort() orders bigints as strings)
    const years = new Map<string, YearResolver>();
    if (opts.year === undefined) {
      const sets = new Map<string, string[]>();
      for (const p of syslogs) sets.set(rotationKey(p.path)[0], [...(sets.get(rotationKey(p.path)[0]) ?? []), p.path]);
      for (const set of sets.values()) if (set.length > 1 && near === undefined) for (const [pp, y] of await rotatedYears(set)) years.set(pp, y);
    }
    for (const p of syslogs) {
      const s = ctx.summary(p, null);
      ctx.streamed.add(s);
      const it = readSyslog(p.path, { tz: ctx.zoneOf(p.host), toEpochMs: ctx.clockOf(p.host), checkLocalTimes: true, sideLines: true, year: opts.year, yearFrom: years.get(p.path), near: near !== undefined ? new Date(Number(near / 1_000_000n)) : undefined });
      let last: { host: string | null; instance: string | null; vrid: number | null } = { host: null, instance: null, vrid: null };
      ctx.lanes.push(logLane(async () => {
        const r = await it.next();
        if (r.done) {
          const info = r.value;
          s.format = Object.keys(info.framings).join('+') || null;
          if (info.year) s.year = { first: info.year.firstYear, source: info.year.source, weak: info.year.weak, rollovers: info.year.rollovers };
          if (info.framings.rfc3164 || info.framings['keepalived-log-file']) s.zone = info.timezone;
          ctx.sideOf.set(p, info.side);
          ctx.problems(s, info.problems, info.error);
          return { done: true, value: undefined };
        }
        const items: Item[] = [];
        for (const ev of r.value) {
          if (ev.timeOutlier) continue; // an outlier time never stretches a finding or the axis
          const host = p.host ?? ev.host ?? null;
          // (no offset: the event's own time, not a new BigInt per line)
          const off = host ? offsets.get(host) : undefined;
          const at = off ? ev.time - off : ev.time;
          s.records++;
          ctx.seen(s, at);
          items.push({ at, host, ev });
          const instance = ev.fields.instance;
          if (host && instance) {
            // (the configs are all read before the stream: an instance's vrid is asked once per run of its lines)
            if (host !== last.host || instance !== last.instance) {
              last = { host, instance, vrid: ctx.vridOf(host, instance) };
              if (last.vrid !== null) ctx.logVrids.add(last.vrid);
            }
          }
        }
        return { done: false, value: items };
      }));
    }
    // one host's logs that hold the same messages (rsyslog's two framings) are merged line by line on the stream
    ctx.foldCopies = mayHoldCopies(syslogs);
  },
  async after(inputs, ctx) {
    // the kernel's and keepalived's lines about dropped packets, found by each syslog's one pass; each run takes its
    // input's host (the file's host wins over the line's own), in the logs' order
    ctx.side = rotated(inputs).flatMap((p) => (ctx.sideOf.get(p) ?? []).map((r) => ({ ...r, host: p.host ?? r.host })));
  },
};
