import type { CarpFields } from '../../model/records.js';
import { sum16, sumIsValid } from './checksum.js';
import type { IpHeader } from './ip.js';

/** struct carp_header (OpenBSD netinet/ip_carp.h): 8 bytes of fields, an 8-byte counter, a 20-byte SHA1 HMAC. */
export const CARP_LENGTH = 36;
/** carp_authlen: counter + HMAC in 32-bit words */
const CARP_AUTHLEN = 7;

/**
 * Is this IP protocol 112 payload CARP rather than VRRP? Wireshark's CARP dissector (packet-carp.c) asks for version 1
 * or 2, type 1 (advertisement) and authlen 7. A VRRPv2 advert can start with the same bytes (version 2, type 1, seven
 * addresses), but then it is 8 + 7×4 + 8 (auth data) = 44 bytes long: CARP is exactly 36, as the IP header declares
 * it — so the decision holds for a truncated capture too, and never takes a real VRRPv2 advert.
 */
export function isCarp(b: Uint8Array, ip: IpHeader): boolean {
  const p = ip.payloadStart;
  if (ip.declaredLength !== CARP_LENGTH || p + 4 > ip.payloadEnd) return false;
  const version = b[p] >> 4;
  return (version === 1 || version === 2) && (b[p] & 0x0f) === 1 && b[p + 3] === CARP_AUTHLEN;
}

/**
 * Decodes a CARP header as far as it was captured, onto `into` (the record: its fields set by name, in this order — see
 * decode.ts); the checksum is checked only on a whole header.
 */
export function decodeCarp<R extends object>(b: Uint8Array, ip: IpHeader, into: R): R & CarpFields {
  const p = ip.payloadStart;
  const avail = ip.payloadEnd - p;
  const f = into as R & CarpFields;
  f.version = b[p] >> 4;
  f.type = b[p] & 0x0f;
  f.checksumStatus = 'unknown';
  f.length = ip.declaredLength;
  f.truncated = avail < CARP_LENGTH;
  f.vhid = b[p + 1];
  f.advskew = b[p + 2];
  f.authLen = b[p + 3];
  if (avail < 8) return f;
  f.demotion = b[p + 4];
  f.advbase = b[p + 5];
  f.checksum = (b[p + 6] << 8) | b[p + 7];
  if (avail < CARP_LENGTH) return f;
  let counter = '';
  for (let i = 8; i < 16; i++) counter += b[p + i].toString(16).padStart(2, '0');
  f.counter = counter;
  f.checksumStatus = sumIsValid(sum16(b, p, p + CARP_LENGTH)) ? 'ok' : 'bad';
  return f;
}
