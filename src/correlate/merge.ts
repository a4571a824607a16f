/**
 * A k-way merge of time-ordered streams into one, by time. Each stream is an async generator of batches (what the
 * readers yield); each gets a bounded reorder window, so a capture whose packets are a little out of order (several
 * interfaces, clock steps) still comes out in order without reading the whole file. Memory: k × window items.
 */
export interface Timed {
  at: bigint;
}

export interface MergeStats {
  /** items that arrived later than the window allowed: emitted late, in arrival order */
  late: number;
}

/** Binary min-heap by (time, arrival): items and their arrival numbers in two arrays, no wrapper per item. */
class MinHeap<T extends Timed> {
  private readonly a: T[] = [];
  private readonly s: number[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): T | undefined {
    return this.a[0];
  }
  /** arrival number of the minimum */
  peekSeq(): number {
    return this.s[0];
  }
  push(t: T, q: number): void {
    const { a, s } = this;
    let i = a.length;
    a.push(t);
    s.push(q);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!(t.at < a[p].at || (t.at === a[p].at && q < s[p]))) break;
      a[i] = a[p];
      s[i] = s[p];
      i = p;
    }
    a[i] = t;
    s[i] = q;
  }
  pop(): T | undefined {
    const { a, s } = this;
    if (!a.length) return undefined;
    const top = a[0];
    const last = a.pop()!;
    const lastSeq = s.pop()!;
    const n = a.length;
    if (n) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && (a[r].at < a[l].at || (a[r].at === a[l].at && s[r] < s[l])) ? r : l;
        if (!(a[m].at < last.at || (a[m].at === last.at && s[m] < lastSeq))) break;
        a[i] = a[m];
        s[i] = s[m];
        i = m;
      }
      a[i] = last;
      s[i] = lastSeq;
    }
    return top;
  }
}

/**
 * A lane's reorder window, ordered by (time, arrival). Nearly every item of a capture or log arrives in time order:
 * those go to a sorted run (a FIFO, O(1) in and out, one comparison), and only an item older than the run's newest goes
 * to the heap — a heap of every item was a storm's hottest loop (12 BigInt comparisons per item and lane). The
 * minimum of the two is the window's minimum, so items leave exactly as a single heap would hand them out.
 */
export class ReorderWindow<T extends Timed> {
  private run: T[] = [];
  private runSeq: number[] = [];
  private head = 0;
  private readonly heap = new MinHeap<T>();
  private seq = 0;

  get size(): number {
    return this.run.length - this.head + this.heap.size;
  }

  push(t: T): void {
    const q = this.seq++;
    const n = this.run.length;
    if (n === this.head || t.at >= this.run[n - 1].at) {
      this.run.push(t);
      this.runSeq.push(q);
    } else this.heap.push(t, q);
  }

  /** whether the minimum is the run's head (false: the heap's top, or empty) */
  private fromRun(): boolean {
    if (this.head === this.run.length) return false;
    const h = this.heap.peek();
    if (!h) return true;
    const r = this.run[this.head];
    return r.at < h.at || (r.at === h.at && this.runSeq[this.head] < this.heap.peekSeq());
  }

  peek(): T | undefined {
    return this.fromRun() ? this.run[this.head] : this.heap.peek();
  }

  pop(): T | undefined {
    if (!this.fromRun()) return this.heap.pop();
    const t = this.run[this.head++];
    if (this.head === this.run.length) {
      this.run = [];
      this.runSeq = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.run.length) {
      // compacted as it drains, so the run's arrays never grow past twice the window
      this.run = this.run.slice(this.head);
      this.runSeq = this.runSeq.slice(this.head);
      this.head = 0;
    }
    return t;
  }
}

/** A lane already merged (and counted) upstream: its items go out as they came, late ones too, never reordered again. */
export class Fifo<T extends Timed> {
  private a: (T | undefined)[] = [];
  private head = 0;

  get size(): number {
    return this.a.length - this.head;
  }

  /** the slots the backing array holds on to (items out included until compacted): bounded, whatever went through */
  get slots(): number {
    return this.a.length;
  }

  push(t: T): void {
    this.a.push(t);
  }

  peek(): T | undefined {
    return this.a[this.head];
  }

