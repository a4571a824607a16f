import { readCapture } from '../../sources/capture/reader.js';
import { readTcpdumpText, TCPDUMP_TEXT } from '../../sources/tcpdump-text/reader.js';
import { AnnounceRuns } from './announce-runs.js';
import type { Item } from './context.js';
import type { Loader } from './loader.js';

/** Captures (and tcpdump text): a lane of the merge each, its records at their own times. */
export const loadCaptures: Loader = {
  async load(inputs, ctx) {
    for (const p of inputs) {
      const s = ctx.summary(p, p.format ?? null);
      const host = s.host;
      ctx.streamed.add(s);
      // tcpdump's printed times have no zone: read in the host's input zone, as logs are
      if (p.format === TCPDUMP_TEXT) s.zone = ctx.zoneOf(host);
      const it = p.format === TCPDUMP_TEXT ? readTcpdumpText(p.path, { tz: ctx.zoneOf(host), toEpochMs: ctx.clockOf(host) }) : readCapture(p.path);
      // a storm's identical gratuitous ARPs: one item per run and batch, not one each
      const runs = new AnnounceRuns();
      ctx.lanes.push(async () => {
        const r = await it.next();
        if (r.done) {
          ctx.problems(s, r.value.problems, r.value.error);
          // frames of a framing not decoded might have held VRRP: said, so "nothing found" is never silent about them
          if ('skipped' in r.value && r.value.skipped.some((k) => k.frames > 0)) s.undecoded = { frames: r.value.frames, skipped: r.value.skipped };
          s.format = r.value.format;
          return { done: true, value: undefined };
        }
        const items: Item[] = [];
        runs.batch();
        for (const rec of r.value) {
          if (rec.time === null || rec.timeOutlier) continue; // an outlier time never stretches a finding or the axis
          s.records++;
          ctx.seen(s, rec.time);
          if (runs.join(rec, rec.time)) continue;
          const item: Item = { at: rec.time, host, rec };
          items.push(item);
          runs.added(item);
        }
        return { done: false, value: items };
      });
    }
  },
};
