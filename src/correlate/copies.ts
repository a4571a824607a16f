import path from 'node:path';
import { rotationKey } from '../sources/syslog/reader.js';
import type { InputProblem } from '../model/report.js';
import { inOrder, mergeByTime, type MergeStats } from './merge.js';

/**
 * Lossless merging of one host's logs that hold the same messages (rsyslog's traditional and high-precision files,
 * a log forwarded to two files): on the time-merged stream, a message from one file that another file of the same
 * host also has — same text, same time to the coarser file's precision — counts once, and the more precise line is
 * the one kept. Every other message of every file is kept. Files of one rotated set (messages.1, messages) are never
 * folded into each other: rotation moves lines, it does not copy them.
 *
 * Streaming: items are held for at most one second of stream time (the coarsest precision, whole seconds) and never
 * more than MAX_HELD of them, so memory does not grow with the files; order is kept.
 */
export interface LogLine {
  /** whose log: lines of different hosts are never the same line */
  host: string;
  file: string;
  /** the rotated set the file belongs to (rotationKey) */
  set: string;
  message: string;
  /** the time as written (before any clock alignment), ns */
  time: bigint;
  /** fractional digits the framing had */
  precision: number;
}

const SEC = 1_000_000_000n;
/**
 * Items held at most, whatever their times: a storm of a million lines in one second still holds only this many. Two
 * hosts' whole-second copies of a storm's second come before their precise copies: the bench's storm (26,600 lines a
 * second per copy) held ≈ 106,000 at once, and at 65,536 a quarter of gw-a's lines left before their copy came and
 * were counted twice. What leaves early unfolded is counted (`early`) and reported.
 */
export const MAX_HELD = 1 << 17;

/** Lines of a log counted twice past the bound (LogCopies.twice), as the problem on its input, worded at the edge. */
export function foldBoundProblem(lines: number) {
  return { locator: '', severity: 'warning' as const, code: 'E_BAD_LENGTH' as const, fact: { kind: 'fold-bound' as const, lines, held: MAX_HELD } } satisfies InputProblem;
}

/**
 * How LogCopies reads an item of its stream as a log line, field by field, so that no LogLine object need be made per
 * line (in a storm that object, held a second with its line, was a good share of what the scavenges copied).
 * `line(t)` is asked first; the others only of an item that is a line.
 */
export type LineView<T> = { line(t: T): boolean } & { [K in keyof LogLine]: (t: T) => LogLine[K] };

/** A log line held: its item (null once folded into another line) and what folding needs of it, in one record. */
interface Held<T> extends LogLine {
  item: T | null;
  /** its place in the stream (the held columns' index plus the items already compacted away) */
  seq: number;
  gone: boolean;
  /** files whose copy of this line was folded into it (one or two: an array, not a set) */
  matched: string[] | null;
  /** its message's open lines of its host and second (null once it has left them) */
  open: Open<T> | null;
}

/** A line that left the folding early, unfolded: what finding its copy needs. */
interface Escaped {
  host: string;
  file: string;
  set: string;
  message: string;
  second: bigint;
  time: bigint;
  precision: number;
  /** a copy of it came and was counted twice */
  used: boolean;
}

/** One message's lines of one host and second not yet folded: per file, in time order. */
interface Open<T> {
  host: string;
  second: bigint;
  files: Map<string, Queue<Held<T>>>;
}

/** ns per unit of the last digit, by fractional digits 0…9 */
const UNITS = Array.from({ length: 10 }, (_, d) => 10n ** BigInt(9 - d));

/**
 * Equal to the coarser of the two precisions. Lines compared share a message, host and second: at whole seconds that
 * is the answer without cutting (four BigInt results per comparison were a storm's garbage) — for times from 1970 on,
 * where the second (truncated) and the cut (floored) agree.
 */
function sameAtCoarser(a: bigint, aDigits: number, b: bigint, bDigits: number): boolean {
  const digits = Math.min(aDigits, bDigits);
  if (digits <= 0 && a >= 0n && b >= 0n) return true;
  return cut(a, digits) === cut(b, digits);
}

/** `time` cut to `digits` fractional digits. */
function cut(time: bigint, digits: number): bigint {
  const unit = UNITS[Math.min(9, Math.max(0, digits))];
  const r = time % unit;
  return time - (r < 0n ? r + unit : r);
}

/** A LogLine-making function read through a LineView: each line is made once, its fields read from it. */
function viewOfLines<T>(lineOf: (t: T) => LogLine | null): LineView<T> {
  let last: LogLine | null = null;
  return {
    line: (t) => (last = lineOf(t)) !== null,
    host: () => last!.host,
    file: () => last!.file,
    set: () => last!.set,
    message: () => last!.message,
    time: () => last!.time,
    precision: () => last!.precision,
  };
}

