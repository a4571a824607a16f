import { describe, expect, it } from 'vitest';
import { prepareZone } from '../../src/model/instant.js';
import type { EntryLife, HostEndState, RulesetShift } from '../../src/model/story.js';
import { findingSummary } from '../../src/report/finding-words.js';
import { birthCauseWords, endStatusWords, lifeWords, shiftLines } from '../../src/report/story-words.js';
import type { Finding } from '../../src/model/report.js';

const SEC = 1_000_000_000n;
const T0 = 1796164429n * SEC; // 2026-12-01 22:33:49 UTC

describe('story words', () => {
  it('an idle entry: refreshed until, expires about, and the consequence — never "will never expire"', () => {
    const life: EntryLife = { state: 'idle', refreshedUntil: T0, refreshedFrom: 'last-advert', expiresAt: T0 + 600n * SEC, timeoutS: 600, why: 'router-stopped' };
    const w = lifeWords(life, 'gw-a', 'UTC');
    expect(w).toContain('refreshed until 2026-12-01 22:33:49.000000');
    expect(w).toContain('expires about 2026-12-01 22:43:49.000000 (600 s later)');
    expect(w).toContain('if gw-a advertises again (becomes master) before then, its adverts leave translated again');
    expect(w).not.toMatch(/never expire/);
  });

  it('the display zone is the one given', async () => {
    await prepareZone('Europe/Berlin');
    const life: EntryLife = { state: 'idle', refreshedUntil: T0, refreshedFrom: 'last-advert', expiresAt: T0 + 600n * SEC, timeoutS: 600, why: 'untracked' };
    expect(lifeWords(life, 'gw-a', 'Europe/Berlin')).toContain('23:43:49');
  });

  it('a birth after a flush, an expiry', () => {
    const destroyed = { file: 'gw-a/conntrack-events.log', line: 4, at: T0, byUser: 'conntrack' };
    expect(birthCauseWords({ kind: 'user-deletion', destroyed, previousReplyDst: '198.51.100.175', sameCommand: 2, gapNs: 352_000_000n }, 'UTC'))
      .toBe('born after the untranslated entry of the same flow was deleted by conntrack at 2026-12-01 22:33:49.000000 (gw-a/conntrack-events.log:4, 0.35 s before its birth; 2 VRRP entries at once: a flush)');
    expect(birthCauseWords({ kind: 'expiry', destroyed: { ...destroyed, byUser: undefined }, previousReplyDst: '198.51.100.175', sameCommand: 1, gapNs: SEC }, 'UTC')).toMatch(/^born after the untranslated entry of the same flow expired at /);
  });

  it('a ruleset change as a diff', () => {
    const shift: RulesetShift = { before: { file: 'x.1', at: 0n }, after: { file: 'x.2', at: SEC }, beforeDecision: 'exempt', afterDecision: 'translated', added: [], removed: [{ table: 'nat', text: '-A POSTROUTING -p vrrp -j ACCEPT', line: 7 }] };
    expect(shiftLines(shift)).toEqual(['− nat -A POSTROUTING -p vrrp -j ACCEPT  (x.1 line 7)']);
  });

  it('end states: idle until, fixed with a stale entry, needs the fix', () => {
    const h = (x: Partial<HostEndState>): HostEndState => ({ host: 'gw-a', keepalived: 'STOPPED', status: 'fixed', needsFix: false, findings: [], ...x });
    expect(endStatusWords(h({ status: 'entry-idle', entryIdleUntil: T0, needsFix: true }), 'UTC')).toBe('translated entry idle until about 2026-12-01 22:33:49.000000 — needs the fix');
    expect(endStatusWords(h({ entryIdleUntil: T0 }), 'UTC')).toBe('fixed; its stale translated entry idle until about 2026-12-01 22:33:49.000000');
    expect(endStatusWords(h({ status: 'still-translating', needsFix: true }), 'UTC')).toBe('still translating — needs the fix');
  });

  it('the story\'s findings are worded at the edge from their facts, in the display zone', () => {
    const base = { id: 'F2', severity: 'warning' as const, vrid: 150, router: 'gw-b', evidence: [] };
    const full: Finding = { ...base, kind: 'conntrack-exhaustion', start: T0, end: T0 + 8n * SEC, hosts: ['gw-b'], remedy: { for: { kind: 'exhaustion', host: 'gw-b' }, steps: [] }, exhaustion: { host: 'gw-b', start: T0, end: T0 + 8n * SEC, kernelLines: 16, sendErrors: 6, tookMasterAt: T0 + 3n * SEC } };
    expect(findingSummary(full, { tz: 'UTC', findings: [] })).toBe('Conntrack table full on gw-b from 2026-12-01 22:33:49.000000 to 2026-12-01 22:33:57.000000 UTC (16 kernel lines "table full, dropping packet"): new flows were dropped, VRRP adverts among them; keepalived could not send its own (6 "send advert error" lines); gw-b heard no master and took MASTER at 2026-12-01 22:33:52.000000.');
    const side = (file: string, locator: string, text: string) => ({ file, locator, at: T0, text });
    const k: Finding = { ...base, kind: 'contradiction', end: null, contradiction: { claim: 'born-translated-under-exempting-rule', host: 'gw-a', sides: [side('ev', 'line 7', 'x'), side('ipt.1', 'line 7', '-A POSTROUTING -p vrrp -j ACCEPT')], hypotheses: [{ kind: 'ruleset-not-saved', evidence: [] }] } };
    expect(findingSummary(k, { tz: 'UTC', findings: [] })).toMatch(/^Contradiction on gw-a: the conntrack entry ev line 7 was born translated at .* yet the saved rule in force then \(ipt\.1 line 7: -A POSTROUTING -p vrrp -j ACCEPT\) does not translate VRRP — no saved ruleset explains this translation; hypothesis: the rules in force at the birth were never saved/);
  });

  it('an unplanned failover and a VIP claimed while MASTER are worded from their facts', () => {
    const base = { id: 'F1', severity: 'warning' as const, vrid: 150, router: 'gw-b', evidence: [] };
    const u: Finding = {
      ...base, kind: 'unexplained-takeover', start: T0 + 4n * SEC, end: null, hosts: ['gw-b'],
      takeover: { host: 'gw-b', instance: 'VI_1', at: T0 + 4n * SEC, file: 'syslog', line: 33, masterLogs: 'absent', master: { src: '198.51.100.175', vrid: 150, lastAt: T0, heardBy: 'capture', adverts: 3, file: 'lan0.pcap', locator: 'frame 7' } },
    };
    expect(findingSummary(u, { tz: 'UTC', findings: [] })).toBe('gw-b took MASTER for VI_1 at 2026-12-01 22:33:53.000000 UTC (syslog:33) on an advert timeout: the master 198.51.100.175 advertised vrid 150 until 2026-12-01 22:33:49.000000 (lan0.pcap frame 7, 3 adverts in that run) and then went silent without a priority-0 advert, so it did not resign. Nothing in the evidence says why: its logs are not in the evidence. An unplanned failover: look for what silenced the master (keepalived killed or crashed, the host or its link down, its adverts dropped on the way).');
    const ev = (locator: string, at: bigint) => ({ file: 'lan0.pcap', locator, at, text: '' });
    const v: Finding = {
      ...base, router: 'gw-a', kind: 'contradiction', end: null, contradiction: {
        claim: 'vip-claimed-while-master', host: 'gw-a', sides: [{ file: 'syslog', locator: 'line 22', at: T0, text: '' }, ev('frame 23', T0 + 5n * SEC)],
        hypotheses: [{ kind: 'second-master-unheard', evidence: [] }],
        vipClaim: { address: '198.51.100.254', mac: '52:54:00:00:b0:01', macOwner: 'gw-b', announcements: 10, first: ev('frame 23', T0 + 5n * SEC), last: ev('frame 30', T0 + 10n * SEC), masterSince: T0, leftMasterAt: null },
      },
    };
    const wire = { ...v, contradiction: { ...v.contradiction, host: null, vipClaim: { ...v.contradiction.vipClaim!, macOwner: undefined, macSender: '198.51.100.176', masterBy: 'wire' as const, master: '198.51.100.175', leftMasterAt: T0 + 14n * SEC } } } as Finding;
    expect(findingSummary(wire, { tz: 'UTC', findings: [] })).toMatch(/^Contradiction: 198\.51\.100\.175 advertised as master from 2026-12-01 22:33:49\.000000 UTC to 2026-12-01 22:34:03\.000000 \(syslog line 22\), yet the same capture shows 10 announcements of its virtual address 198\.51\.100\.254 at 52:54:00:00:b0:01 \(the MAC 198\.51\.100\.176's adverts came from\) .* and no advert from that MAC then — two stations claimed the address; /);
    expect(findingSummary(v, { tz: 'UTC', findings: [] })).toBe('Contradiction on gw-a: its keepalived was MASTER from 2026-12-01 22:33:49.000000 UTC (syslog line 22) to the end of the evidence, yet its own capture shows 10 announcements of its virtual address 198.51.100.254 at gw-b\'s MAC 52:54:00:00:b0:01 from 2026-12-01 22:33:54.000000 to 2026-12-01 22:33:59.000000 (lan0.pcap frame 23) — two stations claimed the address; hypothesis: another router took MASTER and its adverts never reached this host (not sent — a full conntrack table, a send error — or lost on the way): a split brain.');
  });
});
