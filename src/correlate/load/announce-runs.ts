import type { CaptureRecord, GarpRecord, UnsolicitedNaRecord } from '../../model/records.js';
import { ANNOUNCE_GAP, ANNOUNCES_LISTED, announcedAddress, announcedMac } from '../wire.js';
import type { Item } from './context.js';

type Announce = GarpRecord | UnsolicitedNaRecord;

/** An announcement item of the batch being built that later identical ones may join. */
interface Open {
  item: Item & { rec: Announce };
  kind: Announce['kind'];
  address: string;
  mac: string | undefined;
  /** the last announcement in it, and `last + ANNOUNCE_GAP` as last worked out (never past it) */
  last: bigint;
  bound: bigint;
}

/** open runs looked at per announcement: a storm repeats a handful of them */
const MAX_OPEN = 16;

function isAnnounce(r: CaptureRecord): r is Announce {
  return r.kind === 'garp' || r.kind === 'unsolicited-na';
}

/**
 * One capture lane's gratuitous ARPs and unsolicited NAs, summarised: a storm sends the same announcement (same kind,
 * address and MAC) hundreds of thousands of times, and all the analysis keeps of those is the timeline run they extend
 * and the first ANNOUNCES_LISTED of the stream (same-router's foreign-GARP check). So within one batch of the lane,
 * an announcement identical to an earlier one of that batch, within ANNOUNCE_GAP of it, joins that item as a `run`
 * (count and last time) instead of becoming an item of its own — the timeline ends the same (wire.ts extends the run
 * by the count).
 *
 * Only where nothing else can tell: the lane must have handed on ANNOUNCES_LISTED announcements one by one first (so
 * the detector's list is full before any run reaches it), and both the run's first announcement and each that joins
 * must be no older than anything the lane gave before (never reordered nor late in the merge, so each key's
 * announcements reach the detector in the same order as one by one). Any other announcement of the same key closes
 * the open run.
 */
export class AnnounceRuns {
  /** announcement items handed on (a run counts once) */
  private handed = 0;
  /** the newest time the lane gave */
  private newest: bigint | null = null;
  private open: Open[] = [];

  /** A new batch: runs of the last one were handed on, and are never touched again. */
  batch(): void {
    if (this.open.length) this.open = [];
  }

  /**
   * Whether `rec` (at `at`) joined an open run of this batch; if not, the caller makes it an item and hands that to
   * added().
   */
  join(rec: CaptureRecord, at: bigint): boolean {
    const monotone = this.newest === null || at >= this.newest;
    if (monotone) this.newest = at;
    if (!isAnnounce(rec) || !monotone || this.handed < ANNOUNCES_LISTED || !this.open.length) return false;
    const address = announcedAddress(rec);
    const mac = announcedMac(rec);
    for (const o of this.open) {
      if (o.kind !== rec.kind || o.address !== address || o.mac !== mac) continue;
      if (at > o.bound) {
        o.bound = o.last + ANNOUNCE_GAP;
        if (at > o.bound) return false;
      }
      o.last = at;
      const head = o.item.rec;
      // the reader's record is left as it was: the item gets its own copy carrying the run
      if (head.run) {
        head.run.count++;
        head.run.until = at;
      } else o.item.rec = { ...head, run: { count: 2, until: at } };
      return true;
    }
    return false;
  }

  /** An item the lane made: an announcement opens a run (closing the open one of its key); others are ignored. */
  added(item: Item): void {
    const rec = item.rec;
    if (!rec || !isAnnounce(rec)) return;
    this.handed++;
    const address = announcedAddress(rec);
    const mac = announcedMac(rec);
    const i = this.open.findIndex((o) => o.kind === rec.kind && o.address === address && o.mac === mac);
    if (i >= 0) this.open.splice(i, 1);
    // only a head no older than what came before may be joined (it would be reordered in the merge otherwise)
    if (item.at !== this.newest) return;
    if (this.open.length >= MAX_OPEN) this.open.shift();
    this.open.push({ item: item as Open['item'], kind: rec.kind, address, mac, last: item.at, bound: item.at + ANNOUNCE_GAP });
  }
}
