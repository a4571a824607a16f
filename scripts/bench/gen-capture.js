// Generates a large Ethernet pcap: mixed-size UDP/TCP traffic with one VRRPv2 advert per second of capture time.
// Usage: node scripts/bench/gen-capture.js OUT.pcap [packets=1000000] [start epoch s=1795586000] [random]
// "random" fills payloads with random bytes, so the file compresses like real traffic (for gzipped archive sweeps).
import { openSync, writeSync, closeSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { pcapHeader } from './pcap-file.js';

const out = process.argv[2];
const total = Number(process.argv[3] ?? 1_000_000);
if (!out) {
  console.error('usage: gen-capture.js OUT.pcap [packets]');
  process.exit(2);
}

function csum(b, start, end) {
  let s = 0;
  for (let i = start; i < end; i += 2) s += (b[i] << 8) | b[i + 1];
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

function frame(len, proto, src, vrrp) {
  const b = Buffer.alloc(len);
  Buffer.from('01005e000012525400a00001', 'hex').copy(b, 0);
  b.writeUInt16BE(0x0800, 12);
  b[14] = 0x45;
  b.writeUInt16BE(len - 14, 16);
  b[22] = vrrp ? 255 : 64;
  b[23] = proto;
  b.set(src, 26);
  b.set(vrrp ? [224, 0, 0, 18] : [203, 0, 113, 9], 30);
  b.writeUInt16BE(csum(b, 14, 34), 24);
  if (vrrp) {
    const v = Buffer.from('2196960101010000c63364fe', 'hex');
    v.writeUInt16BE(csum(v, 0, v.length), 6);
    v.copy(b, 34);
  }
  return b;
}

// A few templates of mixed sizes (64 … 1514 bytes), mean ≈ 520 bytes: about 530 MB for 1M packets.
const sizes = [64, 98, 150, 342, 576, 1514, 1514, 60, 1200, 1514, 128, 1020];
const templates = sizes.map((s, i) => frame(s, i % 2 ? 17 : 6, [198, 51, 100, 10 + i], false));
const advert = frame(54, 112, [198, 51, 100, 175], true);

const fd = openSync(out, 'w');
writeSync(fd, pcapHeader());

const BUF = Buffer.alloc(8 << 20);
let used = 0;
const flush = () => {
  writeSync(fd, BUF, 0, used);
  used = 0;
};
const start = Number(process.argv[4] ?? 1_795_586_000);
const random = process.argv[5] === 'random';
const POOL = random ? randomFillSync(Buffer.alloc(8 << 20)) : Buffer.alloc(0);
let poolAt = 0;
const perSecond = 1000; // packets per second of capture time → 1 advert per 1000 packets
for (let i = 0; i < total; i++) {
  const isAdvert = i % perSecond === 0;
  const data = isAdvert ? advert : templates[i % templates.length];
  if (used + 16 + data.length > BUF.length) flush();
  const sec = start + Math.floor(i / perSecond);
  const usec = (i % perSecond) * 1000 + 7;
  BUF.writeUInt32LE(sec, used);
  BUF.writeUInt32LE(usec, used + 4);
  BUF.writeUInt32LE(data.length, used + 8);
  BUF.writeUInt32LE(data.length, used + 12);
  data.copy(BUF, used + 16);
  if (random && !isAdvert && data.length > 54) {
    // payload after the headers from a random pool (larger than gzip's 32 KB window, so it does not compress)
    const n = data.length - 54;
    if (poolAt + n > POOL.length) poolAt = (poolAt * 7919) % 4096;
    POOL.copy(BUF, used + 16 + 54, poolAt, poolAt + n);
    poolAt += n;
  }
  used += 16 + data.length;
}
flush();
closeSync(fd);
