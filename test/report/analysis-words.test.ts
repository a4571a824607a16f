import { describe, expect, it } from 'vitest';
import { prepareZone } from '../../src/model/instant.js';
import type { InputSummary, Reason } from '../../src/model/report.js';
import { clockNote, inputNote, inputProblems, reasonText, reportWarnings, sameRouterText } from '../../src/report/analysis-words.js';

const input = (x: Partial<InputSummary>): InputSummary => ({ path: 'gw-a/syslog', kind: 'syslog', format: null, host: 'gw-a', records: 1, first: null, last: null, problems: [], ...x });

describe('the analysis facts in words', () => {
  it('an input\'s notes are worded in the order they were noted, one sentence each', () => {
    expect(inputNote(input({}))).toBeUndefined();
    const i = input({ notes: [{ kind: 'advert-copies', adverts: 3 }, { kind: 'folded' }], folded: [{ keptIn: 'gw-a/syslog.rfc3339', messages: 1 }] });
    expect(inputNote(i)!.split('; ')).toHaveLength(2);
    expect(inputNote(i)).toContain('gw-a/syslog.rfc3339');
    expect(inputNote(input({ notes: [{ kind: 'snapshot-without-vrrp', entries: 0 }] }))).not.toBe(inputNote(input({ notes: [{ kind: 'snapshot-without-vrrp', entries: 2 }] })));
  });

  it('undecoded frames and records out of order are warnings after the reader\'s own problems', () => {
    const own = { locator: 'frame 3', message: 'bad', severity: 'warning', code: 'E_TRUNCATED' };
    const ps = inputProblems(input({ problems: [own], undecoded: { frames: 10, skipped: [{ linkType: 1, etherType: 0x88cc, frames: 2 }] }, outOfOrder: 4 }));
    expect(ps.map((p) => [p.severity, p.code])).toEqual([['warning', 'E_TRUNCATED'], ['warning', 'E_UNKNOWN_FORMAT'], ['warning', 'E_BAD_TIME']]);
    expect(inputProblems(input({ problems: [own] }))).toEqual([own]);
  });

  it('several incidents: one warning in the display zone, with batch\'s advice only outside batch', () => {
    const spans = [{ first: 0n, last: 1_000_000_000n }, { first: 7_200_000_000_000n, last: 7_201_000_000_000n }];
    expect(reportWarnings({ timezone: 'UTC' })).toEqual([]);
    const [w] = reportWarnings({ timezone: 'UTC', incidents: { spans, inBatch: false } });
    expect(w).toContain('02:00:00');
    expect(w).toContain('vrrp-forensics batch');
    expect(reportWarnings({ timezone: 'UTC', incidents: { spans, inBatch: true } })[0]).not.toContain('vrrp-forensics batch');
  });

  it('same-router facts: sets in prose, the MASTER time in the display zone', async () => {
    await prepareZone('Asia/Tokyo');
    expect(sameRouterText({ kind: 'priority', priorities: [150, 100], original: '192.0.2.1', file: 'a.pcap', stopped: true }, 'UTC')).toContain('150 and 100');
    const since = 1_795_586_141_000_000_000n;
    expect(sameRouterText({ kind: 'master', router: 'gw-a', since }, 'UTC')).not.toBe(sameRouterText({ kind: 'master', router: 'gw-a', since }, 'Asia/Tokyo'));
  });

  it('every reason has its own words; a master change with a reason ends with them', () => {
    const peer = { address: '192.0.2.1', translated: { original: '198.51.100.1', router: 'gw-a' } };
    const reasons: Reason[] = [
      { kind: 'start-up' }, { kind: 'higher-priority', peer, peerPriority: 150, ownPriority: 100 }, { kind: 'tie-break', outcome: 'lost', priority: 100, peer },
      { kind: 'tie-break', outcome: 'won', priority: 100, peer }, { kind: 'tie-break', outcome: 'higher-address', priority: 100, peer },
      { kind: 'resignation', by: 'self' }, { kind: 'resignation', by: 'master' }, { kind: 'advert-timeout' },
      { kind: 'advert-timeout', dropped: { by: 'checksum', version: 3, peer } }, { kind: 'advert-timeout', dropped: { by: 'ah' } },
      { kind: 'advert-timeout', dropped: { by: 'not-unicast-peer', peer } }, { kind: 'never-heard', dropped: { by: 'checksum', version: 3 } },
      { kind: 'never-heard', dropped: { by: 'ah' } }, { kind: 'preempted', peer, peerPriority: 90, discarded: 3 }, { kind: 'preempted', peer, peerPriority: 90 },
      { kind: 'interface-down', interface: 'eth0' }, { kind: 'script-failed', script: 'chk' },
    ];
    const words = reasons.map(reasonText);
    expect(new Set(words).size).toBe(reasons.length);
    expect(words[1]).toContain('really 198.51.100.1 of gw-a');
  });

  it('a clock offset of whole hours is worded as a zone mistake, in hours', () => {
    const c = { host: 'gw-a', offsetNs: -3_600_000_000_000n, samples: 2, applied: false, evidence: [] };
    expect(clockNote(c)).toBeUndefined();
    expect(clockNote({ ...c, suspect: 'wrong-zone' })).toMatch(/^-1\.00 h/);
  });
});
