import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fieldsOf } from '../helpers/findings.js';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import type { Report } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

/**
 * Issue 15: the duplicate-log shortcut decided from a file's first 64 KiB and skipped one whole file. Lines appended
 * to one copy vanished; lines missing from the precise copy changed the verdict; a rotated messages.1 was dropped as
 * a "higher precision copy" of messages. Logs of one host are now merged message by message.
 */
const copyOf = (sample: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-copies-'));
  cpSync(path.join(ROOT, 'samples', sample), dir, { recursive: true });
  return dir;
};
const logsCli = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), 'logs', ...args], { encoding: 'utf8' });
const findings = (r: Report) => r.findings.map(fieldsOf).map((f) => ({ kind: f.kind, severity: f.severity, vrid: f.vrid, router: f.router, hosts: f.hosts }));

describe('one host\'s copies of a log are merged line by line', () => {
  it('a line appended to the traditional copy only is kept by analyze, timeline and logs; every other line counts once', async () => {
    const dir = copyOf('seed-snat');
    const messages = path.join(dir, 'gw-a/syslog');
    appendFileSync(messages, 'Nov 25 05:56:07 gw-a Keepalived_vrrp[5717]: (VI_1) Entering FAULT STATE\n');
    const r = await analyze([dir], { tz: 'UTC' });
    const entry = r.timeline.find((e) => e.file === messages && e.locator === 'line 42');
    expect(entry).toMatchObject({ host: 'gw-a', source: 'syslog' });
    const traditional = r.inputs.find((i) => i.path === messages)!;
    expect(traditional.records).toBe(40);
    expect(traditional.folded).toEqual([{ keptIn: `${messages}.rfc3339`, messages: 39 }]);
    // every other gw-a event comes from the precise copy, once
    expect(r.timeline.filter((e) => e.file === messages)).toEqual([entry]);

    // logs on the folder: the same 39 + 1 + gw-b's 34 events, not each twice
    const out = logsCli([path.join(dir, 'gw-a'), path.join(dir, 'gw-b'), '--json']);
    const events = JSON.parse(out.stdout) as { file: string; line: number }[];
    expect(events).toHaveLength(39 + 1 + 34);
    expect(events.filter((e) => e.file === messages)).toEqual([expect.objectContaining({ line: 42 })]);
    const text = logsCli([path.join(dir, 'gw-a')]).stdout;
    expect(text).toContain(`${messages}: rfc3164; host gw-a; 40 keepalived events, 1 other line skipped; year 2026 from`);
    expect(text).toMatch(/39 messages also in .*gw-a\/syslog\.rfc3339 counted once, there/);
    rmSync(dir, { recursive: true });
  }, 60_000);

  it('lines missing from the precise copy do not change the verdict: the traditional copy still has them', async () => {
    const base = await analyze([path.join(ROOT, 'samples/split-brain')], { tz: 'UTC' });
    const dir = copyOf('split-brain');
    const precise = path.join(dir, 'gw-b/syslog.rfc3339.gz');
    // gw-b's state changes and elections gone from its precise copy (as when rsyslog's second action lagged)
    const kept = gunzipSync(readFileSync(precise)).toString('utf8').split('\n').filter((l) => !/Entering|Received advert|Receive advertisement/.test(l));
    rmSync(precise);
    writeFileSync(path.join(dir, 'gw-b/syslog.rfc3339'), kept.join('\n'));
    const r = await analyze([dir], { tz: 'UTC' });
    expect(findings(r)).toEqual(findings(base));
    expect(findings(r).some((f) => f.kind === 'split-brain' && f.severity === 'critical')).toBe(true);
    rmSync(dir, { recursive: true });
  }, 60_000);

  it('a rotated messages.1 is read with messages, both RFC 3164, even when their lines repeat day after day', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-rotated-'));
    const day = readFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/syslog'), 'utf8');
    writeFileSync(path.join(dir, 'messages.1'), day.replace(/^Nov 25/gm, 'Nov 24'));
    writeFileSync(path.join(dir, 'messages'), day);
    const r = await analyze([dir], { tz: 'UTC', year: 2026 });
    expect(r.inputs.map((i) => [path.basename(i.path), i.records, i.folded])).toEqual([['messages', 39, undefined], ['messages.1', 39, undefined]]);
    const states = r.timeline.filter((e) => e.kind === 'state');
    expect(new Set(states.map((e) => path.basename(e.file)))).toEqual(new Set(['messages.1', 'messages']));
    rmSync(dir, { recursive: true });
  }, 60_000);
});
