/**
 * Strings made from bytes once per distinct byte sequence: a storm repeats a handful of messages (and one host, one
 * program) hundreds of thousands of times, and decoding each line's text again was most of a keepalived line's
 * garbage. An entry also carries what a caller worked out from its text (a message's class), so a repeated message
 * costs a hash and a byte comparison, nothing else.
 */
export interface Interned<T> {
  /** the bytes, copied (the chunk they came from is reused) */
  readonly bytes: Buffer;
  /** the bytes decoded as UTF-8, as Buffer#toString would */
  readonly text: string;
  /** the caller's: worked out once from `text` */
  data: T | undefined;
  next: Interned<T> | null;
}

/** FNV-1a over buf[s, e), cut to 30 bits (a small integer: no number object as a table key) */
export function hashBytes(buf: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 | 0; // (an int32 from the start: a double here made the loop 3× slower)
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 16777619);
  return h & 0x3fffffff;
}

/** entries met last, by a number from their length and a few bytes (a power of two) */
const SLOTS = 256;
/** entries per hash chain at most: crafted lines that share a hash cannot make a lookup walk a long chain */
const CHAIN_MAX = 8;

export class ByteStrings<T = undefined> {
  private readonly table = new Map<number, Interned<T>>();
  private size = 0;
  /** the entry met last per length and last bytes: a repeated line is compared with it, not hashed */
  private readonly slots: (Interned<T> | null)[] = new Array<Interned<T> | null>(SLOTS).fill(null);

  /** @param max distinct sequences kept; past it the table starts again (memory stays flat whatever the input) */
  constructor(private readonly max: number) {}

  /**
   * The entry for buf[s, e): found, or made. A line's bytes are looked at once when they are met again: the last
   * entry seen of their length and last bytes is compared first (no hash), and only a miss hashes them.
   */
  get(buf: Buffer, s: number, e: number): Interned<T> {
    const len = e - s;
    const slot = len < 2 ? len : (len * 31 + buf[e - 1] * 7 + buf[e - 2] + buf[s + (len >> 1)] * 3) & (SLOTS - 1);
    const x = this.slots[slot];
    if (x && same(x.bytes, buf, s, e)) return x;
    const found = this.find(buf, s, e, hashBytes(buf, s, e));
    this.slots[slot] = found;
    return found;
  }

  private find(buf: Buffer, s: number, e: number, h: number): Interned<T> {
    const head = this.table.get(h);
    let n = 0;
    for (let x: Interned<T> | null | undefined = head; x; x = x.next, n++) if (same(x.bytes, buf, s, e)) return x;
    // a full chain is dropped for the newcomer (the size counted stays an upper bound)
    let next = n < CHAIN_MAX ? (head ?? null) : null;
    if (this.size >= this.max) {
      this.table.clear();
      this.size = 0;
      next = null;
    }
    const bytes = Buffer.allocUnsafe(e - s);
    buf.copy(bytes, 0, s, e);
    const entry: Interned<T> = { bytes, text: bytes.toString('utf8'), data: undefined, next };
    this.table.set(h, entry);
    this.size++;
    return entry;
  }
}

/** Whether a equals buf[s, e) (a loop: for lines this short it beat the native comparison, measured) */
function same(a: Buffer, buf: Buffer, s: number, e: number): boolean {
  if (a.length !== e - s) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[s + i]) return false;
  return true;
}
