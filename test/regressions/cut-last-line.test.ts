import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';

/**
 * Issue 15: the last line of a truncated conntrack event log, cut mid-address, was read as a whole entry with a
 * made-up address (`SNAT to 198.51.100.17`, cut from 198.51.100.176). A last line without its newline is flagged as
 * cut short (E_TRUNCATED, with file and line) and is not used as a fact.
 */
const run = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('regression: a last line without its newline', () => {
  it('conntrack: the cut entry is flagged with its line and makes no translation', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'vf-cut-'));
    const f = path.join(d, 'conntrack-events.log');
    const whole = readFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/conntrack-events.log'), 'utf8').split('\n').slice(0, 2).join('\n');
    writeFileSync(f, whole + '\n[1795586141.743090]\t    [NEW] unknown  112 600 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=198.51.100.17');
    const r = run(['conntrack', f, '--json']);
    const json = JSON.parse(r.stdout);
    expect(json.flows.map((x: { translatedSource: string | null }) => x.translatedSource)).not.toContain('198.51.100.17');
    expect(json.inputs[0].records).toBe(2);
    expect(json.inputs[0].problems).toEqual([{ locator: 'line 3', message: expect.stringContaining('no newline') }]);
    expect(r.stderr).toMatch(/conntrack-events\.log: line 3: .*\[E_TRUNCATED\]/);
    expect(r.status).toBe(0); // a warning: what was read before the damage is kept
  });

  it('syslog: a cut last line is no event, and is flagged', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'vf-cut-'));
    const f = path.join(d, 'syslog');
    writeFileSync(f, [
      '2026-11-25T05:55:40.000000+00:00 gw-b Keepalived_vrrp[5712]: (VI_1) Entering BACKUP STATE',
      '2026-11-25T05:55:41.000000+00:00 gw-b Keepalived_vrrp[5712]: (VI_1) Entering MAST',
    ].join('\n'));
    const r = run(['logs', f, '--json']);
    const events = JSON.parse(r.stdout) as { line: number }[];
    expect(events.map((e) => e.line)).toEqual([1]);
    expect(r.stderr).toMatch(/syslog: line 2: the last line .* no newline.*\[E_TRUNCATED\]/);
  });
});
