import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';
import { ether, pcapRecord } from '../helpers/craft.js';
import { pack, seedBundle } from '../helpers/bundle.js';
import { runAwaited } from '../helpers/spawn.js';

const BIN = path.join(ROOT, 'bin/run.js');
const run = async (args: string[]) => {
  const r = await runAwaited(process.execPath, [BIN, ...args], { cwd: ROOT });
  return { code: r.code, out: r.stdout, err: r.stderr };
};
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'vf-batch-'));
type Row = { group: string; folders: string[]; members: string[]; hosts: string[]; first: string; last: string; redone?: string; redoneFact?: unknown; status: string; exitStatus: number; findings: Record<string, number>; firstFlip: string | null; report: string; problems: string[] };
const summary = (dir: string, name = 'summary.json') => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { groups: Row[]; skipped: { path: string }[] };

describe('vrrp-forensics batch', () => {
  it('sweeps samples/: one incident per recorded scenario, one report each, a summary in JSON and CSV', async () => {
    const out = tmp();
    const r = await run(['batch', 'samples', '--out', out, '--format', 'json', '--jobs', '2', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const s = summary(out);
    expect(s.groups).toHaveLength(22);
    expect(s.groups.map((g) => g.firstFlip)).toEqual([
      '2026-11-25T05:55:41.743041408Z', null, '2026-11-25T06:22:13.290418697Z', '2026-11-25T06:24:00.614900675Z', '2026-11-25T06:26:50.138249287Z',
      '2026-11-25T09:54:13.997032275Z', '2026-11-25T10:03:49.958883432Z', '2026-11-25T10:11:53.502138141Z', '2026-11-25T10:29:21.827144946Z',
      '2026-11-25T10:34:26.381445014Z', '2026-11-25T10:39:48.654044000Z', '2026-11-25T10:46:12.922815119Z', null,
      '2026-12-01T20:34:42.605047625Z', '2026-12-01T22:33:23.224583542Z', '2026-12-01T22:33:47.282839590Z', '2026-12-01T22:34:12.815009000Z', null,
      // unicast-clash (its stale unicast entry's translation), link-down, firewall-drop and policy-drop (no translation:
      // other causes)
      '2026-12-02T01:01:05.167067000Z', null, null, null,
    ]);
    // the causes other than NAT are findings of their own: no group of a recorded incident is an all-clear but the control
    expect(s.groups.slice(18).map((g) => [g.exitStatus, g.findings['link-down'] ?? 0, g.findings['firewall-drop'] ?? 0])).toEqual([[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 0, 1]]);
    expect(s.groups[1].exitStatus).toBe(0);
    expect(s.groups[4].findings).toMatchObject({ 'split-brain': 1, 'advert-storm': 1, 'vrrp-source-translated': 1 });
    for (const g of s.groups) {
      const j = JSON.parse(readFileSync(path.join(out, g.report), 'utf8'));
      expect(j.schema).toBe('vrrp-forensics/report@1');
      // paths relative to the incident's folder, as analyze writes them
      expect(j.root).toMatch(/^samples\/[\w-]+$/);
      for (const i of j.inputs) expect(i.path.startsWith('samples/')).toBe(false);
    }
    expect(readFileSync(path.join(out, 'summary.csv'), 'utf8').split('\n')[0]).toMatch(/^group,folders,first,last,hosts,files,bytes,vrrp-source-translated,/);
    expect(s.skipped.some((x) => x.path.endsWith('README.md'))).toBe(true);
  }, 60_000);

  it('N shards merged equal one unsharded run', async () => {
    const whole = tmp();
    await run(['batch', 'samples', '--out', whole, '--quiet', '--jobs', '2']);
    const shards = tmp();
    for (const k of [1, 2, 3]) expect((await run(['batch', 'samples', '--out', shards, '--quiet', '--shard', `${k}/3`, '--jobs', '1'])).code).not.toBe(2);
    const m = await run(['batch', 'merge', ...[1, 2, 3].map((k) => path.join(shards, `summary-shard-${k}-of-3.json`)), '-o', path.join(shards, 'summary.json')]);
    expect(m.code).toBe(0);
    expect(summary(shards).groups).toEqual(summary(whole).groups);
    expect(readFileSync(path.join(shards, 'summary.csv'), 'utf8')).toBe(readFileSync(path.join(whole, 'summary.csv'), 'utf8'));
  }, 120_000);

  it('--resume skips groups already done, without touching their reports; a broken file never stops the sweep', async () => {
    const data = tmp();
    mkdirSync(path.join(data, 'gw-b'));
    copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap'), path.join(data, 'gw-b/lan0.pcap'));
    const pcap = readFileSync(path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap'));
    // a capture cut inside a record, and one whose record length is absurd
    writeFileSync(path.join(data, 'gw-b/cut.pcap'), pcap.subarray(0, 700));
    const bad = Buffer.from(pcap.subarray(0, 300));
    bad.writeUInt32LE(0x7fffffff, 24 + 8);
    writeFileSync(path.join(data, 'gw-b/bad.pcap'), bad);
    const out = tmp();
    const first = await run(['batch', data, '--out', out, '--quiet']);
    expect(first.code).toBe(2);
    const s1 = summary(out);
    expect(s1.groups.flatMap((g) => g.problems).join('\n')).toMatch(/bad\.pcap: frame 1 \(byte 24\): record length 2147483647 exceeds/);
    expect(s1.groups.every((g) => g.status === 'done')).toBe(true);
    const reports = readdirSync(out).filter((f) => f.endsWith('.json') && f !== 'summary.json');
    const mtimes = reports.map((f) => statSync(path.join(out, f)).mtimeMs);
    await run(['batch', data, '--out', out, '--quiet', '--resume']);
    expect(summary(out).groups.map((g) => g.status)).toEqual(s1.groups.map(() => 'resumed'));
    expect(reports.map((f) => statSync(path.join(out, f)).mtimeMs)).toEqual(mtimes);
  }, 60_000);

  it('Ctrl-C: no new group starts, and the summary of what was done is written', async () => {
    const out = tmp();
    const child = spawn(process.execPath, [BIN, 'batch', 'samples', '--out', out, '--jobs', '1'], { cwd: ROOT });
    let err = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
        // interrupt as soon as the first group is analysed
        if (/analysed groups 1\//.test(err) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(130);
    const s = summary(out);
    expect(s.groups.filter((g) => g.status === 'done').length).toBeGreaterThanOrEqual(1);
    expect(s.groups.some((g) => g.status === 'interrupted')).toBe(true);
  }, 60_000);
});

/** An IPv6 router solicitation (ICMPv6 133) from a host's link-local address: traffic that is not VRRP evidence. */
function routerSolicitation(): Buffer {
  const icmp = Buffer.from([133, 0, 0, 0, 0, 0, 0, 0]);
  const ip6 = Buffer.alloc(40);
  ip6[0] = 0x60; ip6.writeUInt16BE(icmp.length, 4); ip6[6] = 58; ip6[7] = 255;
  ip6.set([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0, 0xff, 0xfe, 0, 0xb0, 1], 8);
  ip6.set([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], 24);
  return ether('52:54:00:00:b0:01', 0x86dd, Buffer.concat([ip6, icmp]));
}

/** archive/<incident>/<host>/… from two recorded incidents 26 minutes apart, conntrack files in a subfolder of gw-a. */
function archive(): string {
  const root = path.join(tmp(), 'archive');
  for (const [inc, sample] of [['inc-seed', 'seed-snat'], ['inc-clean', 'clean-failover']]) {
    cpSync(path.join(ROOT, 'samples', sample), path.join(root, inc), { recursive: true });
    mkdirSync(path.join(root, inc, 'gw-a/conntrack'));
    for (const f of readdirSync(path.join(root, inc, 'gw-a'))) {
      if (/^(nf_conntrack|conntrack-)/.test(f)) renameSync(path.join(root, inc, 'gw-a', f), path.join(root, inc, 'gw-a/conntrack', f));
    }
  }
  // the seed incident's peer capture ran on: router solicitations every minute until the clean failover's time
  const t0 = Date.UTC(2026, 10, 25, 5, 57) / 1000;
  for (let t = t0; t <= Date.UTC(2026, 10, 25, 6, 21, 40) / 1000; t += 60) appendFileSync(path.join(root, 'inc-seed/gw-b/lan0.pcap'), pcapRecord(routerSolicitation(), t, 0));
  return root;
}

describe('vrrp-forensics batch on archives laid out archive/<incident>/<host>/…', () => {
  it('groups by the span of VRRP evidence: a capture running on with router solicitations does not merge two incidents; each group names its folder, members and hosts', async () => {
    const root = archive();
    const out = tmp();
    expect((await run(['batch', root, '--out', out, '--quiet', '--jobs', '2'])).code).toBe(1);
    const s = summary(out);
    expect(s.groups.map((g) => g.folders)).toEqual([['inc-seed'], ['inc-clean']]);
    expect(s.groups[0].members).toContain('inc-seed/gw-a/conntrack/conntrack-events.log');
    expect(s.groups[0].members).toContain('inc-seed/gw-b/lan0.pcap');
    expect(s.groups[0].members.every((m) => m.startsWith('inc-seed/'))).toBe(true);
    expect(s.groups[0].hosts).toEqual(expect.arrayContaining(['gw-a', 'gw-b']));
    // the span ends with the last VRRP evidence, not the last router solicitation at 06:21
    expect(s.groups[0].last < '2026-11-25T05:57').toBe(true);
    expect(s.groups[0].first).toMatch(/^2026-11-25T05:55:\d\d\.\d{9}Z$/);
    for (const g of s.groups) expect(g.report.startsWith(`${g.folders[0]}--${g.group}.`)).toBe(true);
    const csv = readFileSync(path.join(out, 'summary.csv'), 'utf8').split('\n');
    expect(csv[1]).toContain(',inc-seed,2026-11-25T05:55:');
  }, 60_000);

  it('--per-dir: one incident per folder directly under the given path (not per leaf folder); --depth for deeper layouts; no batch report says "run batch"', async () => {
    const root = archive();
    const out = tmp();
    await run(['batch', root, '--per-dir', '--out', out, '--quiet', '--jobs', '2']);
    const s = summary(out);
    expect(s.groups.map((g) => g.folders).sort()).toEqual([['inc-clean'], ['inc-seed']]);
    expect(s.groups.find((g) => g.folders[0] === 'inc-seed')!.findings).toMatchObject({ 'vrrp-source-translated': 1 });
    // both incidents in one folder: the report warns they are mixed, and does not send the user to batch
    const deep = path.join(tmp(), 'deep');
    cpSync(root, path.join(deep, 'ticket-1'), { recursive: true });
    const out2 = tmp();
    await run(['batch', deep, '--per-dir', '--out', out2, '--quiet', '--jobs', '2']);
    const s2 = summary(out2);
    expect(s2.groups.map((g) => g.folders)).toEqual([['ticket-1']]);
    const report = JSON.parse(readFileSync(path.join(out2, s2.groups[0].report), 'utf8')) as { warnings?: string[] };
    expect(report.warnings?.length).toBe(1);
    expect(report.warnings!.join(' ')).not.toMatch(/run `vrrp-forensics batch`/);
    const out3 = tmp();
    await run(['batch', deep, '--per-dir', '--depth', '2', '--out', out3, '--quiet', '--jobs', '2']);
    expect(summary(out3).groups.map((g) => g.folders).sort()).toEqual([['ticket-1/inc-clean'], ['ticket-1/inc-seed']]);
    expect((await run(['batch', '--help'])).out).toMatch(/--per-dir[\s\S]*directly under each given path/);
  }, 90_000);

  it('--resume re-analyses a group whose report is cut or empty, and skips the intact ones', async () => {
    const root = archive();
    const out = tmp();
    await run(['batch', root, '--out', out, '--quiet', '--jobs', '2']);
    const s = summary(out);
    writeFileSync(path.join(out, s.groups[0].report), readFileSync(path.join(out, s.groups[0].report)).subarray(0, 100));
    writeFileSync(path.join(out, s.groups[1].report), '');
    await run(['batch', root, '--out', out, '--quiet', '--resume', '--jobs', '2']);
    const s2 = summary(out);
    expect(s2.groups.map((g) => g.status)).toEqual(['done', 'done']);
    expect(s2.groups.map((g) => g.redoneFact)).toEqual([{ kind: 'report-changed', report: s.groups[0].report, bytes: 100, expected: expect.any(Number) }, { kind: 'report-changed', report: s.groups[1].report, bytes: 0, expected: expect.any(Number) }]);
    expect(JSON.parse(readFileSync(path.join(out, s2.groups[0].report), 'utf8')).schema).toBe('vrrp-forensics/report@1');
    await run(['batch', root, '--out', out, '--quiet', '--resume']);
    expect(summary(out).groups.map((g) => g.status)).toEqual(['resumed', 'resumed']);
  }, 90_000);

  it('one run at a time per --out: a second is refused with the lock named; a lock left by a dead run is taken over', async () => {
    const out = tmp();
    writeFileSync(path.join(out, '.summary.lock'), `${process.pid} ${os.hostname()}\n`);
    const r = await run(['batch', path.join(ROOT, 'samples/seed-snat/gw-b'), '--out', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\.summary\.lock: another batch run \(pid \d+ on .*\) is writing to this output folder; .*\[E_USAGE\]/);
    expect(existsSync(path.join(out, 'summary.json'))).toBe(false);
    // a shard has its own lock: shards of one sweep share the folder
    expect((await run(['batch', path.join(ROOT, 'samples/seed-snat/gw-b'), '--out', out, '--quiet', '--shard', '1/2'])).code).not.toBe(2);
    writeFileSync(path.join(out, '.summary.lock'), `999999999 ${os.hostname()}\n`);
    expect((await run(['batch', path.join(ROOT, 'samples/seed-snat/gw-b'), '--out', out, '--quiet'])).code).not.toBe(2);
    expect(existsSync(path.join(out, 'summary.json'))).toBe(true);
    expect(existsSync(path.join(out, '.summary.lock'))).toBe(false);
  }, 60_000);

  it('kill -9 of batch: its re-executed child dies with it', async () => {
    const out = tmp();
    const child = spawn(process.execPath, [BIN, 'batch', 'samples', '--out', out, '--jobs', '1'], { cwd: ROOT, env: { ...process.env, UV_THREADPOOL_SIZE: '' } });
    const lock = path.join(out, '.summary.lock');
    // the lock holds the pid of the run doing the work (the child bin/run.js started)
    for (let i = 0; i < 200 && !existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
    const worker = Number(readFileSync(lock, 'utf8').split(' ')[0]);
    expect(worker).not.toBe(child.pid);
    child.kill('SIGKILL');
    const alive = () => {
      try {
        process.kill(worker, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
    expect(readdirSync(out).filter((f) => f.endsWith('.partial'))).toEqual([]);
  }, 60_000);

  it('batch merge of K of N shards is refused (or, with --allow-partial, warned about and named); skipped files listed once', async () => {
    const out = tmp();
    for (const k of [1, 3]) await run(['batch', 'samples', '--out', out, '--quiet', '--shard', `${k}/3`, '--jobs', '2']);
    const parts = [1, 3].map((k) => path.join(out, `summary-shard-${k}-of-3.json`));
    const m = await run(['batch', 'merge', ...parts, '-o', path.join(out, 'summary.json')]);
    expect(m.code).toBe(2);
    expect(m.err).toMatch(/2 of 3 shards given; missing 2\/3/);
    const p = await run(['batch', 'merge', ...parts, parts[0], '--allow-partial', '-o', path.join(out, 'summary.json')]);
    expect(p.code).toBe(2);
    expect(p.err).toMatch(/warning: shards 2\/3 are missing/);
    const merged = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { missingShards: string[]; skipped: { path: string }[] };
    expect(merged.missingShards).toEqual(['2/3']);
    const paths = merged.skipped.map((x) => x.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(new Set(paths).size).toBe(paths.length);
  }, 90_000);

  it('a sos report in an incident folder is read in place: its members join the incident, named archive:member', async () => {
    const root = path.join(tmp(), 'archive');
    mkdirSync(path.join(root, 'inc-seed/gw-b'), { recursive: true });
    const b = seedBundle();
    pack(b.dir, [b.top], path.join(root, 'inc-seed', `${b.top}.tar.xz`), 'tar.xz');
    for (const f of ['lan0.pcap', 'syslog.rfc3339', 'keepalived.conf']) copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-b', f), path.join(root, 'inc-seed/gw-b', f));
    cpSync(path.join(ROOT, 'samples/clean-failover'), path.join(root, 'inc-clean'), { recursive: true });
    const out = tmp();
    expect((await run(['batch', root, '--out', out, '--quiet', '--jobs', '2'])).code).toBe(1);
    const s = summary(out);
    expect(s.groups.map((g) => g.folders)).toEqual([['inc-seed'], ['inc-clean']]);
    expect(s.groups[0].members).toContain(`inc-seed/${b.top}.tar.xz:var/log/messages`);
    expect(s.groups[0].members).toContain(`inc-seed/${b.top}.tar.xz:sos_commands/conntrack/conntrack_-L_-o_extended`);
    expect(s.groups[0].hosts).toEqual(['gw-a', 'gw-b']);
    expect(s.groups[0].findings).toMatchObject({ 'vrrp-source-translated': 1 });
    expect(s.skipped.map((x) => x.path).filter((p) => p.includes('.tar.xz'))).toEqual([]);
  }, 60_000);
});
