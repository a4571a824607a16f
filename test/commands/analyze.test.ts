import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';

const BIN = path.join(ROOT, 'bin/run.js');
const run = (cmd: string, args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, [BIN, cmd, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
/** The report model as `--json` gives it, and the exit. */
const report = (args: string[]) => {
  const r = run('analyze', [...args, '--json']);
  return { code: r.code, j: JSON.parse(r.out) as { findings: Finding[]; inputs: { path: string; records: number }[]; brief: { cause: { file: string; locator: string } | null; verdict?: unknown } } };
};
interface Finding { id: string; kind: string; severity: string; router: string | null; vrid: number | null; originalSource?: string; translatedSource?: string; sameRouterFacts?: { kind: string }[]; evidence: { file: string; locator: string }[] }

describe('vrrp-forensics analyze / timeline', () => {
  it('text: the verdict first, exit 1 with findings; the clean failover exits 0', () => {
    const seed = run('analyze', ['samples/seed-snat']);
    expect(seed.code).toBe(1);
    // the layout: the verdict first, its first finding on the next line; what it says is in the model below
    expect(seed.out).toMatch(/^Verdict\n {2}F1 \[warning\] /);
    expect(seed.out).not.toContain('\u001b[');
    const [f1] = report(['samples/seed-snat']).j.findings;
    expect(f1).toMatchObject({ id: 'F1', kind: 'vrrp-source-translated', severity: 'warning', router: 'gw-a', vrid: 150, originalSource: '198.51.100.175', translatedSource: '203.0.113.1' });
    const clean = run('analyze', ['samples/clean-failover']);
    expect(clean.code).toBe(0);
    // the all-clear: only info findings, the first gw-b's takeover, citing the syslog line it comes from
    const cleanJ = report(['samples/clean-failover']);
    expect(cleanJ.code).toBe(0);
    expect(cleanJ.j.findings.length).toBeGreaterThan(0);
    expect(cleanJ.j.findings.every((f) => f.severity === 'info')).toBe(true);
    expect(cleanJ.j.findings[0]).toMatchObject({ kind: 'master-change', router: 'gw-b', evidence: [{ file: 'gw-b/syslog.rfc3339', locator: 'line 21' }, expect.anything()] });
    // info findings are one line each
    expect(clean.out.split('\n').filter((l) => /^ {2}F\d+ \[info\] /.test(l))).toHaveLength(cleanJ.j.findings.length);
  });

  it('--json is the contract; -o writes the file; markdown and csv render the same model', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-'));
    const out = path.join(dir, 'r.json');
    expect(run('analyze', ['samples/vrrpv3-unicast', '--json', '-o', out]).code).toBe(1);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.schema).toBe('vrrp-forensics/report@1');
    expect(j.findings.map((f: { kind: string }) => f.kind)).toEqual(expect.arrayContaining(['vrrp-source-translated', 'split-brain', 'master-change']));
    // the sender's own nanosecond capture sees it first
    expect(j.findings[0].firstSeen).toBe('2026-11-25T06:24:00.614900675Z');
    expect(run('analyze', ['samples/seed-snat', '--format', 'markdown']).out).toMatch(/^# VRRP forensics report\n\n## Verdict/);
    expect(run('analyze', ['samples/seed-snat', '--format', 'csv']).out.split('\n')[0]).toBe('time,host,source,kind,vrid,summary,repeat,until,file,locator,findings');
  }, 60_000);

  it('auth_pass and VRRP auth strings stay redacted unless --show-secrets', () => {
    const md = run('analyze', ['samples/seed-snat', '--json']).out;
    expect(md).not.toContain('s3cr3t');
    // the shared auth string is still a fact of the translation, without its value
    expect(JSON.parse(md).findings[0].sameRouterFacts).toContainEqual({ kind: 'auth' });
  });

  it('an input that cannot be read: one line naming it, exit 2, the rest still analysed', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-'));
    const bad = path.join(dir, 'broken.pcap');
    writeFileSync(bad, Buffer.concat([readFileSync(path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap')).subarray(0, 24), Buffer.from([1, 2, 3, 4, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0])]));
    const r = run('analyze', [bad, 'samples/seed-snat/gw-b/lan0.pcap']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/broken\.pcap.*byte 24/);
    const kept = report([bad, 'samples/seed-snat/gw-b/lan0.pcap']);
    expect(kept.code).toBe(2);
    expect(kept.j.findings[0]).toMatchObject({ kind: 'vrrp-source-translated', evidence: expect.arrayContaining([expect.objectContaining({ file: expect.stringMatching(/samples\/seed-snat\/gw-b\/lan0\.pcap$/) })]) });
    expect(run('analyze', ['-']).err).toMatch(/save it to a file first/);
  });

  it('timeline: filtered by host, time and vrid', () => {
    const r = run('timeline', ['samples/intermittent', '--host', 'gw-b', '--since', '2026-11-25T06:22:24Z', '--until', '2026-11-25T06:22:25Z']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines.every((l) => /^2026-11-25 06:22:2[0-5]\.\d+ {2}gw-b/.test(l))).toBe(true);
    const entries = JSON.parse(run('timeline', ['samples/intermittent', '--host', 'gw-b', '--since', '2026-11-25T06:22:24Z', '--until', '2026-11-25T06:22:25Z', '--json']).out) as { host: string; kind: string; file: string; locator: string }[];
    expect(entries).toHaveLength(lines.length);
    expect(entries.every((e) => e.host === 'gw-b')).toBe(true);
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'state', file: 'samples/intermittent/gw-b/syslog.rfc3339', locator: 'line 36' }));
  });

  it('--brief alone; paths relative to the inputs\' folder unless --absolute-paths; --brief only where a brief is', () => {
    const b = run('analyze', ['samples/seed-snat', '--brief', '--format', 'markdown']);
    expect(b.code).toBe(1);
    expect(b.out).toContain('### Fix, per host, in this order');
    expect(b.out).not.toContain('## Findings');
    expect(b.out).not.toContain('samples/seed-snat/gw-a');
    const cause = report(['samples/seed-snat', '--brief']).j.brief.cause;
    expect(cause).toMatchObject({ file: 'gw-a/conntrack-events.log', locator: 'line 3' });
    const abs = run('analyze', ['samples/seed-snat', '--json', '--absolute-paths']);
    expect(JSON.parse(abs.out).inputs.every((i: { path: string }) => i.path.startsWith(path.join(ROOT, 'samples/seed-snat') + '/'))).toBe(true);
    const csv = run('analyze', ['samples/seed-snat', '--brief', '--format', 'csv']);
    expect(csv.code).toBe(2);
    expect(csv.err).toMatch(/--brief is for text, json, markdown, html/);
  }, 60_000);

  it('--format svg and png: the timeline alone; png refused on a terminal only', () => {
    const svg = run('analyze', ['samples/seed-snat', '--format', 'svg']);
    expect(svg.out.startsWith('<svg xmlns="http://www.w3.org/2000/svg" class="timeline"')).toBe(true);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-'));
    const out = path.join(dir, 't.png');
    expect(run('analyze', ['samples/seed-snat', '--format', 'png', '-o', out]).code).toBe(1);
    expect(readFileSync(out).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  }, 60_000);

  it('a closed pipe (analyze … | head): a quiet exit with status 141, as grep and tcpdump killed by SIGPIPE — not 0 nor 1', async () => {
    const { spawn } = await import('node:child_process');
    // every sample at once: half a megabyte of JSON, far more than a pipe holds
    const child = spawn(process.execPath, [BIN, 'analyze', 'samples', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(141);
    expect(err).toBe('');
  }, 60_000);

  it('a bare command names the missing argument; analyse is analyze', () => {
    const bare = run('analyze', []);
    expect(bare.code).toBe(2);
    // (under vitest, oclif adds a development warning after it)
    expect(bare.err.split('\n')[0]).toMatch(/^vrrp-forensics: error: missing argument PATHS \(captures, .*\); see vrrp-forensics analyze --help$/);
    const br = run('analyse', ['samples/seed-snat', '--brief']);
    expect(br.code).toBe(1);
    expect(br.out).toMatch(/^Verdict\n/);
  }, 60_000);

  it('--help: every example\'s input paths exist in samples/', async () => {
    const { default: commands } = await import('../../src/commands/index.js');
    const { expandSweep } = await import('../../src/batch/glob.js');
    process.chdir(ROOT);
    let checked = 0;
    for (const [id, cmd] of Object.entries(commands)) {
      const valued = new Set(Object.entries(cmd.flags ?? {}).filter(([, f]) => (f as { type: string }).type === 'option').flatMap(([name, f]) => [`--${name}`, ...((f as { char?: string }).char ? [`-${(f as { char?: string }).char}`] : [])]));
      for (const ex of (cmd.examples ?? []) as string[]) {
        const words = (ex.replace('<%= config.bin %> ', '').match(/'[^']*'|\S+/g) ?? []).slice(id.split(':').length);
        for (let i = 0; i < words.length; i++) {
          const w = words[i];
          if (w.startsWith('-')) {
            if (valued.has(w)) i++;
            continue;
          }
          if (id === 'batch:merge') continue; // its inputs are what batch writes, not samples
          const p = w.replace(/^'|'$/g, '');
          const found = p.includes('*') ? (await expandSweep([p])).length : Number(existsSync(path.join(ROOT, p)));
          expect(p.startsWith('samples'), `${id}: ${ex}`).toBe(true);
          expect(found, `${id}: ${p}`).toBeGreaterThan(0);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});
