import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAll, ROOT } from '../helpers/capture.js';
import { ether, ipv4, ngEpb, ngIdb, ngShb, vrrp2 } from '../helpers/craft.js';

/**
 * Issue 15: a timestamp outside JavaScript Date's range (a pcapng EPB of 2^64−1 µs, an if_tsoffset of ±2^63, a
 * conntrack event `[99999999999999.4]`, a 20-digit journal timestamp) killed the run with `error: Invalid time value`
 * (no file, offset or code). Each is flagged E_BAD_TIME with its locator, the record skipped, and the run goes on.
 * A pcapng EPB whose captured length is absurd but whose block length is sound stopped the file: now that packet is
 * skipped by its block length.
 */
const run = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
const advert = (prio: number) => ether('52:54:00:00:a0:01', 0x0800, ipv4([198, 51, 100, 175], [224, 0, 0, 18], 112, vrrp2(150, prio, [[198, 51, 100, 254]])));
const T0 = 1_795_586_141_000_000n; // 2026-11-25T05:55:41Z in µs

function damagedCapture(): Buffer {
  return Buffer.concat([
    ngShb(), ngIdb(), ngIdb(2n ** 63n - 1n), ngIdb(-(2n ** 63n)),
    ngEpb(0, T0, advert(100)), // frame 1
    ngEpb(0, 2n ** 64n - 1n, advert(101)), // frame 2: 2^64−1 µs
    ngEpb(1, T0, advert(102)), // frame 3: if_tsoffset 2^63−1
    ngEpb(2, T0, advert(103)), // frame 4: if_tsoffset −2^63
    ngEpb(0, T0 + 1_000_000n, advert(104), 0xffffff00), // frame 5: captured length absurd, block length sound
    ngEpb(0, T0 + 2_000_000n, advert(105)), // frame 6
  ]);
}

function evidence() {
  const d = mkdtempSync(path.join(tmpdir(), 'vf-time-'));
  mkdirSync(path.join(d, 'gw-a'));
  writeFileSync(path.join(d, 'gw-a/wire.pcapng'), damagedCapture());
  writeFileSync(path.join(d, 'gw-a/conntrack-events.log'), [
    '[1795586140.926245]\t    [NEW] unknown  112 600 src=198.51.100.176 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=198.51.100.176',
    '[99999999999999.4]\t    [NEW] unknown  112 600 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1',
    '[1795586141.743090]\t    [NEW] unknown  112 600 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1',
    '',
  ].join('\n'));
  const j = (ts: string, msg: string) => JSON.stringify({ __REALTIME_TIMESTAMP: ts, _HOSTNAME: 'gw-a', SYSLOG_IDENTIFIER: 'Keepalived_vrrp', MESSAGE: msg });
  writeFileSync(path.join(d, 'gw-a/journal.json'), [
    j('1795586140000000', '(VI_1) Entering BACKUP STATE'),
    j('99999999999999999999', '(VI_1) Entering MASTER STATE'),
    j('1795586141700000', '(VI_1) Entering MASTER STATE'),
    '',
  ].join('\n'));
  return d;
}

