/** Address text as tcpdump and inet_ntop print it: dotted IPv4, RFC 5952 compressed IPv6, colon MACs. */
export function ipv4At(b: Uint8Array, p: number): string {
  return `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
}

export function ipv6At(b: Uint8Array, p: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[p + 2 * i] << 8) | b[p + 2 * i + 1]);
  // IPv4-mapped ::ffff:a.b.c.d
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return `::ffff:${ipv4At(b, p + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = w.map((x) => x.toString(16));
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

export function macAt(b: Uint8Array, p: number, len = 6): string {
  // a storm repeats the same few senders hundreds of thousands of times: the last address's text is reused
  const last = lastMac;
  if (last.bytes.length === len) {
    let same = true;
    for (let i = 0; i < len && same; i++) same = last.bytes[i] === b[p + i];
    if (same) return last.text;
  }
  const parts: string[] = [];
  for (let i = 0; i < len; i++) parts.push(b[p + i].toString(16).padStart(2, '0'));
  lastMac = { bytes: Uint8Array.prototype.slice.call(b, p, p + len), text: parts.join(':') };
  return lastMac.text;
}

let lastMac = { bytes: new Uint8Array(0), text: '' };

/** Parses dotted IPv4 into its bytes, or null. */
export function parseIpv4(s: string): Uint8Array | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(m[i + 1]);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** Parses any textual IPv6 form (compressed, expanded with leading zeros as /proc prints, embedded IPv4) or null. */
export function parseIpv6(s: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split('::').length > 2) return null;
  let tail4: Uint8Array | null = null;
  let text = s;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) > 0) {
    tail4 = parseIpv4(s.slice(lastColon + 1));
    if (!tail4) return null;
    text = s.slice(0, lastColon + 1) + '0:0';
  }
  const [headS, tailS] = text.split('::');
  const head = headS ? headS.split(':') : [];
  const tail = tailS !== undefined ? (tailS ? tailS.split(':') : []) : [];
  const missing = 8 - head.length - tail.length;
  if ((tailS === undefined && missing !== 0) || missing < 0 || (tailS !== undefined && missing < 1)) return null;
  const words = [...head, ...Array(tailS !== undefined ? missing : 0).fill('0'), ...tail];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(words[i])) return null;
    const v = parseInt(words[i], 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  }
  if (tail4) out.set(tail4, 12);
  return out;
}

/** Bytes of an IPv4 or IPv6 address in text, or null. */
export function parseIp(s: string): Uint8Array | null {
  return s.includes(':') ? parseIpv6(s) : parseIpv4(s);
}

/** One canonical spelling for any address text (so /proc's expanded IPv6 equals conntrack -L's compressed one). */
const MULTICAST4 = /^(22[4-9]|23\d)\./;

/** IPv4 224.0.0.0/4 or IPv6 ff00::/8 (VRRP's group addresses live there). */
export function isMulticast(a: string): boolean {
  return MULTICAST4.test(a) || /^ff/i.test(a);
}

export function canonicalIp(s: string): string {
  // dotted IPv4 as every dump prints it is already canonical; only IPv6 has several spellings (/proc expands it)
  if (!s.includes(':')) return s;
  const b = parseIpv6(s);
  if (!b) return s;
  return b.length === 4 ? ipv4At(b, 0) : ipv6At(b, 0);
}
