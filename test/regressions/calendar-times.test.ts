import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';

/**
 * Issue 15: `2026-02-30` was read as 2026-03-02; a leap second (`23:59:60.5`, legal in RFC 3339) was refused; DST-
 * ambiguous or non-existent local times were placed without a word; one year-less line out of order across New Year
 * pushed every later line a year forward; years beyond 9999 lost their seconds.
 */
const run = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
const dir = mkdtempSync(path.join(tmpdir(), 'vf-cal-'));
function log(name: string, lines: string[]): string {
  const f = path.join(dir, name);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}
const ka = (stamp: string, state: string) => `${stamp} gw-a Keepalived_vrrp[5040]: (VI_1) Entering ${state} STATE`;
const events = (r: { stdout: string }) => JSON.parse(r.stdout) as { line: number; time: string }[];

describe('regression: calendar times', () => {
  it('2026-02-30 is an error with its line, not 2026-03-02; a leap second is read', () => {
    const f = log('rfc3339', [ka('2026-02-30T10:00:00+00:00', 'BACKUP'), ka('2016-12-31T23:59:60.5+00:00', 'MASTER'), ka('2017-01-01T00:00:00.2+00:00', 'BACKUP')]);
    const r = run(['logs', f, '--json']);
    expect(events(r).map((e) => [e.line, e.time])).toEqual([
      [2, '2016-12-31T23:59:59.500000000Z'], // the POSIX clock's reading of the leap second: between its neighbours
      [3, '2017-01-01T00:00:00.200000000Z'],
    ]);
    expect(r.stderr).toMatch(/rfc3339: line 1: 2026-02-30 10:00:00 is no calendar date; line skipped \[E_BAD_TIME\]/);
    const y = run(['logs', log('feb', [ka('Feb 29 10:00:00', 'MASTER')]), '--year', '2026', '--json']);
    expect(events(y)).toEqual([]);
    expect(y.stderr).toMatch(/line 1: 2026-02-29 10:00:00 is no calendar date/);
  });

  it('one line out of order across New Year does not push the later lines a year on', () => {
    const f = log('newyear', [ka('Dec 31 23:59:58', 'BACKUP'), ka('Jan  1 00:00:01', 'MASTER'), ka('Dec 31 23:59:59', 'BACKUP'), ka('Jan  1 00:00:02', 'MASTER'), ka('Jan  2 08:00:00', 'BACKUP')]);
    const r = run(['logs', f, '--year', '2025', '--json']);
    expect(events(r).map((e) => e.time.slice(0, 19))).toEqual(['2025-12-31T23:59:58', '2026-01-01T00:00:01', '2025-12-31T23:59:59', '2026-01-01T00:00:02', '2026-01-02T08:00:00']);
    // without --year the first pass (year inference) counts the same single rollover
    const inferred = events(run(['logs', f, '--json'])).map((e) => Number(e.time.slice(0, 4)));
    expect(inferred.map((y) => y - inferred[0])).toEqual([0, 1, 0, 1, 1]);
  });

  it('DST: an ambiguous and a non-existent local time are flagged with the reading used, once per hour', () => {
    const f = log('dst', [ka('Mar 29 02:30:00', 'BACKUP'), ka('Oct 25 02:30:00', 'MASTER'), ka('Oct 25 02:45:00', 'BACKUP')]);
    const r = run(['logs', f, '--year', '2026', '--input-tz', 'Europe/Berlin', '--json']);
    expect(events(r)).toHaveLength(3);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('E_BAD_TIME'));
    expect(warnings).toEqual([
      expect.stringMatching(/line 1: local time 2026-03-29 02:30:00 does not exist in Europe\/Berlin \(clocks go forward\): read as UTC\+02:00/),
      expect.stringMatching(/line 2: local time 2026-10-25 02:30:00 happens twice in Europe\/Berlin \(clocks go back\): read as the second occurrence, UTC\+01:00/),
    ]);
    expect(run(['logs', f, '--year', '2026', '--input-tz', 'UTC']).stderr).not.toMatch(/E_BAD_TIME/);
  });

  it('a year beyond 9999 is refused clearly', () => {
    const r = run(['logs', log('y', [ka('Nov 25 05:55:41', 'MASTER')]), '--year', '12026']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/12026|9999/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
