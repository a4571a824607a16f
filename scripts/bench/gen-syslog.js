// Generates a large rsyslog traditional log: mostly other programs, ~10% keepalived lines (a storm of discards,
// state changes). Usage: node scripts/bench/gen-syslog.js OUT [lines=1000000]
import { openSync, writeSync, closeSync } from 'node:fs';

const out = process.argv[2];
const n = Number(process.argv[3] ?? 1_000_000);
const fd = openSync(out, 'w');
const other = [
  'gw-175 kernel: [12345.678901] IN=eth0 OUT= MAC=52:54:00:00:a0:01 SRC=203.0.113.9 DST=203.0.113.1 LEN=60 PROTO=TCP SPT=40000 DPT=22',
  'gw-175 sshd[812]: Accepted publickey for ops from 203.0.113.9 port 40000 ssh2: ED25519 SHA256:abcdefghijklmnop',
  'gw-175 CRON[900]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)',
  'gw-175 systemd[1]: Started session-42.scope - Session 42 of User ops.',
];
const ka = [
  'gw-175 Keepalived_vrrp[5040]: (VI_1) received lower priority (145) advert from 203.0.113.1 - discarding',
  'gw-175 Keepalived_vrrp[5040]: (VI_1) Entering MASTER STATE',
  'gw-175 Keepalived_vrrp[5040]: Sending gratuitous ARP on eth0 for 198.51.100.254',
];
let buf = '';
for (let i = 0; i < n; i++) {
  const sec = i % 60;
  const min = Math.floor(i / 60) % 60;
  const hour = Math.floor(i / 3600) % 24;
  const stamp = `Nov 25 ${String(hour).padStart(2, '0')}:${String(min).padStart(2, '0')}:${String(sec).padStart(2, '0')} `;
  buf += stamp + (i % 10 === 0 ? ka[i % 3] : other[i % 4]) + '\n';
  if (buf.length > 1 << 20) {
    writeSync(fd, buf);
    buf = '';
  }
}
writeSync(fd, buf);
closeSync(fd);
