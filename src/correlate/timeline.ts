import type { TimelineEntry } from '../model/report.js';

/** Entries kept at most: the timeline is for reading, and memory must not grow with the inputs. */
export const TIMELINE_CAP = 20_000;

/**
 * One run of the timeline (one sender's adverts at one priority, one log line repeated): its entry and when it was last
 * extended. A caller that meets the same run again and again (a sender in a storm) keeps the slot and extends it
 * directly — no key string, no closure per event. `bound` is `last + gap` as last worked out: never past it, so a
 * time within it extends the run with one comparison, and the sum is only made again when a time falls beyond it.
 */
export class RunSlot {
  entry: TimelineEntry | null = null;
  last = 0n;
  bound = 0n;
  gap = 0n;
  constructor(readonly key: string) {}
}

/**
 * The report's timeline, built while the merged stream passes. Runs of the same thing — one sender's adverts at one
 * priority, the same log line repeated — become one entry with a count and an end, so a storm of 100,000s of
 * identical lines is one line of timeline, and memory stays bounded.
 */
export class TimelineCollector {
  readonly entries: TimelineEntry[] = [];
  dropped = 0;
  private readonly runs = new Map<string, RunSlot>();
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
   * entry was started. `n` events at once (a run of them summarised upstream, the first at `at`, the last at `until`)
   * count as n calls would.
   */
  run(key: string, gapNs: bigint, make: () => TimelineEntry, at: bigint, n = 1, until = at): boolean {
    const s = this.runs.get(key);
    if (s && this.extend(s, gapNs, at, n, until)) return false;
    this.open(s ?? new RunSlot(key), gapNs, make(), at, n, until);
    return true;
  }

  /** The slot of run `key` for a caller to keep (empty until opened): see extend() and open(). */
  slot(key: string): RunSlot {
    return this.runs.get(key) ?? new RunSlot(key);
  }

  /** Extends the slot's run by `n` events (the first at `at`, the last at `until`) when `at` is within `gapNs` of its last. */
  extend(s: RunSlot, gapNs: bigint, at: bigint, n = 1, until = at): boolean {
    if (s.entry === null) return false;
    if (gapNs !== s.gap) {
      s.gap = gapNs;
      s.bound = s.last + gapNs;
    }
    if (at > s.bound) {
      s.bound = s.last + gapNs;
      if (at > s.bound) return false;
    }
    const e = s.entry;
    e.repeat = (e.repeat ?? 1) + n;
    e.until = until;
    // a time before the last (an item let out late) moves the run back: its bound with it
    if (until < s.last) s.bound = until + gapNs;
    s.last = until;
    return true;
  }

  /** Starts a new entry in the slot (its run, under its key, is the one open from now on). */
  open(s: RunSlot, gapNs: bigint, e: TimelineEntry, at: bigint, n = 1, until = at): void {
    s.entry = this.add(e);
    if (n > 1) {
      e.repeat = (e.repeat ?? 1) + n - 1;
      e.until = until;
    }
    s.last = until;
    s.gap = gapNs;
    s.bound = until + gapNs;
    this.runs.set(s.key, s);
    // runs that went quiet long ago (past their own gap: they would not be extended again) are forgotten, so the map
    // stays small; a caller's kept slot that was swept is put back when it opens a run again
    if (this.runs.size > this.sweepAt) {
      for (const [k, v] of this.runs) if (at - v.last > v.gap) this.runs.delete(k);
      this.sweepAt = Math.max(4096, 2 * this.runs.size);
    }
  }

  sorted(): TimelineEntry[] {
    return [...this.entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }
}