  pop(): T | undefined {
    const t = this.a[this.head];
    // a lane refilled before it drains never empties: the slots already out are let go and compacted away, or the
    // array would keep every item the lane ever held (memory growing with the input)
    this.a[this.head++] = undefined;
    if (this.head === this.a.length) {
      this.a = [];
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= this.a.length) {
      this.a = this.a.slice(this.head);
      this.head = 0;
    }
    return t;
  }
}

type LaneNext<T> = () => Promise<IteratorResult<T[], unknown>>;
const ORDERED = new WeakSet<LaneNext<unknown>>();

/** Marks a lane as already in merge order (its own merge counted its late items): taken as it comes. */
export function inOrder<T>(next: LaneNext<T>): LaneNext<T> {
  ORDERED.add(next as LaneNext<unknown>);
  return next;
}

interface Lane<T extends Timed> {
  next: LaneNext<T>;
  heap: ReorderWindow<T> | Fifo<T>;
  ordered: boolean;
  done: boolean;
  /** the newest time seen on this lane: the heap's minimum may go out once it is `window` older */
  newest: bigint;
  /** newest − window, kept with it (a BigInt subtraction per item and lane was a storm's garbage) */
  safeUpTo: bigint;
  emitted: bigint;
}

export interface MergeOptions {
  /** items per lane held for reordering */
  windowItems?: number;
  /** time per lane held for reordering (ns) */
  windowNs?: bigint;
  /** items handed out per yield (one await per batch, not per item) */
  batch?: number;
}

export async function* mergeByTime<T extends Timed>(
  lanes: (() => Promise<IteratorResult<T[], unknown>>)[],
  stats: MergeStats,
  opts: MergeOptions = {},
): AsyncGenerator<T[]> {
  const maxItems = opts.windowItems ?? 4096;
  const windowNs = opts.windowNs ?? 2_000_000_000n;
  const out = opts.batch ?? 1024;
  const ls: Lane<T>[] = lanes.map((next) => {
    const ordered = ORDERED.has(next as LaneNext<unknown>);
    return { next, heap: ordered ? new Fifo<T>() : new ReorderWindow<T>(), ordered, done: false, newest: -1n << 80n, safeUpTo: -1n << 80n, emitted: -1n << 80n };
  });
  // a lane's minimum is safe to emit when its window is full (by count or time) or the lane is exhausted; an ordered
  // lane's head is its next item however much is read behind it, so one item is enough (a window of them was only
  // more items held)
  const ready = (l: Lane<T>) => l.done || (l.ordered ? l.heap.size > 0 : l.heap.size >= maxItems || (l.heap.size > 0 && l.heap.peek()!.at <= l.safeUpTo));
  const fill = async (l: Lane<T>) => {
    while (!ready(l)) {
      const r = await l.next();
      if (r.done) {
        l.done = true;
        break;
      }
      for (const t of r.value) {
        if (t.at > l.newest) l.newest = t.at;
        l.heap.push(t);
      }
      l.safeUpTo = l.newest - windowNs;
    }
  };
  // each lane's head, kept: only the lane an item left from changes (the others stay ready, their heads where they
  // were), so an item costs one lane's refill and a look at k heads, not k readiness checks and 3k peeks
  const heads: (T | undefined)[] = [];
  for (const l of ls) {
    if (!ready(l)) await fill(l);
    heads.push(l.heap.peek());
  }
  /** the first lane with the earliest head (ties to the earlier lane), -1 when every lane is drained */
  const earliest = () => {
    let b = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (b < 0 || h.at < heads[b]!.at)) b = i;
    }
    return b;
  };
  let b = earliest();
  let batch: T[] = [];
  while (b >= 0) {
    const best = ls[b];
    const was = heads[b]!.at;
    const t = best.heap.pop()!;
    if (best.ordered) {
      // (late items of an ordered lane were counted where it was merged)
    } else if (t.at < best.emitted) stats.late++;
    else best.emitted = t.at;
    batch.push(t);
    if (batch.length >= out) {
      yield batch;
      batch = [];
    }
    if (!ready(best)) await fill(best);
    const head = best.heap.peek();
    heads[b] = head;
    // a new head no later than the one that left is still the first earliest (the lanes before it were later, the
    // lanes after it no earlier): the common case, one comparison
    if (!head || head.at > was) b = earliest();
  }
  if (batch.length) yield batch;
}
