import { describe, expect, it } from 'vitest';
import { remedyFor } from '../../src/correlate/remedy.js';
import { prepareZone } from '../../src/model/instant.js';
import type { Finding, SplitBrainFinding, TranslationFinding } from '../../src/model/report.js';
import { findingParts, findingSummary, persistenceText, remedyLines, ruleChangeNote, splitCauseText } from '../../src/report/finding-words.js';

const SEC = 1_000_000_000n;
const T = 1795586141n * SEC; // 2026-11-25 05:55:41 UTC

const translation: TranslationFinding = {
  id: 'F1', kind: 'vrrp-source-translated', severity: 'critical', vrid: 150, router: 'gw-a', originalSource: '198.51.100.175', translatedSource: '203.0.113.1',
  firstSeen: T, lastSeen: T + 14n * SEC, revertedAt: null, adverts: 15, election: 'split-brain', electionBeforeSplit: 'changed', led: ['F2'], transitions: [],
  sighting: { by: 'wire', quiet: { kind: 'stopped', at: T + 15n * SEC } }, evidence: [],
  remedy: remedyFor({ router: 'gw-a', original: '198.51.100.175', translated: '203.0.113.1', dst: '224.0.0.18', protocols: [112] }),
};
const split: SplitBrainFinding = {
  id: 'F2', kind: 'split-brain', severity: 'critical', vrid: 150, router: null, start: T, end: null, hosts: ['gw-a', 'gw-b'], causedBy: 'F1', evidence: [],
  cause: { sender: 'gw-a', translated: '203.0.113.1', why: { kind: 'dropped', host: 'gw-b', by: 'ah-rejected', lines: 1, start: T, end: T, file: 'gw-b/syslog', line: 29 } },
};
const all: Finding[] = [translation, split];

describe('finding words (golden text: the wording of typed facts)', () => {
  it('a translation and the split brain it caused, each naming the other by id, in the display zone', async () => {
    await prepareZone('Asia/Tokyo');
    expect(findingSummary(translation, { tz: 'UTC', findings: all })).toBe(
      'VRRP adverts of gw-a (vrid 150, 198.51.100.175) left with the translated source 203.0.113.1 from 2026-11-25 05:55:41.000000 to 2026-11-25 05:55:55.000000 UTC (15 adverts); ' +
      'no advert after it: keepalived on gw-a stopped at 2026-11-25 05:55:56.000000; it changed the election; it split the brain (F2).');
    expect(findingSummary(split, { tz: 'Asia/Tokyo', findings: all })).toBe(
      'Split brain on vrid 150: gw-a and gw-b were master at once from 2026-11-25 14:55:41.000000 Asia/Tokyo to the end of the evidence, caused by the translated source 203.0.113.1 of gw-a (F1).');
    expect(splitCauseText(split.cause!, 'UTC')).toBe('the adverts of gw-a carry 203.0.113.1: gw-b drops them as failing IPSEC-AH (its HMAC covers the IP source address, which NAT rewrote; ' +
      '1 line from 2026-11-25 05:55:41.000000 to 2026-11-25 05:55:41.000000, first gw-b/syslog:29), so it never hears the master and stays MASTER too');
  });

  it('a split brain whose cause is not a translation (a full table) ends without naming one', () => {
    const { cause: _cause, ...bare } = split;
    expect(findingSummary({ ...bare, causedBy: 'F9' }, { tz: 'UTC', findings: all })).toMatch(/to the end of the evidence\.$/);
  });

  it('the remedy in order, with the nft form beside the iptables one; the verdict leaves the alternative out', () => {
    const lines = remedyLines(translation.remedy!);
    expect(lines).toEqual([
      '# on gw-a (198.51.100.175); its VRRP adverts leave as 203.0.113.1',
      '# 1. do not track VRRP',
      'iptables -t raw -I OUTPUT -p vrrp -j NOTRACK',
      'iptables -t raw -I PREROUTING -p vrrp -j NOTRACK',
      "# or, with nft: nft add table ip raw; nft 'add chain ip raw output { type filter hook output priority raw; }'; nft insert rule ip raw output ip protocol vrrp notrack",
      '# 2. accept the now UNTRACKED VRRP in filter INPUT',
      'iptables -I INPUT -p vrrp -m conntrack --ctstate UNTRACKED -j ACCEPT',
      '# 3. exempt VRRP from SNAT (or restrict the SNAT rule to the uplink with -o)',
      'iptables -t nat -I POSTROUTING -p vrrp -j RETURN',
      '# 4. then delete the stale entry (the next advert is untracked and leaves with its real source)',
      'conntrack -D -p 112 -s 198.51.100.175 -d 224.0.0.18',
    ]);
    expect(remedyLines(translation.remedy!, { alternatives: false })).toEqual(lines.filter((l) => !l.startsWith('# or, with nft')));
  });

  it('why an entry persisted and what a later ruleset did, from their facts', () => {
    expect(persistenceText({ kind: 'refreshed', timeoutS: 600 })).toContain('advert_int ≪ the 600 s generic timeout');
    expect(ruleChangeNote({ file: 'r.2', line: 9, at: T, decision: 'exempt', effect: { kind: 'too-late', untracked: false, ruleLine: 9, until: T + SEC } }, 'UTC'))
      .toBe('an exemption (line 9) added while the entry existed: nat rules are consulted only when an entry is created, so the existing entry kept translating until 2026-11-25 05:55:42.000000');
    expect(ruleChangeNote({ file: 'r.3', line: 6, at: T, decision: 'untracked', effect: { kind: 'from-here', ruleLine: 6 } }, 'UTC')).toBe('untracked from here on (line 6)');
  });

  it('the parts after a summary are the kind\'s own: a split brain\'s cause in words, a translation\'s remedy as lines', () => {
    expect(findingParts(split, 'UTC')).toEqual({ cause: splitCauseText(split.cause!, 'UTC') });
    expect(findingParts(translation, 'UTC').remedy).toEqual(remedyLines(translation.remedy!));
  });

  it('a split brain one host\'s logs show by its drops says how two masters are known', () => {
    const T1 = 1796164429n * SEC; // 2026-12-01 22:33:49 UTC
    const f: SplitBrainFinding = {
      id: 'F1', kind: 'split-brain', severity: 'critical', vrid: null, router: null, start: T1, end: T1 + 8n * SEC, hosts: ['gw-b'], evidence: [],
      seenBy: { by: 'dropped-adverts', host: 'gw-b', drop: 'invalid-checksum', lines: 13, file: 'syslog', line: 19 },
    };
    expect(findingSummary(f, { tz: 'UTC', findings: [f] })).toBe('Split brain: gw-b was MASTER from 2026-12-01 22:33:49.000000 to 2026-12-01 22:33:57.000000 UTC while its keepalived kept dropping the adverts of another router (13 "Invalid VRRPv3 checksum" lines, first syslog:19) — only a master advertises, so two were master at once.');
    const named: SplitBrainFinding = { ...f, hosts: ['gw-b', 'gw-a'], seenBy: { ...f.seenBy!, drop: 'not-unicast-peer', peer: '203.0.113.1' } };
    expect(findingSummary(named, { tz: 'UTC', findings: [named] })).toContain('kept dropping the adverts of gw-a (203.0.113.1) (13 "not a unicast peer" lines');
  });
});
