/** Internet checksum pieces (RFC 1071): 16-bit one's-complement sums, kept unfolded until the end. */
export function sum16(b: Uint8Array, start: number, end: number, initial = 0): number {
  let s = initial;
  let p = start;
  for (; p + 1 < end; p += 2) s += (b[p] << 8) | b[p + 1];
  if (p < end) s += b[p] << 8;
  return s;
}

export function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** True when a region whose checksum field is included sums to 0xffff. */
export function sumIsValid(s: number): boolean {
  return fold(s) === 0xffff;
}
