import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './capture.js';

/**
 * A sos report's layout (sos ≥ 4 names, as remembered: not checked against sos's source) built from a recorded
 * gateway of samples/: hostname, the collection date, keepalived.conf, the syslog as var/log/messages (and an older
 * rotated copy gzipped), conntrack -L -o extended, iptables-save, and files of no interest (networking listings).
 */
export function sosTree(sample: string, host: string, opts: { conntrack: string; iptables: string; date: string; rotated?: string }): { dir: string; top: string } {
  const src = path.join(ROOT, 'samples', sample, host);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-sos-'));
  const top = `sosreport-${host}-2026-11-25-abcdef`;
  const r = path.join(dir, top);
  for (const d of ['sos_commands/host', 'sos_commands/date', 'sos_commands/conntrack', 'sos_commands/firewall_tables', 'sos_commands/networking', 'sos_commands/logs', 'etc/keepalived', 'var/log']) mkdirSync(path.join(r, d), { recursive: true });
  writeFileSync(path.join(r, 'hostname'), `${host}\n`);
  writeFileSync(path.join(r, 'sos_commands/host/hostname'), `${host}\n`);
  writeFileSync(path.join(r, 'sos_commands/date/date'), `${opts.date}\n`);
  copyFileSync(path.join(src, opts.conntrack), path.join(r, 'sos_commands/conntrack/conntrack_-L_-o_extended'));
  copyFileSync(path.join(src, opts.iptables), path.join(r, 'sos_commands/firewall_tables/iptables-save'));
  // the nat table's listing as iptables printed it for that ruleset (test/fixtures/iptables-listing)
  const listing = path.join(ROOT, 'test/fixtures/iptables-listing', `${opts.iptables}.nat-nvL`);
  if (existsSync(listing)) copyFileSync(listing, path.join(r, 'sos_commands/firewall_tables/iptables_-t_nat_-nvL'));
  copyFileSync(path.join(src, 'keepalived.conf'), path.join(r, 'etc/keepalived/keepalived.conf'));
  copyFileSync(path.join(src, 'syslog'), path.join(r, 'var/log/messages'));
  if (opts.rotated) writeFileSync(path.join(r, 'var/log/messages-20261124.gz'), gzipSync(readFileSync(path.join(src, opts.rotated))));
  writeFileSync(path.join(r, 'sos_commands/networking/ip_-o_addr'), '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n');
  writeFileSync(path.join(r, 'sos_commands/logs/journalctl_--disk-usage'), 'Archived and active journals take up 8.0M in the file system.\n');
  return { dir, top };
}

/** Packs a folder's entries with the system's tar/zip (as a user's machine would make the archive). */
export function pack(dir: string, entries: string[], out: string, how: 'tar' | 'tar.gz' | 'tar.xz' | 'tar.zst' | 'zip' | 'tar-gnu' | 'tar-pax'): string {
  const args: Record<typeof how, string[]> = {
    tar: ['tar', '-cf', out], 'tar.gz': ['tar', '-czf', out], 'tar.xz': ['tar', '-cJf', out], 'tar.zst': ['tar', '--zstd', '-cf', out],
    zip: ['zip', '-qr', out], 'tar-gnu': ['tar', '--format=gnu', '-cf', out], 'tar-pax': ['tar', '--format=pax', '-cf', out],
  };
  const [cmd, ...rest] = args[how];
  const r = spawnSync(cmd, [...rest, ...entries], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return out;
}

/** The seed-snat incident's gw-a as a sos report, collected at 05:56:04 (after the fix). */
export function seedBundle(): { dir: string; top: string } {
  return sosTree('seed-snat', 'gw-a', { conntrack: 'conntrack-L.1795586164', iptables: 'iptables-save.3-notrack', date: 'Wed Nov 25 05:56:04 UTC 2026' });
}
