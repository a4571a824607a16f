/** Builders for small crafted captures: each test states exactly the bytes it feeds. */
export function pcapHeader(linkType: number, opts: { le?: boolean; nano?: boolean; snaplen?: number } = {}): Buffer {
  const le = opts.le ?? true;
  const b = Buffer.alloc(24);
  const magic = opts.nano ? 0xa1b23c4d : 0xa1b2c3d4;
  if (le) {
    b.writeUInt32LE(magic, 0); b.writeUInt16LE(2, 4); b.writeUInt16LE(4, 6); b.writeUInt32LE(opts.snaplen ?? 262144, 16); b.writeUInt32LE(linkType, 20);
  } else {
    b.writeUInt32BE(magic, 0); b.writeUInt16BE(2, 4); b.writeUInt16BE(4, 6); b.writeUInt32BE(opts.snaplen ?? 262144, 16); b.writeUInt32BE(linkType, 20);
  }
  return b;
}

export function pcapRecord(data: Buffer, sec: number, frac: number, le = true): Buffer {
  const h = Buffer.alloc(16);
  const w = (v: number, o: number) => (le ? h.writeUInt32LE(v, o) : h.writeUInt32BE(v, o));
  w(sec, 0); w(frac, 4); w(data.length, 8); w(data.length, 12);
  return Buffer.concat([h, data]);
}

function csum(b: Buffer): number {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += b.readUInt16BE(i);
  if (b.length % 2) s += b[b.length - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

export function ipv4(src: number[], dst: number[], proto: number, payload: Buffer, ttl = 255): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45; h.writeUInt16BE(20 + payload.length, 2); h[8] = ttl; h[9] = proto;
  h.set(src, 12); h.set(dst, 16);
  h.writeUInt16BE(csum(h), 10);
  return Buffer.concat([h, payload]);
}

/** A VRRPv2 advert with a valid checksum. */
export function vrrp2(vrid: number, prio: number, vips: number[][], auth?: string, interval = 1): Buffer {
  const b = Buffer.alloc(8 + vips.length * 4 + (auth !== undefined ? 8 : 0));
  b[0] = 0x21; b[1] = vrid; b[2] = prio; b[3] = vips.length; b[4] = auth !== undefined ? 1 : 0; b[5] = interval;
  vips.forEach((v, i) => b.set(v, 8 + i * 4));
  if (auth !== undefined) b.write(auth.slice(0, 8), 8 + vips.length * 4, 'latin1');
  b.writeUInt16BE(csum(b), 6);
  return b;
}

/** A VRRPv3/IPv4 advert whose checksum is computed over the pseudo-header with `src`. */
export function vrrp3(src: number[], dst: number[], vrid: number, prio: number, vips: number[][], intervalCs = 100): Buffer {
  const b = Buffer.alloc(8 + vips.length * 4);
  b[0] = 0x31; b[1] = vrid; b[2] = prio; b[3] = vips.length; b.writeUInt16BE(intervalCs & 0x0fff, 4);
  vips.forEach((v, i) => b.set(v, 8 + i * 4));
  const pseudo = Buffer.concat([Buffer.from(src), Buffer.from(dst), Buffer.from([0, 112]), Buffer.from([b.length >> 8, b.length & 0xff]), b]);
  b.writeUInt16BE(csum(pseudo), 6);
  return b;
}

export function ether(src: string, type: number, payload: Buffer, tags: [number, number][] = []): Buffer {
  const mac = (m: string) => Buffer.from(m.split(':').map((x) => parseInt(x, 16)));
  const parts = [mac('01:00:5e:00:00:12'), mac(src)];
  for (const [tpid, vid] of tags) {
    const t = Buffer.alloc(4); t.writeUInt16BE(tpid, 0); t.writeUInt16BE(vid, 2); parts.push(t);
  }
  const et = Buffer.alloc(2); et.writeUInt16BE(type, 0);
  return Buffer.concat([...parts, et, payload]);
}

/** A VRRPv3/IPv4 advert whose checksum covers the VRRP message alone, as Cisco IOS computes it (no pseudo-header). */
export function vrrp3NoPseudo(vrid: number, prio: number, vips: number[][], intervalCs = 100): Buffer {
  const b = Buffer.alloc(8 + vips.length * 4);
  b[0] = 0x31; b[1] = vrid; b[2] = prio; b[3] = vips.length; b.writeUInt16BE(intervalCs & 0x0fff, 4);
  vips.forEach((v, i) => b.set(v, 8 + i * 4));
  b.writeUInt16BE(csum(b), 6);
  return b;
}

/**
 * A CARP advertisement (OpenBSD ip_carp.h, struct carp_header; 36 bytes): version 2 | type 1, vhid, advskew,
 * authlen 7 (32-bit words of counter + HMAC), demotion, advbase, checksum over the header alone, an 8-byte counter
 * and a 20-byte SHA1 HMAC.
 */
export function carp(vhid: number, advskew: number, advbase = 1, opts: { demotion?: number; counter?: bigint; version?: number } = {}): Buffer {
  const b = Buffer.alloc(36);
  b[0] = ((opts.version ?? 2) << 4) | 1; b[1] = vhid; b[2] = advskew; b[3] = 7; b[4] = opts.demotion ?? 0; b[5] = advbase;
  b.writeBigUInt64BE(opts.counter ?? 0x0123456789abcdefn, 8);
  for (let i = 0; i < 20; i++) b[16 + i] = (i * 37 + vhid) & 0xff; // an HMAC's worth of bytes
  b.writeUInt16BE(csum(b), 6);
  return b;
}

/**
 * 802.1ah (PBB) framing: backbone addresses, optional B-tag (802.1ad), ethertype 0x88E7, the 4-byte I-tag (PCP/DEI/UCA
 * + 24-bit I-SID), then the customer's whole Ethernet frame.
 */
export function pbb(isid: number, inner: Buffer, btag?: number): Buffer {
  const mac = (m: string) => Buffer.from(m.split(':').map((x) => parseInt(x, 16)));
  const parts = [mac('00:1e:83:00:00:02'), mac('00:1e:83:00:00:01')];
  if (btag !== undefined) {
    const t = Buffer.alloc(4); t.writeUInt16BE(0x88a8, 0); t.writeUInt16BE(btag, 2); parts.push(t);
  }
  const itag = Buffer.alloc(6); itag.writeUInt16BE(0x88e7, 0); itag.writeUInt32BE(isid & 0xffffff, 2);
  return Buffer.concat([...parts, itag, inner]);
}
