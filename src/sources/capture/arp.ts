import { macAt } from '../../model/address.js';
import { ipv4Text } from './ip.js';

export interface GarpFields {
  op: number;
  senderMac: string;
  address: string;
}

/** A gratuitous ARP: a request or reply of Ethernet/IPv4 whose sender and target protocol addresses are equal. */
export function isGratuitousArp(b: Uint8Array, p: number, end: number): boolean {
  if (p + 28 > end) return false;
  const htype = (b[p] << 8) | b[p + 1];
  const ptype = (b[p + 2] << 8) | b[p + 3];
  if (htype !== 1 || ptype !== 0x0800 || b[p + 4] !== 6 || b[p + 5] !== 4) return false;
  for (let i = 0; i < 4; i++) if (b[p + 14 + i] !== b[p + 24 + i]) return false;
  return true;
}

/** A gratuitous ARP's fields (isGratuitousArp said it is one), set by name on `into`, the record. */
export function garpFields<R extends object>(into: R, b: Uint8Array, p: number): R & GarpFields {
  const g = into as R & GarpFields;
  g.op = (b[p + 6] << 8) | b[p + 7];
  g.senderMac = macAt(b, p + 8);
  g.address = ipv4Text(b, p + 14);
  return g;
}
