import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exhaustionFindings, linkExhaustion, sideTimeline, type HostRun } from '../../src/correlate/exhaustion.js';
import { toRfc3339 } from '../../src/model/instant.js';
import type { SplitBrainFinding, Transition } from '../../src/model/report.js';
import { readSyslog } from '../../src/sources/syslog/reader.js';
import { drain } from '../helpers/drain.js';
import { wallClockToEpochMs } from '../../src/model/instant.js';
import { ROOT } from '../helpers/capture.js';

const SEC = 1_000_000_000n;
const S = (rel: string) => path.join(ROOT, 'samples', rel);
const master = (host: string, at: bigint): Transition => ({ at, host, instance: 'VI_1', from: 'BACKUP', to: 'MASTER', file: `${host}/syslog`, line: 40 });
const run = (kind: HostRun['kind'], file: string, host: string, from: number, to: number, lines: number, precision = 6): HostRun => ({
  kind, file, host, precision, lines, first: { line: 1, at: BigInt(from) * SEC, text: kind }, last: { line: lines, at: BigInt(to) * SEC },
});

describe('exhaustionFindings', () => {
  it('samples/conntrack-full: gw-b\'s table full, its own adverts unsent, MASTER on the timeout — one finding, cited by the precise copy', async () => {
    const runs: HostRun[] = [];
    for (const f of ['conntrack-full/gw-b/syslog', 'conntrack-full/gw-b/syslog.rfc3339']) runs.push(...(await drain(readSyslog(S(f), { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC'), sideLines: true, year: 2026 }))).info.side.map((r) => ({ ...r, host: 'gw-b' })));
    const took = 1796164516619872000n; // gw-b Entering MASTER STATE (syslog.rfc3339)
    const [f, ...rest] = exhaustionFindings(runs, [master('gw-b', took), master('gw-a', 1796164511000000000n)]);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ kind: 'conntrack-exhaustion', router: 'gw-b', severity: 'warning', hosts: ['gw-b'] });
    // two copies of one log count once
    expect(f.exhaustion).toMatchObject({ host: 'gw-b', kernelLines: 16, sendErrors: 6, tookMasterAt: took });
    expect(toRfc3339(f.exhaustion.start, 6)).toBe('2026-12-01T22:35:13.680577Z');
    expect(f.evidence[0]).toMatchObject({ file: S('conntrack-full/gw-b/syslog.rfc3339'), locator: 'line 32' });
    // the takeover cited in keepalived's words, the state it left as the role's fact; the kernel lines as read
    expect(f.evidence.at(-1)).toEqual({ file: 'gw-b/syslog', locator: 'line 40', at: took, text: 'Entering MASTER STATE', role: { kind: 'transition', from: 'BACKUP' } });
    expect(f.evidence.slice(0, -1).map((e) => e.role)).toEqual([undefined, undefined]);
    expect(f.remedy.for).toEqual({ kind: 'exhaustion', host: 'gw-b' });
    expect(f.remedy.steps.map((s) => s.action)).toEqual(['make-room', 'notrack', 'accept-untracked']);
    expect(f.remedy.steps[0].commands.map((c) => c.command)).toContainEqual(expect.stringMatching(/^sysctl -w net\.netfilter\.nf_conntrack_max=/));
    expect(f.remedy.steps[1].commands.map((c) => c.command)).toContain('iptables -t raw -I OUTPUT -p vrrp -j NOTRACK');
  });

  it('episodes per host and apart in time; send errors alone make no finding', () => {
    const fs = exhaustionFindings([
      run('conntrack-table-full', 'a', 'gw-a', 100, 105, 4), run('conntrack-table-full', 'a', 'gw-a', 200, 201, 2), run('conntrack-table-full', 'b', 'gw-b', 100, 100, 1),
      run('send-advert-error', 'c', 'gw-c', 100, 110, 10),
    ], []);
    expect(fs.map((f) => [f.router, f.exhaustion.kernelLines, f.exhaustion.tookMasterAt])).toEqual([['gw-a', 4, null], ['gw-b', 1, null], ['gw-a', 2, null]]);
  });
});

describe('linkExhaustion', () => {
  it('a split brain on that host starting while its table was full is caused by it (critical); one far later, or explained already, is not', () => {
    const [e] = exhaustionFindings([run('conntrack-table-full', 'a', 'gw-b', 100, 108, 9)], []);
    e.id = 'F2';
    const split = (id: string, start: number, causedBy?: string): SplitBrainFinding => ({ id, kind: 'split-brain', severity: 'critical', vrid: 150, router: null, start: BigInt(start) * SEC, end: null, hosts: ['gw-a', 'gw-b'], evidence: [], ...(causedBy ? { causedBy } : {}) });
    const near = split('F1', 103);
    const late = split('F3', 500);
    const explained = split('F4', 104, 'F9');
    linkExhaustion([near, e, late, explained]);
    expect([near.causedBy, late.causedBy, explained.causedBy, e.led, e.severity]).toEqual(['F2', undefined, 'F9', ['F1'], 'critical']);
  });
});

describe('sideTimeline', () => {
  it('one entry per run, from the most precise copy of a host\'s log only', () => {
    const entries = sideTimeline([
      run('conntrack-table-full', 'syslog', 'gw-b', 13, 21, 16, 0), run('conntrack-table-full', 'syslog.rfc3339', 'gw-b', 13, 21, 16, 6),
      run('send-advert-error', 'syslog.rfc3339', 'gw-b', 16, 21, 6, 6), run('conntrack-table-full', 'messages', 'gw-c', 5, 5, 1, 0),
    ]);
    expect(entries.map((e) => [e.host, e.kind, e.file, e.repeat ?? 1])).toEqual([
      ['gw-b', 'conntrack-table-full', 'syslog.rfc3339', 16], ['gw-b', 'send-advert-error', 'syslog.rfc3339', 6], ['gw-c', 'conntrack-table-full', 'messages', 1],
    ]);
    expect(entries[0]).toMatchObject({ source: 'syslog', at: 13n * SEC, until: 21n * SEC, locator: 'line 1' });
  });
});