describe('regression: timestamps outside the years 0000-9999', () => {
  it('pcapng: flagged per packet with frame and offset, the packet skipped, the rest read', async () => {
    const d = evidence();
    const { info, records } = await readAll(path.join(d, 'gw-a/wire.pcapng'));
    expect(info.error).toBeUndefined();
    expect(records.filter((r) => r.kind === 'vrrp').map((r) => r.frame)).toEqual([1, 6]);
    expect(info.problems.map((p) => [p.code, p.frame])).toEqual([['E_BAD_TIME', 2], ['E_BAD_TIME', 3], ['E_BAD_TIME', 4], ['E_BAD_LENGTH', 5]]);
    expect(info.problems.every((p) => p.offset !== undefined)).toBe(true);
  });

  it('every command goes on, with a coded line naming file and place; no "Invalid time value"', () => {
    const d = evidence();
    const adverts = run(['adverts', path.join(d, 'gw-a/wire.pcapng'), '--json']);
    expect(JSON.parse(adverts.stdout).map((a: { frame: number }) => a.frame)).toEqual([1, 6]);
    expect(adverts.stderr).toMatch(/wire\.pcapng: frame 2 \(byte \d+\): timestamp \d+ s is outside the years 0000-9999; packet skipped \[E_BAD_TIME\]/);
    expect(adverts.status).toBe(0);

    const ct = run(['conntrack', path.join(d, 'gw-a/conntrack-events.log'), '--json']);
    expect(JSON.parse(ct.stdout).inputs[0].records).toBe(2);
    expect(ct.stderr).toMatch(/conntrack-events\.log: line 2: .*outside the years 0000-9999; line skipped \[E_BAD_TIME\]/);

    const logs = run(['logs', path.join(d, 'gw-a/journal.json'), '--json']);
    expect(JSON.parse(logs.stdout).map((e: { line: number }) => e.line)).toEqual([1, 3]);
    expect(logs.stderr).toMatch(/journal\.json: line 2: .*outside the years 0000-9999; line skipped \[E_BAD_TIME\]/);

    for (const format of ['json', 'html', 'text']) {
      const a = run(['analyze', d, '--format', format]);
      expect(a.stderr, format).not.toMatch(/Invalid time value/);
      expect([0, 1], format).toContain(a.status);
      if (format === 'json') {
        const r = JSON.parse(a.stdout);
        const times = [...r.timeline.map((e: { at: string }) => e.at), ...r.inputs.flatMap((i: { first: string | null; last: string | null }) => [i.first, i.last])].filter(Boolean);
        expect(times.every((t: string) => t.startsWith('2026-'))).toBe(true);
        expect(r.inputs.find((i: { path: string }) => i.path.endsWith('wire.pcapng')).problems.map((p: { code: string }) => p.code)).toContain('E_BAD_TIME');
      }
    }
  }, 120_000);

  it('a lone time still in range but far from its neighbours (2^64−1 ns: the year 2554) is listed, flagged, and never stretches the analysis', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'vf-outlier-'));
    const f = path.join(d, 'wire.pcapng');
    const ns = (s: bigint) => s * 1_000_000_000n;
    writeFileSync(f, Buffer.concat([
      ngShb(), ngIdb(undefined, 9),
      ngEpb(0, ns(1_795_586_141n), advert(100)),
      ngEpb(0, 2n ** 64n - 1n, advert(101)), // frame 2: 2554-07-21
      ngEpb(0, ns(1_795_586_142n), advert(102)),
      ngEpb(0, ns(1_795_586_143n), advert(103)),
    ]));
    const { info, records } = await readAll(f);
    expect(records.map((r) => [r.frame, r.timeOutlier ?? false])).toEqual([[1, false], [2, true], [3, false], [4, false]]);
    expect(info.problems.map((p) => [p.code, p.frame])).toEqual([['E_BAD_TIME', 2]]);
    const r = JSON.parse(run(['analyze', f, '--json']).stdout);
    const times = [...r.timeline.map((e: { at: string; until?: string }) => [e.at, e.until]).flat(), ...r.findings.flatMap((x: { firstSeen?: string; lastSeen?: string }) => [x.firstSeen, x.lastSeen])].filter(Boolean);
    expect(times.length).toBeGreaterThan(0);
    expect(times.every((t: string) => t.startsWith('2026-'))).toBe(true);
    expect(r.inputs[0].last.startsWith('2026-')).toBe(true);
    // a real jump (two sessions merged, the second confirmed by its next packet) is not an outlier
    const merged = path.join(d, 'merged.pcapng');
    writeFileSync(merged, Buffer.concat([ngShb(), ngIdb(undefined, 9), ngEpb(0, ns(1_795_586_141n), advert(100)), ngEpb(0, ns(1_800_000_000n), advert(100)), ngEpb(0, ns(1_800_000_001n), advert(100))]));
    expect((await readAll(merged)).records.every((x) => !x.timeOutlier)).toBe(true);
    // the same for a log line (a 17-digit journal stamp: the year 2540)
    const j = path.join(d, 'journal.json');
    const line = (ts: string) => JSON.stringify({ __REALTIME_TIMESTAMP: ts, _HOSTNAME: 'gw-a', SYSLOG_IDENTIFIER: 'Keepalived_vrrp', MESSAGE: '(VI_1) Entering MASTER STATE' });
    writeFileSync(j, [line('1795586140000000'), line('18000000000000000'), line('1795586141000000'), ''].join('\n'));
    expect(run(['logs', j]).stderr).toMatch(/journal\.json: line 2: time 2540-05-25 is \d+ days from the lines around it .*\[E_BAD_TIME\]/);
    const a = JSON.parse(run(['analyze', j, '--json']).stdout);
    expect([a.inputs[0].first, a.inputs[0].last].every((t: string) => t.startsWith('2026-'))).toBe(true);
  }, 60_000);
});
