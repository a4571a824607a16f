// Generates an advert storm shaped like the recorded split-brain sample (samples/split-brain: two gateways, equal
// priority 100, gw-a's adverts SNAT-ed to 192.0.2.1, below gw-b's address, so each forces a new election on hearing
// the other): start-up, both MASTER after a VRRP outage, then `seconds` of storm in which each gateway, per forced
// election, logs "Received advert … forcing new election", queues gratuitous ARPs and sends 5 of them, and sends an
// advert. Both captures see every packet of the LAN; each log is written twice as rsyslog does (traditional and
// RFC 3339), everything gzipped. Defaults give the size: 1.37 M packets, 1.6 M log lines.
//
//   node scripts/bench/gen-storm.js OUTDIR [elections per second per gateway=3800] [seconds=15]
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pcapHeader } from './pcap-file.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = process.argv[2];
const rate = Number(process.argv[3] ?? 3800);
const seconds = Number(process.argv[4] ?? 15);
if (!out) {
  console.error('usage: gen-storm.js OUTDIR [elections/s per gateway] [seconds]');
  process.exit(2);
}

const T0 = 1_795_588_006; // 2026-11-25T06:26:46Z
const GW = {
  a: { name: 'gw-a', real: [198, 51, 100, 177], wire: [192, 0, 2, 1], mac: '52540000a001', pid: 27860, parent: 27859, heard: '198.51.100.176' },
  b: { name: 'gw-b', real: [198, 51, 100, 176], wire: [198, 51, 100, 176], mac: '52540000b001', pid: 5712, parent: 5711, heard: '192.0.2.1' },
};

