import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';

const BIN = path.join(ROOT, 'bin/run.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'vf-batch-'));
type Row = { group: string; status: string; exitStatus: number; findings: Record<string, number>; firstFlip: string | null; report: string; problems: string[] };
const summary = (dir: string, name = 'summary.json') => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { groups: Row[]; skipped: { path: string }[] };

describe('vrrp-forensics batch', () => {
  it('sweeps samples/: one incident per recorded scenario, one report each, a summary in JSON and CSV', () => {
    const out = tmp();
    const r = run(['batch', 'samples', '--out', out, '--format', 'json', '--jobs', '2', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    const s = summary(out);
    expect(s.groups).toHaveLength(14);
    expect(s.groups.map((g) => g.firstFlip)).toEqual([
      '2026-11-25T05:55:41.743041408Z', null, '2026-11-25T06:22:13.290418697Z', '2026-11-25T06:24:00.614900675Z', '2026-11-25T06:26:50.138249287Z',
      '2026-11-25T09:54:13.997032275Z', '2026-11-25T10:03:49.958883432Z', '2026-11-25T10:11:53.502138141Z', '2026-11-25T10:29:21.827144946Z',
      '2026-11-25T10:34:26.381445014Z', '2026-11-25T10:39:48.654044000Z', '2026-11-25T10:46:12.922815119Z', null,
      '2026-12-01T20:34:42.605047625Z',
    ]);
    expect(s.groups[1].exitStatus).toBe(0);
    expect(s.groups[4].findings).toMatchObject({ 'split-brain': 1, 'advert-storm': 1, 'vrrp-source-translated': 1 });
    for (const g of s.groups) {
      const j = JSON.parse(readFileSync(path.join(out, g.report), 'utf8'));
      expect(j.schema).toBe('vrrp-forensics/report@1');
      // paths relative to the incident's folder, as analyze writes them
      expect(j.root).toMatch(/^samples\/[\w-]+$/);
      for (const i of j.inputs) expect(i.path.startsWith('samples/')).toBe(false);
    }
    expect(readFileSync(path.join(out, 'summary.csv'), 'utf8').split('\n')[0]).toMatch(/^group,first,last,hosts,files,bytes,vrrp-source-translated,/);
    expect(s.skipped.some((x) => x.path.endsWith('README.md'))).toBe(true);
  }, 60_000);

  it('N shards merged equal one unsharded run', () => {
    const whole = tmp();
    run(['batch', 'samples', '--out', whole, '--quiet', '--jobs', '2']);
    const shards = tmp();
    for (const k of [1, 2, 3]) expect(run(['batch', 'samples', '--out', shards, '--quiet', '--shard', `${k}/3`, '--jobs', '1']).code).not.toBe(2);
    const m = run(['batch', 'merge', ...[1, 2, 3].map((k) => path.join(shards, `summary-shard-${k}-of-3.json`)), '-o', path.join(shards, 'summary.json')]);
    expect(m.code).toBe(0);
    expect(summary(shards).groups).toEqual(summary(whole).groups);
    expect(readFileSync(path.join(shards, 'summary.csv'), 'utf8')).toBe(readFileSync(path.join(whole, 'summary.csv'), 'utf8'));
  }, 120_000);

  it('--resume skips groups already done, without touching their reports; a broken file never stops the sweep', () => {
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
    const first = run(['batch', data, '--out', out, '--quiet']);
    expect(first.code).toBe(2);
    const s1 = summary(out);
    expect(s1.groups.flatMap((g) => g.problems).join('\n')).toMatch(/bad\.pcap: frame 1 \(byte 24\): record length 2147483647 exceeds/);
    expect(s1.groups.every((g) => g.status === 'done')).toBe(true);
    const reports = readdirSync(out).filter((f) => f.endsWith('.json') && f !== 'summary.json');
    const mtimes = reports.map((f) => statSync(path.join(out, f)).mtimeMs);
    const again = run(['batch', data, '--out', out, '--quiet', '--resume']);
    expect(again.out).toMatch(/0 analysed, \d+ resumed/);
    expect(summary(out).groups.every((g) => g.status === 'resumed')).toBe(true);
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
