import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/correlate/analyze.js';
import { expandArchive, archiveProblems, listArchive } from '../../../src/sources/archive/members.js';
import { detectKind } from '../../../src/sources/detect.js';
import { openInput } from '../../../src/sources/input.js';
import { ROOT } from '../../helpers/capture.js';
import { pack, seedBundle, sosTree } from '../../helpers/bundle.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'vf-arc-'));

async function bytesOf(name: string): Promise<Buffer> {
  const input = await openInput(name);
  const parts: Buffer[] = [];
  try {
    for await (const c of input.chunks) parts.push(Buffer.from(c));
  } finally {
    input.close();
  }
  return Buffer.concat(parts);
}

const EVIDENCE = [
  'etc/keepalived/keepalived.conf', 'sos_commands/conntrack/conntrack_-L_-o_extended', 'sos_commands/firewall_tables/iptables-save',
  'sos_commands/firewall_tables/iptables_-t_nat_-nvL', 'var/log/messages', 'var/log/messages-20261124.gz',
];

describe('archives read in place', () => {
  const b = sosTree('seed-snat', 'gw-a', { conntrack: 'conntrack-L.1795586164', iptables: 'iptables-save.3-notrack', date: 'Wed Nov 25 05:56:04 UTC 2026', rotated: 'syslog.rfc3339' });
  const src = path.join(b.dir, b.top);

  for (const how of ['tar', 'tar.gz', 'tar.xz', 'tar.zst', 'zip', 'tar-gnu', 'tar-pax'] as const) {
    it(`${how}: the sos report's evidence members listed by content, their bytes as on disk, hostname and collection time known`, async () => {
      const file = pack(b.dir, [b.top], path.join(tmp(), `${b.top}.${how === 'zip' ? 'zip' : how.startsWith('tar-') ? 'tar' : how}`), how);
      const arc = (await expandArchive(file))!;
      expect(arc.members.map((m) => m.slice(file.length + 1))).toEqual(EVIDENCE);
      expect(archiveProblems(arc.listing)).toEqual([]);
      expect(arc.listing.sos).toEqual({ host: 'gw-a', collectedAt: BigInt(Date.UTC(2026, 10, 25, 5, 56, 4)) * 1_000_000n });
      // the networking listing and the journal's disk usage are of no known kind: counted, not listed
      expect(arc.listing.skipped).toBe(2);
      expect(await bytesOf(`${file}:var/log/messages`)).toEqual(readFileSync(path.join(src, 'var/log/messages')));
      // a gzip member is read as a gzip file is: decompressed
      expect(await bytesOf(`${file}:var/log/messages-20261124.gz`)).toEqual(readFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/syslog.rfc3339')));
      expect((await detectKind(`${file}:sos_commands/conntrack/conntrack_-L_-o_extended`)).kind).toBe('conntrack');
      expect((await detectKind(`${file}:var/log/messages-20261124.gz`))).toMatchObject({ kind: 'syslog', gzip: true });
    });
  }

  it('a large member is streamed again when read (not kept), by seeking in a plain tar and by walking a compressed one', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'logs'));
    // 6 MB of syslog lines: over the size kept from the listing walk
    const line = readFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/syslog'));
    const big = Buffer.concat(Array.from({ length: Math.ceil(6e6 / line.length) }, () => line));
    writeFileSync(path.join(dir, 'logs/messages'), big);
    writeFileSync(path.join(dir, 'logs/after'), line);
    for (const how of ['tar', 'tar.xz'] as const) {
      const file = pack(dir, ['logs'], path.join(tmp(), `l.${how}`), how);
      const l = (await listArchive(file))!;
      // (the one top folder is left out of member names, as a sos report's is)
      expect(l.members.get('messages')!.content).toBeUndefined();
      expect(l.members.get('after')!.content).toBeDefined();
      expect((await bytesOf(`${file}:messages`)).equals(big)).toBe(true);
    }
  });

  it('nested one level: a ticket zip holding a sos report (tar.xz) and captures; citations name both archives', async () => {
    const dir = tmp();
    pack(b.dir, [b.top], path.join(dir, `${b.top}.tar.xz`), 'tar.xz');
    mkdirSync(path.join(dir, 'gw-b'));
    copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap'), path.join(dir, 'gw-b/lan0.pcap'));
    const zip = pack(dir, [`${b.top}.tar.xz`, 'gw-b'], path.join(tmp(), 'ticket-4711.zip'), 'zip');
    const arc = (await expandArchive(zip))!;
    expect(arc.members).toContain(`${zip}:gw-b/lan0.pcap`);
    expect(arc.members).toContain(`${zip}:${b.top}.tar.xz:var/log/messages`);
    expect(await bytesOf(`${zip}:${b.top}.tar.xz:var/log/messages`)).toEqual(readFileSync(path.join(src, 'var/log/messages')));
    const r = await analyze([zip], { tz: 'UTC' });
    const f = r.findings.find((x) => x.kind === 'vrrp-source-translated')!;
    expect(f.router).toBe('gw-a');
    const cites = f.transitions!.map((t) => t.file);
    // gw-a's transitions cite its log inside the sos report inside the zip (the rotated copy: the precise one)
    expect(cites).toContain(`${zip}:${b.top}.tar.xz:var/log/messages-20261124.gz`);
  });

  it('analyze over a sos report and the peer\'s folder: the bundle\'s host, its collection time as the snapshots\' dump time, citations member:line', async () => {
    const bundle = pack(seedBundle().dir, [seedBundle().top], path.join(tmp(), 'sosreport-gw-a.tar.xz'), 'tar.xz');
    const r = await analyze([bundle, path.join(ROOT, 'samples/seed-snat/gw-b')], { tz: 'UTC' });
    const ct = r.inputs.find((i) => i.path === `${bundle}:sos_commands/conntrack/conntrack_-L_-o_extended`)!;
    expect(ct).toMatchObject({ kind: 'conntrack', host: 'gw-a' });
    expect(ct.first).toBe(BigInt(Date.UTC(2026, 10, 25, 5, 56, 4)) * 1_000_000n);
    // the nat listing is read as the rules it shows, cited by its own lines
    const listing = r.inputs.find((i) => i.path === `${bundle}:sos_commands/firewall_tables/iptables_-t_nat_-nvL`)!;
    expect(listing).toMatchObject({ kind: 'iptables', records: 2, host: 'gw-a' });
    const conf = r.inputs.find((i) => i.path === `${bundle}:etc/keepalived/keepalived.conf`)!;
    expect(conf).toMatchObject({ host: 'gw-a', hostFrom: 'bundle' });
    const f = r.findings.find((x) => x.kind === 'vrrp-source-translated')!;
    expect(f).toMatchObject({ router: 'gw-a', translatedSource: '203.0.113.1' });
    const t = f.transitions!.find((x) => x.host === 'gw-a' && x.to === 'MASTER')!;
    expect(t).toMatchObject({ file: `${bundle}:var/log/messages`, line: 22 });
  });

  it('a zip over the kept size inside a tar is named as not read, never guessed at', async () => {
    const dir = tmp();
    mkdirSync(path.join(dir, 'in'));
    writeFileSync(path.join(dir, 'in/noise.bin'), Buffer.alloc(5 << 20, 7));
    // stored, not deflated: the zip itself is over 4 MiB
    const r = spawnSync('zip', ['-q0r', path.join(dir, 'big.zip'), 'in'], { cwd: dir });
    expect(r.status).toBe(0);
    const file = pack(dir, ['big.zip'], path.join(tmp(), 'outer.tar'), 'tar');
    const arc = (await expandArchive(file))!;
    expect(archiveProblems(arc.listing).map((p) => p.toLine())).toEqual([`${file}:big.zip: nested zip over 4 MiB inside another archive: not read (extract it, or give it on its own) [E_BAD_LENGTH]`]);
  });
});
