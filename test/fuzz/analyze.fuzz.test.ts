import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { FORMATS } from '../../src/report/formats.js';
import { renderReport } from '../../src/report/render.js';
import { ROOT } from '../helpers/capture.js';
import { RUNS, TEST_MS } from './harness.js';
import { applyCapture, applyText, captureMutation, textMutation } from './mutate.js';

function snapshot(dir: string): Map<string, { bytes: Buffer; mtime: number }> {
  const out = new Map<string, { bytes: Buffer; mtime: number }>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p, { bytes: readFileSync(p), mtime: statSync(p).mtimeMs });
    }
  };
  walk(dir);
  return out;
}

describe('analyze over a mixed, damaged evidence set', () => {
  it('mutated captures, dumps and logs: no exception escapes, bounded time, and no input file changes (bytes and mtime)', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'vf-fuzz-analyze-'));
    let n = 0;
    await fc.assert(fc.asyncProperty(captureMutation, textMutation, fc.nat(), async (cm, tm, pick) => {
      const dir = path.join(base, String(n++));
      cpSync(path.join(ROOT, 'samples/seed-snat'), dir, { recursive: true });
      const cap = path.join(dir, pick % 2 ? 'gw-b/lan0.pcap' : 'gw-a/any.pcap');
      writeFileSync(cap, applyCapture(readFileSync(cap), cm));
      const text = path.join(dir, ['gw-a/conntrack-events.log', 'gw-b/syslog.rfc3339', 'gw-a/keepalived.conf', 'gw-a/iptables-save.1-naive-snat'][pick % 4]);
      writeFileSync(text, applyText(readFileSync(text), tm));
      const before = snapshot(dir);
      try {
        const t0 = performance.now();
        const r = await analyze([dir], { tz: 'UTC' });
        for (const f of FORMATS) await renderReport(r, f, { tz: 'UTC', style: 'tttt', context: 5, colour: false });
        expect(performance.now() - t0).toBeLessThan(10_000);
        const after = snapshot(dir);
        for (const [p, s] of before) {
          expect(after.get(p)!.mtime).toBe(s.mtime);
          expect(after.get(p)!.bytes.equals(s.bytes)).toBe(true);
        }
      } catch (err) {
        // a long campaign keeps the whole damaged evidence set; the replay test analyses it on every npm test
        if (process.env.FUZZ_SAVE) {
          const name = `analyze-${createHash('sha256').update([...before.values()].map((x) => x.bytes.toString('latin1')).join('')).digest('hex').slice(0, 16)}`;
          cpSync(dir, path.join(ROOT, 'test/regressions/fuzz', name), { recursive: true });
        }
        throw err;
      }
    }), { numRuns: Math.max(15, Math.floor(RUNS / 10)) });
  }, TEST_MS * 4);
});

describe('hostile content in reports', () => {
  it('secrets (auth_pass, SNMP/SMTP credentials, VRRP auth strings) are redacted in every format unless --show-secrets', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-secrets-'));
    cpSync(path.join(ROOT, 'samples/seed-snat'), dir, { recursive: true });
    const conf = path.join(dir, 'gw-a/keepalived.conf');
    writeFileSync(conf, readFileSync(conf, 'utf8').replace('global_defs {', 'global_defs {\n    snmp_socket udp:203.0.113.9:705\n    smtp_server 203.0.113.25\n    smtp_auth_password Sm7pS3cret\n    snmp_community Pr1vComm\n'));
    const hidden = await analyze([dir], { tz: 'UTC' });
    for (const f of FORMATS) {
      const out = await renderReport(hidden, f, { tz: 'UTC', style: 'tttt', context: 5, colour: false });
      for (const s of ['s3cr3t', 'Sm7pS3cret', 'Pr1vComm']) expect(out, `${f} leaks ${s}`).not.toContain(s);
    }
  });

  it('a hostname like ../../etc never becomes a path: batch reports are named by group id, inside --out', async () => {
    const { spawnSync } = await import('node:child_process');
    const data = mkdtempSync(path.join(os.tmpdir(), 'vf-hostile-'));
    writeFileSync(path.join(data, 'syslog'), '2026-11-25T05:55:40.926195+00:00 ../../etc Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n');
    cpSync(path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap'), path.join(data, 'lan0.pcap'));
    const out = mkdtempSync(path.join(os.tmpdir(), 'vf-hostile-out-'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), 'batch', data, '--out', out, '--quiet', '--format', 'html'], { encoding: 'utf8' });
    expect(r.status).not.toBe(2);
    const files = readdirSync(out);
    expect(files.every((f) => /^(summary\.(json|csv)|\d{8}-\d{6}-[0-9a-f]{10}\.(html|summary\.json))$/.test(f))).toBe(true);
    expect(readdirSync(path.dirname(out)).some((f) => f === 'etc')).toBe(false);
    const html = readFileSync(path.join(out, files.find((f) => f.endsWith('.html'))!), 'utf8');
    expect(html).toContain('../../etc');
  }, 60_000);
});
