/**
 * Items kept in the order they came, with their times, for "the first later than t" and "the last earlier than t" —
 * by bisection while the times never went back (nearly always: a log's transitions), else by a walk in the list's
 * order, which is what those questions mean then. A flapping pair's 10,000 transitions were each searched for in the
 * whole list.
 */
export class TimeList<T> {
  private readonly items: T[] = [];
  private readonly ats: bigint[] = [];
  /** the times never went back (known as they are pushed) */
  private inOrder = true;

  push(item: T, at: bigint): void {
    if (this.ats.length && this.ats[this.ats.length - 1] > at) this.inOrder = false;
    this.items.push(item);
    this.ats.push(at);
  }

  /** The first item, in the list's order, whose time is later than `at`. */
  firstAfter(at: bigint): T | undefined {
    const i = this.inOrder ? this.firstIndexAbove(at, false) : this.ats.findIndex((x) => x > at);
    return i >= 0 && i < this.items.length ? this.items[i] : undefined;
  }

  /** The last item, in the list's order, whose time is earlier than `at`. */
  lastBefore(at: bigint): T | undefined {
    if (this.inOrder) {
      const i = this.firstIndexAbove(at, true) - 1;
      return i >= 0 ? this.items[i] : undefined;
    }
    for (let i = this.ats.length - 1; i >= 0; i--) if (this.ats[i] < at) return this.items[i];
    return undefined;
  }

  /** (in order) the first index whose time is later than `at`, or no earlier than it with `orEqual` */
  private firstIndexAbove(at: bigint, orEqual: boolean): number {
    let lo = 0;
    let hi = this.ats.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ats[mid] > at || (orEqual && this.ats[mid] === at)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