export class LogCopies<T extends { at: bigint }> {
  /**
   * every item held, in order, as columns: the item (null once folded away, so a dropped copy is let go at once, not a
   * second later), its time, and a log line's record (null for other items: a storm's packets, no object each)
   */
  private readonly held: (T | null)[] = [];
  private readonly ats: bigint[] = [];
  private readonly lines: (Held<T> | null)[] = [];
  /** items compacted away from the front of the columns: a record's seq less this is its index */
  private base = 0;
  /** the newest time seen: what "a second older" is measured from */
  private newest = -(1n << 80n);
  private head = 0;
  /**
   * message → its open lines, per host and second (nearly always one). Keyed by the message itself, not by a
   * host + second + message string: that string per line, hashed and held, was a storm's largest cost here.
   */
  private readonly open = new Map<string, Open<T>[]>();
  /** how many (message, host, second) groups are open */
  private opened = 0;
  /** per dropped file: the file whose line was kept instead → how many */
  readonly folded = new Map<string, Map<string, number>>();
  /**
   * per file: lines counted twice — each found its copy, in another log of the host, gone already: it had left the
   * folding unfolded before its second was over (more than MAX_HELD held)
   */
  readonly twice = new Map<string, number>();
  /** lines that left early unfolded, by message, kept a little while for a copy that comes after them (nearly always none) */
  private readonly escaped = new Map<string, Escaped[]>();
  private readonly escapedOrder: Escaped[] = [];
  private escapedHead = 0;
  private readonly view: LineView<T>;

  constructor(lines: ((t: T) => LogLine | null) | LineView<T>) {
    this.view = typeof lines === 'function' ? viewOfLines(lines) : lines;
  }

  /** Takes the next item of a time-ordered stream; returns the items that can no longer be folded, in order. */
  push(item: T): T[] {
    const v = this.view;
    if (item.at > this.newest) this.newest = item.at;
    if (!v.line(item)) {
      this.hold(item, null);
      return this.release(this.newest);
    }
    const host = v.host(item);
    const file = v.file(item);
    const set = v.set(item);
    const message = v.message(item);
    const time = v.time(item);
    const precision = v.precision(item);
    // equal at the coarser precision implies equal to the second: lines are looked for among their second's only
    const second = this.secondOf(time);
    let group: Open<T> | undefined;
    const groups = this.open.get(message);
    if (groups) {
      for (const g of groups) {
        if (g.second === second && g.host === host) {
          group = g;
          break;
        }
      }
    }
    let twin: Held<T> | undefined;
    if (group) {
      // (a queue is never empty, so its first line names the file)
      for (const queue of group.files.values()) {
        const first = queue.first!;
        if (first.file === file || first.set === set) continue;
        // a line stands for at most one line of each other file
        twin = queue.find(file, time, precision);
        if (twin) break;
      }
    }
    // a line whose copy left early, unfolded, is kept: counted twice, and said so
    if (!twin && this.escapedHead < this.escapedOrder.length) this.findEscaped(host, file, set, message, second, time, precision);
    if (twin && twin.precision > precision) {
      // the more precise line is kept: the newcomer is folded into it at once and never held
      const matched = (twin.matched ??= []);
      if (!matched.includes(file)) matched.push(file);
      this.count(file, twin.file);
      return this.release(this.newest);
    }
    const h: Held<T> = { item, seq: this.base + this.held.length, host, file, set, message, time, precision, gone: false, matched: null, open: null };
    if (twin) {
      // the newcomer is as precise or more (kept on ties); it stays open for a third copy
      twin.gone = true;
      const matched = (h.matched = twin.matched ?? []);
      if (!matched.includes(twin.file)) matched.push(twin.file);
      this.held[twin.seq - this.base] = null;
      twin.item = null;
      this.close(twin);
      this.count(twin.file, file);
    }
    // (the group may have closed just now, its last line folded into this one)
    if (!group || !group.files.size) {
      group = { host, second, files: new Map() };
      // (asked again: closing the twin may have let the message's groups go)
      const gs = this.open.get(message);
      if (gs) gs.push(group);
      else this.open.set(message, [group]);
      this.opened++;
    }
    const queue = group.files.get(file);
    if (queue) queue.push(h);
    else group.files.set(file, new Queue<Held<T>>().push(h));
    h.open = group;
    this.hold(item, h);
    return this.release(this.newest);
  }

  private hold(item: T, h: Held<T> | null): void {
    this.held.push(item);
    this.ats.push(item.at);
    this.lines.push(h);
  }

