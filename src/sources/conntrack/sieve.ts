/**
 * A text conntrack line's protocol number read from its bytes, before the line is decoded: a 262,144-entry table is
 * nearly all tcp/udp, and the VRRP/AH answer needs only the few entries of protocols 112 and 51 (reference/conntrack.md:
 * the number, never the name). Mirrors parseTextLine's head: `[…]` tokens (-E's timestamp and event) skipped, the
 * columns before the first `src=`, `L3NAME L3NUM L4NAME L4NUM …` or `L4NAME L4NUM …`. A line is answered for only when
 * its head has that shape and `src=` is followed by `dst=` — it is then counted as an entry without being parsed;
 * anything else answers -1 and is parsed in full, so a damaged line is still warned about. One walk, no allocation.
 */
export function protoNumberAt(buf: Buffer, start: number, end: number): number {
  let i = start;
  let count = 0;
  let bracketed = 0;
  // the first four columns' bounds (plain variables: a pair array per column was garbage per line)
  let t0 = -1, t0e = -1, t1 = -1, t1e = -1, t2 = -1, t3 = -1, t3e = -1;
  for (;;) {
    let b = buf[i];
    while (i < end && (b === 32 || b === 9)) b = buf[++i];
    if (i >= end || count > 8) return -1;
    const s = i;
    while (i < end && b !== 32 && b !== 9) b = buf[++i];
    const first = buf[s];
    if (first === 91 /* [ */) {
      // only -E's leading `[sec.frac]` and `[NEW|UPDATE|DESTROY]`, as parseTextLine strips them
      if (count > 0 || bracketed > 1 || !(bracketed === 0 && isStamp(buf, s, i)) && !isEvent(buf, s, i)) return -1;
      bracketed++;
      continue;
    }
    if (first === 0x73 && startsWith(buf, s, i, 0x73, 0x72, 0x63)) break; // src=
    if (count === 0) {
      t0 = s;
      t0e = i;
    } else if (count === 1) {
      t1 = s;
      t1e = i;
    } else if (count === 2) t2 = s;
    else if (count === 3) {
      t3 = s;
      t3e = i;
    }
    count++;
  }
  // the original tuple's dst= follows its src=, and a reply tuple (src= … dst=) comes after
  if (!dstNext(buf, i, end)) return -1;
  const reply = srcAfter(buf, i, end);
  if (reply < 0 || !dstNext(buf, reply + 4, end)) return -1;
  if (count >= 4 && t2 >= 0 && isL3Name(buf, t0, t0e)) {
    const fam = digits(buf, t1, t1e);
    const n = digits(buf, t3, t3e);
    if ((fam === 2 || fam === 10) && n >= 0) return n;
  }
  return count >= 2 && isName(buf, t0, t0e) ? digits(buf, t1, t1e) : -1;
}

/** the next ` src=` in [i, end), by a walk in place (Buffer#indexOf's checks and call cost more than the ~60 bytes walked) */
function srcAfter(buf: Uint8Array, i: number, end: number): number {
  for (let k = i + 4; k < end; k++) {
    if (buf[k] === 0x3d && buf[k - 1] === 0x63 && buf[k - 2] === 0x72 && buf[k - 3] === 0x73 && buf[k - 4] === 0x20) return k - 4;
  }
  return -1;
}

/** from inside a `src=` token: the next token is `dst=` */
function dstNext(buf: Uint8Array, i: number, end: number): boolean {
  while (i < end && buf[i] !== 32 && buf[i] !== 9) i++;
  while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
  return startsWith(buf, i, end, 0x64, 0x73, 0x74);
}

/** `[1795586156.414713]`: digits, a dot, 1 to 9 digits */
function isStamp(buf: Uint8Array, s: number, e: number): boolean {
  if (buf[e - 1] !== 93) return false;
  let i = s + 1;
  while (i < e - 1 && buf[i] >= 48 && buf[i] <= 57) i++;
  if (i === s + 1 || buf[i] !== 46) return false;
  const frac = e - 1 - (i + 1);
  return frac >= 1 && frac <= 9 && digits(buf, i + 1, e - 1) >= 0;
}

/** `[NEW]`, `[UPDATE]`, `[DESTROY]` */
function isEvent(buf: Uint8Array, s: number, e: number): boolean {
  return EVENTS.some((w) => e - s === w.length && w.every((c, k) => buf[s + k] === c));
}

const EVENTS = ['[NEW]', '[UPDATE]', '[DESTROY]'].map((w) => [...w].map((c) => c.charCodeAt(0)));

/** the token [s, e) starts with three given bytes and '=' */
function startsWith(buf: Uint8Array, s: number, e: number, a: number, b: number, c: number): boolean {
  return e - s >= 4 && buf[s] === a && buf[s + 1] === b && buf[s + 2] === c && buf[s + 3] === 61;
}

/** `ipv4`, `ipv6` or `unknown`: the L3 name column of /proc/net/nf_conntrack and -o extended */
function isL3Name(buf: Uint8Array, s: number, e: number): boolean {
  if (e - s === 4) return buf[s] === 0x69 && buf[s + 1] === 0x70 && buf[s + 2] === 0x76 && (buf[s + 3] === 0x34 || buf[s + 3] === 0x36);
  if (e - s !== 7) return false;
  for (let k = 0; k < 7; k++) if (buf[s + k] !== UNKNOWN[k]) return false;
  return true;
}

const UNKNOWN = [0x75, 0x6e, 0x6b, 0x6e, 0x6f, 0x77, 0x6e];

/** a protocol name as parseTextLine accepts it: [a-z0-9_-]+ */
function isName(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const b = buf[i];
    const c = b | 0x20;
    if (!((c >= 97 && c <= 122) || (b >= 48 && b <= 57) || b === 95 || b === 45)) return false;
  }
  return e > s;
}

/** the token as a decimal number (at most 9 digits), else -1 */
function digits(buf: Uint8Array, s: number, e: number): number {
  if (e <= s || e - s > 9) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
