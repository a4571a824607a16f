// Generates a large /proc/net/nf_conntrack dump: a date line, then N entries (mostly tcp/udp, some VRRP/IGMP, one
// poisoned VRRP entry). Usage: node scripts/bench/gen-conntrack.js OUT [entries=262144]
import { openSync, writeSync, closeSync } from 'node:fs';

const out = process.argv[2];
const n = Number(process.argv[3] ?? 262144);
const fd = openSync(out, 'w');
let buf = 'Wed Nov 25 05:55:08 UTC 2026\n';
for (let i = 0; i < n; i++) {
  const a = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const sport = 1024 + (i % 60000);
  let line;
  if (i === 4242) line = 'ipv4     2 unknown  112 599 src=198.51.100.175 dst=224.0.0.18 packets=11662 bytes=466480 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 packets=0 bytes=0 mark=0 zone=0 delta-time=11662 use=2';
  else if (i % 3 === 0) line = `ipv4     2 udp      17 ${i % 180} src=${a} dst=198.51.100.53 sport=${sport} dport=53 packets=1 bytes=72 src=198.51.100.53 dst=203.0.113.1 sport=53 dport=${sport} packets=1 bytes=120 mark=0 zone=0 delta-time=${i % 300} use=2`;
  else line = `ipv4     2 tcp      6 ${431999 - (i % 1000)} ESTABLISHED src=${a} dst=192.0.2.80 sport=${sport} dport=443 packets=${i % 900} bytes=${i * 7} src=192.0.2.80 dst=203.0.113.1 sport=443 dport=${sport} packets=${i % 800} bytes=${i * 5} [ASSURED] mark=0 zone=0 delta-time=${i % 5000} use=2`;
  buf += line + '\n';
  if (buf.length > 1 << 20) {
    writeSync(fd, buf);
    buf = '';
  }
}
writeSync(fd, buf);
closeSync(fd);