  /** one more line of `dropped` counted once, in `kept` */
  private count(dropped: string, kept: string): void {
    let per = this.folded.get(dropped);
    if (!per) this.folded.set(dropped, (per = new Map<string, number>()));
    per.set(kept, (per.get(kept) ?? 0) + 1);
  }

  /** Lines held and groups open: what the memory bound is about. */
  get holding(): number {
    return this.held.length - this.head + this.opened;
  }

  /** The end of the stream: everything still held. */
  end(): T[] {
    return this.release(null);
  }

  /** A line leaves its open group (folded away, or released): the group and its message go when emptied. */
  private close(h: Held<T>): void {
    const group = h.open;
    if (!group) return;
    h.open = null;
    const queue = group.files.get(h.file);
    if (!queue) return;
    queue.remove(h);
    if (queue.length) return;
    group.files.delete(h.file);
    if (group.files.size) return;
    this.opened--;
    const groups = this.open.get(h.message)!;
    if (groups.length === 1) this.open.delete(h.message);
    else groups.splice(groups.indexOf(group), 1);
  }

  /** Items more than a second older than `now` (all, at the end), in order; the columns are compacted as they drain. */
  private release(now: bigint | null): T[] {
    const { held, ats, lines } = this;
    // nothing to hand out (most pushes in a storm): no array made for it
    if (this.head >= held.length || (now !== null && now - ats[this.head] <= SEC && held.length - this.head <= MAX_HELD)) return NONE;
    const out: T[] = [];
    // by the newest time seen (a stream that steps back in time must not hold everything), and never more than MAX_HELD
    while (this.head < held.length && (now === null || now - ats[this.head] > SEC || held.length - this.head > MAX_HELD)) {
      const h = lines[this.head];
      // a line leaving before its second is over (the bound), no copy folded into it yet: a later copy would be kept too
      if (h && h.item !== null && !h.matched && now !== null && now - ats[this.head] <= SEC) this.escape(h);
      const item = held[this.head++];
      // (a line folded into another was let go already)
      if (item === null) continue;
      out.push(item);
      if (h) this.close(h);
    }
    if (this.head > 1024 && this.head * 2 > held.length) {
      held.splice(0, this.head);
      ats.splice(0, this.head);
      lines.splice(0, this.head);
      this.base += this.head;
      this.head = 0;
    }
    return out;
  }

  /** A line leaves early, unfolded: kept by its message for two seconds of stream time (at most MAX_HELD of them). */
  private escape(h: Held<T>): void {
    const e: Escaped = { host: h.host, file: h.file, set: h.set, second: this.secondOf(h.time), time: h.time, precision: h.precision, message: h.message, used: false };
    this.escapedOrder.push(e);
    const list = this.escaped.get(h.message);
    if (list) list.push(e);
    else this.escaped.set(h.message, [e]);
    const order = this.escapedOrder;
    while (this.escapedHead < order.length && (this.newest - order[this.escapedHead].time > 2n * SEC || order.length - this.escapedHead > MAX_HELD)) {
      const old = order[this.escapedHead++];
      const l = this.escaped.get(old.message)!;
      l.splice(l.indexOf(old), 1);
      if (!l.length) this.escaped.delete(old.message);
    }
    if (this.escapedHead > 1024 && this.escapedHead * 2 > order.length) {
      order.splice(0, this.escapedHead);
      this.escapedHead = 0;
    }
  }

  /** The line that left early which this one is a copy of (the folding's own rule), taken: the newcomer is counted twice. */
  private findEscaped(host: string, file: string, set: string, message: string, second: bigint, time: bigint, precision: number): void {
    for (const e of this.escaped.get(message) ?? NONE) {
      if (e.used || e.second !== second || e.host !== host || e.file === file || e.set === set || !sameAtCoarser(e.time, e.precision, time, precision)) continue;
      e.used = true;
      this.twice.set(file, (this.twice.get(file) ?? 0) + 1);
      return;
    }
  }

  /** the second a line's time falls in (truncated, as written before): worked out once per second, not per line */
  private second = { from: 0n, to: 0n, q: 0n };

  private secondOf(time: bigint): bigint {
    const s = this.second;
    if (time >= s.from && time < s.to) return s.q;
    const q = time / SEC;
    // (a time before 1970 truncates towards zero: not cached, worked out each time)
    if (time >= 0n) this.second = { from: q * SEC, to: q * SEC + SEC, q };
    return q;
  }
}

const NONE: never[] = [];

