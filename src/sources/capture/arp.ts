import { macAt } from '../../model/address.js';
import { ipv4Text } from './ip.js';

export interface GarpFields {
  op: number;
  senderMac: string;
  address: string;
}

/** A gratuitous ARP (request or reply whose sender and target protocol addresses are equal), or null. */
export function decodeGratuitousArp(b: Uint8Array, p: number, end: number): GarpFields | null {
  if (p + 28 > end) return null;
  const htype = (b[p] << 8) | b[p + 1];
  const ptype = (b[p + 2] << 8) | b[p + 3];
  if (htype !== 1 || ptype !== 0x0800 || b[p + 4] !== 6 || b[p + 5] !== 4) return null;
  const op = (b[p + 6] << 8) | b[p + 7];
  for (let i = 0; i < 4; i++) if (b[p + 14 + i] !== b[p + 24 + i]) return null;
  return { op, senderMac: macAt(b, p + 8), address: ipv4Text(b, p + 14) };
}
