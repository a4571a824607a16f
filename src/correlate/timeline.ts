import type { TimelineEntry } from '../model/report.js';

/** Entries kept at most: the timeline is for reading, and memory must not grow with the inputs. */
export const TIMELINE_CAP = 20_000;

interface OpenRun {
  entry: TimelineEntry;
  last: bigint;
}

/**
 * The report's timeline, built while the merged stream passes. Runs of the same thing — one sender's adverts at one
 * priority, the same log line repeated — become one entry with a count and an end, so a storm of 100,000s of
 * identical lines is one line of timeline, and memory stays bounded.
 */
export class TimelineCollector {
  readonly entries: TimelineEntry[] = [];
  dropped = 0;
  private readonly runs = new Map<string, OpenRun>();
  /** the open-run count at which quiet runs are next swept out (doubles, so sweeping stays amortised O(1)) */
  private sweepAt = 4096;

  constructor(private readonly cap = TIMELINE_CAP) {}

  add(e: TimelineEntry): TimelineEntry {
    if (this.entries.length >= this.cap) this.dropped++;
    else this.entries.push(e);
    return e;
  }

  /**
   * Extends the open run `key` when it was last seen within `gapNs`, else starts a new entry. Returns true when a new
   * entry was started.
   */
  run(key: string, gapNs: bigint, make: () => TimelineEntry, at: bigint): boolean {
    const r = this.runs.get(key);
    if (r && at - r.last <= gapNs) {
      r.entry.repeat = (r.entry.repeat ?? 1) + 1;
      r.entry.until = at;
      r.last = at;
      return false;
    }
    const entry = this.add(make());
    this.runs.set(key, { entry, last: at });
    // runs that went quiet long ago are forgotten, so the map stays small
    if (this.runs.size > this.sweepAt) {
      for (const [k, v] of this.runs) if (at - v.last > gapNs) this.runs.delete(k);
      this.sweepAt = Math.max(4096, 2 * this.runs.size);
    }
    return true;
  }

  sorted(): TimelineEntry[] {
    return [...this.entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
}
