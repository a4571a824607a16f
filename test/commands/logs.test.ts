import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';

const BIN = path.join(ROOT, 'bin/run.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, 'logs', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('vrrp-forensics logs', () => {
  it('a timeline of keepalived events with host, instance, event, detail and file:line', () => {
    const { code, out } = run(['samples/seed-snat/gw-b/syslog', '--year', '2026']);
    expect(code).toBe(0);
    // one event's line, golden (the columns); the events' facts are checked in --json below
    expect(out).toContain('2026-11-25 05:55:41  gw-b  VI_1  higher-priority-advert  advert from 203.0.113.1 with higher priority 150, ours 100  samples/seed-snat/gw-b/syslog:29');
    const events = JSON.parse(run(['samples/seed-snat/gw-b/syslog', '--year', '2026', '--json']).out) as { host: string; line: number; time: string; type: string; fields: Record<string, unknown> }[];
    expect(events).toHaveLength(34);
    expect(events.every((e) => e.host === 'gw-b' && e.time.startsWith('2026-'))).toBe(true);
    expect(events.find((e) => e.line === 29)).toMatchObject({ type: 'higher-priority-advert', time: '2026-11-25T05:55:41.000000000Z', fields: { instance: 'VI_1', peer: '203.0.113.1', peerPriority: 150, ownPriority: 100 } });
    // the input's line: its format, the line skipped and where the year came from are in words only (logs --json is the events)
    expect(out).toMatch(/samples\/seed-snat\/gw-b\/syslog: rfc3164; host gw-b; 34 keepalived events, 1 other line skipped; year 2026 from flag/);
  });

  it('--json and --csv; a folder skips what is not a log', () => {
    const json = JSON.parse(run(['samples/seed-snat/gw-a/syslog.rfc3339', '--json']).out);
    expect(json.find((e: { type: string; fields: { state?: string } }) => e.type === 'state' && e.fields.state === 'MASTER')).toMatchObject({ time: '2026-11-25T05:55:41.743071000Z', host: 'gw-a', line: 22 });
    const csv = run(['samples/seed-snat/gw-a/syslog.rfc3339', '--csv']).out.trim().split('\n');
    expect(csv[0]).toBe('time,host,program,pid,instance,event,detail,file,line,message');
    const folder = run(['samples/seed-snat/gw-b', '--year', '2026']);
    expect(folder.err).toMatch(/note: \d+ file\(s\) in the given folders are not logs and were skipped/);
    const fromFolder = JSON.parse(run(['samples/seed-snat/gw-b', '--year', '2026', '--json']).out) as { file: string; host: string }[];
    expect(fromFolder.filter((e) => e.file === 'samples/seed-snat/gw-b/syslog.rfc3339').length).toBeGreaterThan(0);
    expect(fromFolder.every((e) => e.host === 'gw-b')).toBe(true);
  });
});