function csum(b, start, end) {
  let s = 0;
  for (let i = start; i < end; i += 2) s += (b[i] << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/** VRRPv2 advert (vrid 150, priority 100, PASS auth) from the gateway's wire address */
function advert(gw) {
  const b = Buffer.alloc(14 + 20 + 20);
  Buffer.from(`01005e000012${gw.mac}0800`, 'hex').copy(b, 0);
  b[14] = 0x45;
  b.writeUInt16BE(40, 16);
  b[22] = 255;
  b[23] = 112;
  b.set(gw.wire, 26);
  b.set([224, 0, 0, 18], 30);
  b.writeUInt16BE(csum(b, 14, 34), 24);
  const v = Buffer.concat([Buffer.from('2196640101010000c63364fe', 'hex'), Buffer.from('s3cr3t-v')]);
  v.writeUInt16BE(csum(v, 0, v.length), 6);
  v.copy(b, 34);
  return b;
}

/** gratuitous ARP request for the VIP 198.51.100.254 from the gateway's MAC */
function garp(gw) {
  return Buffer.from(`ffffffffffff${gw.mac}08060001080006040001${gw.mac}c63364fe000000000000c63364fe`, 'hex');
}

class Pcap {
  constructor(file) {
    this.fd = openSync(file, 'w');
    this.buf = Buffer.alloc(8 << 20);
    this.used = 0;
    writeSync(this.fd, pcapHeader());
  }
  add(us, data) {
    if (this.used + 16 + data.length > this.buf.length) this.flush();
    this.buf.writeUInt32LE(Math.floor(us / 1e6), this.used);
    this.buf.writeUInt32LE(us % 1e6, this.used + 4);
    this.buf.writeUInt32LE(data.length, this.used + 8);
    this.buf.writeUInt32LE(data.length, this.used + 12);
    data.copy(this.buf, this.used + 16);
    this.used += 16 + data.length;
  }
  flush() {
    writeSync(this.fd, this.buf, 0, this.used);
    this.used = 0;
  }
  close() {
    this.flush();
    closeSync(this.fd);
  }
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** one gateway's log, written twice: rsyslog's traditional and RFC 3339 (µs) copies */
class Log {
  constructor(dir, gw) {
    this.gw = gw;
    this.trad = openSync(path.join(dir, 'syslog'), 'w');
    this.hp = openSync(path.join(dir, 'syslog.rfc3339'), 'w');
    this.a = '';
    this.b = '';
  }
  line(us, child, msg) {
    const d = new Date(Math.floor(us / 1000));
    const iso = d.toISOString();
    const prog = child ? `Keepalived_vrrp[${this.gw.pid}]` : `Keepalived[${this.gw.parent}]`;
    this.a += `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${iso.slice(11, 19)} ${this.gw.name} ${prog}: ${msg}\n`;
    this.b += `${iso.slice(0, 19)}.${String(us % 1e6).padStart(6, '0')}+00:00 ${this.gw.name} ${prog}: ${msg}\n`;
    if (this.a.length > 1 << 20) this.flush();
  }
  flush() {
    writeSync(this.trad, this.a);
    writeSync(this.hp, this.b);
    this.a = '';
    this.b = '';
  }
  close() {
    this.flush();
    closeSync(this.trad);
    closeSync(this.hp);
  }
}

mkdirSync(path.join(out, 'gw-a'), { recursive: true });
mkdirSync(path.join(out, 'gw-b'), { recursive: true });
for (const g of ['gw-a', 'gw-b']) copyFileSync(path.join(root, 'samples/split-brain', g, 'keepalived.conf'), path.join(out, g, 'keepalived.conf'));
const caps = [new Pcap(path.join(out, 'gw-a/lan0.pcap')), new Pcap(path.join(out, 'gw-b/any.pcap'))];
const logs = { a: new Log(path.join(out, 'gw-a'), GW.a), b: new Log(path.join(out, 'gw-b'), GW.b) };
const ADV = { a: advert(GW.a), b: advert(GW.b) };
const GARP = { a: garp(GW.a), b: garp(GW.b) };
const wire = (us, data) => caps.forEach((c) => c.add(us, data));
const VIP = 'lan0 for 198.51.100.254';

// start-up (both BACKUP), then the outage: each times out into MASTER and sends its first advert and GARPs
const s0 = T0 * 1e6 + 520_000;
for (const [k, off] of [['b', 0], ['a', 19]]) {
  const l = logs[k];
  l.line(s0 + off, false, 'Starting Keepalived v2.2.7 (01/16,2022)');
  l.line(s0 + off + 1000, true, '(VI_1) Entering BACKUP STATE (init)');
}
const masterAt = { b: (T0 + 4) * 1e6 + 128_778, a: (T0 + 4) * 1e6 + 138_261 };
const conntrack = openSync(path.join(out, 'gw-a/conntrack-events.log'), 'w');
writeSync(conntrack, `[${T0 + 4}.138307]\t    [NEW] unknown  112 600 src=198.51.100.177 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=192.0.2.1\n`);
closeSync(conntrack);
/** one election (or the first MASTER turn) of gateway k at time us: its log lines and its packets */
function turn(k, us, reason) {
  const l = logs[k];
  l.line(us, true, reason);
  l.line(us + 20, true, `(VI_1) Sending/queueing gratuitous ARPs on ${VIP}`);
  wire(us + 10, ADV[k]);
  for (let g = 0; g < 5; g++) {
    l.line(us + 30 + g * 6, true, `Sending gratuitous ARP on ${VIP}`);
    wire(us + 30 + g * 6, GARP[k]);
  }
}
const first = [['b', masterAt.b], ['a', masterAt.a]];
for (const [k, us] of first) {
  logs[k].line(us - 90, true, '(VI_1) Receive advertisement timeout');
  turn(k, us, '(VI_1) Entering MASTER STATE');
}
// an advert a second while the outage lasts (each drops the other's)
for (let s = 1; s <= 2; s++) for (const [k, us] of first) wire(us + s * 1e6, ADV[k]);
// the storm: elections alternate between the gateways, `rate` a second each
const stormStart = (T0 + 7) * 1e6 + 129_557;
const step = 1e6 / (2 * rate);
for (let i = 0; i < 2 * rate * seconds; i++) {
  const k = i % 2 ? 'a' : 'b';
  turn(k, Math.round(stormStart + i * step), `(VI_1) Received advert from ${GW[k].heard} with lower priority 100, ours 100, forcing new election`);
}
const end = Math.round(stormStart + 2 * rate * seconds * step) + 1000;
for (const k of ['a', 'b']) {
  logs[k].line(end, false, 'Stopping');
  logs[k].line(end + 50, true, '(VI_1) sent 0 priority');
  logs[k].line(end + 900_000, false, 'Stopped Keepalived v2.2.7 (01/16,2022)');
  logs[k].close();
}
caps.forEach((c) => c.close());
execFileSync('sh', ['-c', `gzip -1 -f ${out}/gw-a/lan0.pcap ${out}/gw-b/any.pcap ${out}/gw-*/syslog ${out}/gw-*/syslog.rfc3339`]);
