/**
 * A lone time far from its neighbours in one file — a damaged timestamp still inside the years 0000-9999, such as a
 * pcapng tick count of 2^64−1 at ns resolution (year 2554) — must not stretch a finding or the timeline to it. A
 * file's records come in time order, so a jump of more than `maxJumpSec` from the previous record makes the record a
 * suspect, held back: if the next record is near it, the jump was real (a capture merged from two sessions) and both
 * go on; if the next is near the records before, the suspect was an outlier, handed to `drop` (a capture lists it
 * marked, as tcpdump does, and analyze leaves it out). A suspect left at the end of the file has nothing to confirm it
 * and is an outlier too.
 */
/** Captures: adverts come every second or so, so a month with nothing but one packet is damage. */
export const CAPTURE_MAX_JUMP_SEC = 30 * 86_400;
/** Logs: a quiet cluster's keepalived may say nothing for months; only a jump of years is damage. */
export const LOG_MAX_JUMP_SEC = 2 * 366 * 86_400;

/** Where a gate stands between two records: what a file read in slices hands from one slice to the next. */
export interface GateState<T> {
  prev: number | null;
  suspect: { item: T; sec: number } | null;
}

export class OutlierGate<T> {
  private prev: number | null = null;
  private suspect: { item: T; sec: number } | null = null;

  constructor(
    /** hands a record on */
    private readonly pass: (item: T) => void,
    /** a record judged an outlier, with the time of the records around it */
    private readonly drop: (item: T, sec: number, near: number) => void,
    /** a held record must outlive the callback it came in (a reused packet view): copied only when held */
    private readonly keep: (item: T) => T = (x) => x,
    private readonly maxJumpSec = CAPTURE_MAX_JUMP_SEC,
  ) {}

  /** `sec`: the record's time in seconds (approximate is enough), or null when it has none (passed straight on). */
  offer(item: T, sec: number | null): void {
    if (sec === null) return this.pass(item);
    const near = (a: number, b: number) => Math.abs(a - b) <= this.maxJumpSec;
    const s = this.suspect;
    if (s) {
      this.suspect = null;
      if (near(sec, s.sec)) {
        this.pass(s.item);
      } else {
        this.drop(s.item, s.sec, this.prev!);
        if (!near(sec, this.prev!)) {
          this.suspect = { item: this.keep(item), sec };
          return;
        }
      }
      this.prev = sec;
      return this.pass(item);
    }
    if (this.prev === null || near(sec, this.prev)) {
      this.prev = sec;
      return this.pass(item);
    }
    this.suspect = { item: this.keep(item), sec };
  }

  snapshot(): GateState<T> {
    return { prev: this.prev, suspect: this.suspect };
  }

  restore(s: GateState<T>): void {
    this.prev = s.prev;
    this.suspect = s.suspect;
  }

  /**
   * Whether a fresh gate whose first timed record is at `firstSec` decides every record as this one would from `s`:
   * true when nothing is held and that record is near the time before it (or there is none). A slice read elsewhere
   * starts fresh; this says whether its verdicts stand.
   */
  static joins<T>(s: GateState<T>, firstSec: number | null, maxJumpSec = CAPTURE_MAX_JUMP_SEC): boolean {
    return s.suspect === null && (firstSec === null || s.prev === null || Math.abs(firstSec - s.prev) <= maxJumpSec);
  }

  /** At the end of the file: a suspect no record confirmed is dropped. */
  end(): void {
    if (this.suspect) this.drop(this.suspect.item, this.suspect.sec, this.prev!);
    this.suspect = null;
  }
}

/** The E_BAD_TIME message for a dropped outlier. */
export function outlierText(sec: number, near: number, what: string): string {
  const day = (t: number) => new Date(Math.round(t) * 1000).toISOString().slice(0, 10);
  return `time ${day(sec)} is ${Math.round(Math.abs(sec - near) / 86_400)} days from the ${what} around it (${day(near)}) and nothing near it confirms it: listed, but left out of the analysis`;
}
