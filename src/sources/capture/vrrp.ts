import { ipv6At } from '../../model/address.js';
import type { ChecksumStatus, V3ChecksumConvention } from '../../model/records.js';
import { fold, sum16, sumIsValid } from './checksum.js';
import { IPPROTO, ipv4Text, type IpHeader } from './ip.js';

export interface VrrpFields {
  version: number;
  type: number;
  vrid?: number;
  priority?: number;
  count?: number;
  authType?: number;
  authData?: string;
  interval?: number;
  intervalUnit?: 's' | 'cs';
  addresses?: string[];
  length: number;
  checksum?: number;
  checksumStatus: ChecksumStatus;
  v3PartialSum?: number;
  checksumConvention?: V3ChecksumConvention;
  truncated: boolean;
}

/**
 * Decodes a VRRP message (RFC 3768 v2, RFC 5798 v3) field by field in tcpdump's order, stopping where the captured
 * bytes (clipped to the IP-declared length) run out: a fuzzed or truncated frame yields exactly the fields tcpdump
 * prints before its "[|vrrp]", never a field read from beyond the packet. The fields are set on `into` (the record).
 */
export function decodeVrrp<R extends object>(b: Uint8Array, ip: IpHeader, into: R): (R & VrrpFields) | null {
  const p = ip.payloadStart;
  const avail = Math.max(0, ip.payloadEnd - p);
  const len = ip.declaredLength;
  if (avail < 1) return null;
  // set by name, in this order (the order JSON lists a record's fields in): see decode.ts
  const f = into as R & VrrpFields;
  f.version = b[p] >> 4;
  f.type = b[p] & 0x0f;
  f.length = len;
  f.checksumStatus = 'unknown';
  f.truncated = false;
  if ((f.version !== 2 && f.version !== 3) || f.type !== 1) return f;
  const stop = (): R & VrrpFields => ((f.truncated = true), f);
  if (avail < 3) return stop();
  f.vrid = b[p + 1];
  f.priority = b[p + 2];
  if (avail < 6) return stop();
  if (f.version === 2) {
    f.authType = b[p + 4];
    f.interval = b[p + 5];
    f.intervalUnit = 's';
  } else {
    f.interval = ((b[p + 4] & 0x0f) << 8) | b[p + 5];
    f.intervalUnit = 'cs';
  }
  f.count = b[p + 3];
  if (avail >= len && len > 0) {
    // Whole message captured: checksum can be verified.
    const body = sum16(b, p, p + len);
    if (f.version === 2) {
      f.checksumStatus = sumIsValid(body) ? 'ok' : 'bad';
    } else {
      const partial = v3Partial(b, ip, len, body);
      f.v3PartialSum = partial;
      const srcSum = sum16(b, ip.srcAt, ip.srcAt + (ip.ipVersion === 4 ? 4 : 16));
      f.checksumConvention = v3Convention(sumIsValid(partial + srcSum), ip.ipVersion === 4 && sumIsValid(body));
      f.checksumStatus = f.checksumConvention === 'neither' ? 'bad' : 'ok';
    }
  }
  if (avail >= 8) f.checksum = (b[p + 6] << 8) | b[p + 7];
  else if (f.checksumStatus === 'bad') return stop(); // tcpdump prints the bad value and runs out here
  const addrLen = f.version === 3 && ip.ipVersion === 6 ? 16 : 4;
  f.addresses = [];
  let q = p + 8;
  for (let i = 0; i < f.count; i++, q += addrLen) {
    if (q + addrLen > p + avail) return stop();
    f.addresses.push(addrLen === 4 ? ipv4Text(b, q) : ipv6At(b, q));
  }
  if (f.version === 2 && f.authType === 1) {
    if (q + 8 > p + avail) return stop();
    f.authData = authText(b, q);
  }
  return f;
}

/** The 8 bytes of simple auth as text, up to the first NUL; the last one's text is reused (a storm repeats it). */
function authText(b: Uint8Array, q: number): string {
  const last = lastAuth;
  let same = true;
  for (let i = 0; i < 8 && same; i++) same = last.bytes[i] === b[q + i];
  if (same) return last.text;
  let s = '';
  for (let i = 0; i < 8 && b[q + i] !== 0; i++) s += String.fromCharCode(b[q + i]);
  lastAuth = { bytes: Uint8Array.prototype.slice.call(b, q, q + 8), text: s };
  return s;
}

let lastAuth = { bytes: new Uint8Array(8).fill(1), text: '\u0001'.repeat(8) };

/**
 * RFC 5798's pseudo-header form first; else, for IPv4 only, the message alone (Cisco IOS): a checksum that holds without
 * the pseudo-header does not cover the source address, so it proves nothing about NAT and is no "bad checksum".
 */
function v3Convention(withPseudo: boolean, withoutPseudo: boolean): V3ChecksumConvention {
  return withPseudo ? 'pseudo-header' : withoutPseudo ? 'no-pseudo-header' : 'neither';
}

/** Pseudo-header (minus the source address) + message sum; see VrrpAdvertRecord.v3PartialSum. */
function v3Partial(b: Uint8Array, ip: IpHeader, len: number, body: number): number {
  if (ip.ipVersion === 4) return fold(body + sum16(b, ip.dstAt, ip.dstAt + 4) + IPPROTO.VRRP + len);
  return fold(body + sum16(b, ip.dstAt, ip.dstAt + 16) + (len >>> 16) + (len & 0xffff) + IPPROTO.VRRP);
}

/** Would this VRRPv3 advert's checksum be valid had it been sent from `src`? (address bytes) */
export function v3ValidForSource(partial: number, src: Uint8Array): boolean {
  return sumIsValid(partial + sum16(src, 0, src.length));
}

/**
 * For IPv4: the one's-complement sum the true source's two 16-bit words must have for the checksum to hold.
 * With a list of candidate addresses (from keepalived.conf) this picks out the real sender.
 */
export function v3RequiredSourceSum(partial: number): number {
  return (0xffff - fold(partial)) & 0xffff;
}