/** A FIFO whose front is taken in O(1) (Array#shift copies a long array: a storm of one line made it the hot spot). */
class Queue<X> {
  private a: X[] = [];
  private head = 0;
  get length(): number {
    return this.a.length - this.head;
  }
  get first(): X | undefined {
    return this.a[this.head];
  }
  push(x: X): this {
    this.a.push(x);
    return this;
  }
  /** The first line `line` may be a copy of: not yet matched by a line of its file, equal at the coarser precision. */
  find<U>(this: Queue<Held<U>>, file: string, time: bigint, precision: number): Held<U> | undefined {
    const a = this.a;
    for (let i = this.head; i < a.length; i++) {
      const y = a[i];
      if (!y.matched?.includes(file) && sameAtCoarser(y.time, y.precision, time, precision)) return y;
    }
    return undefined;
  }
  /** Removes x, nearly always the first. */
  remove(x: X): void {
    if (this.a[this.head] === x) this.head++;
    else {
      const i = this.a.indexOf(x, this.head);
      if (i >= 0) this.a.splice(i, 1);
    }
    if (this.head > 64 && this.head * 2 > this.a.length) {
      this.a = this.a.slice(this.head);
      this.head = 0;
    }
  }
}

type Ev = { file: string; message: string; time: bigint; precision: number; host?: string };

/** A syslog event as a line that may have a copy: its host (or, with none, its folder) and its rotated set. */
export function logLineOf(ev: Ev, host: string | null): LogLine {
  return { host: host ?? ev.host ?? dirOf(ev.file), file: ev.file, set: setOf(ev.file), message: ev.message, time: ev.time, precision: ev.precision };
}

/** Items with a syslog event (`ev`, none for a packet) read as log lines, as logLineOf reads them, with no object per line. */
export function eventLines<T extends { ev?: Ev; host: string | null }>(): LineView<T> {
  return {
    line: (t) => t.ev !== undefined,
    host: (t) => t.host ?? t.ev!.host ?? dirOf(t.ev!.file),
    file: (t) => t.ev!.file,
    set: (t) => setOf(t.ev!.file),
    message: (t) => t.ev!.message,
    time: (t) => t.ev!.time,
    precision: (t) => t.ev!.precision,
  };
}

/** a file's rotated set, worked out once per file (a pattern per log line was a storm's 1 s) */
function setOf(file: string): string {
  return once(setCache, file, (f) => rotationKey(f)[0]);
}

/** a file's folder, the host of its lines that name none */
function dirOf(file: string): string {
  return once(dirCache, file, path.dirname);
}

function once(cache: Map<string, string>, file: string, make: (f: string) => string): string {
  let v = cache.get(file);
  if (v === undefined) {
    if (cache.size >= 4096) cache.clear();
    v = make(file);
    cache.set(file, v);
  }
  return v;
}

const dirCache = new Map<string, string>();
const setCache = new Map<string, string>();

/** Whether some host has two logs outside one rotated set: only then can a message be in two files (else no holding). */
export function mayHoldCopies(logs: { path: string; host: string | null }[]): boolean {
  const sets = new Map<string, Set<string>>();
  for (const l of logs) {
    const h = l.host ?? '';
    sets.set(h, (sets.get(h) ?? new Set()).add(rotationKey(l.path)[0]));
  }
  return [...sets.values()].some((s) => s.size > 1);
}

type LaneNext<T> = () => Promise<IteratorResult<T[], unknown>>;
const LOG_LANES = new WeakSet<LaneNext<unknown>>();

/** Marks a lane of the merge as a log's (folded with the other logs' before the merge: foldedLane). */
export function logLane<T>(next: LaneNext<T>): LaneNext<T> {
  LOG_LANES.add(next as LaneNext<unknown>);
  return next;
}

export function isLogLane<T>(next: LaneNext<T>): boolean {
  return LOG_LANES.has(next as LaneNext<unknown>);
}

/**
 * The logs' lanes merged by time and folded (LogCopies) as one lane, for the merge with the captures: only log lines
 * wait their second for a copy, never the packets between them (a storm's packets were most of what was held). The
 * order is the one folding the whole stream gave: the logs' lanes come after the captures' in the merge, so ties go
 * the same way, and the folded lane goes out as it comes (inOrder: a late line stays where its own lane put it).
 */
export function foldedLane<T extends { at: bigint }>(lanes: LaneNext<T>[], copies: LogCopies<T>, stats: MergeStats): LaneNext<T> {
  const merged = mergeByTime<T>(lanes, stats);
  let ended = false;
  return inOrder(async () => {
    while (!ended) {
      const r = await merged.next();
      let out: T[];
      if (r.done) {
        ended = true;
        out = copies.end();
      } else {
        out = [];
        for (const x of r.value) for (const y of copies.push(x)) out.push(y);
      }
      if (out.length) return { done: false, value: out };
    }
    return { done: true, value: undefined };
  });
}
