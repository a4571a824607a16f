import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { prepareZone, toRfc3339 } from '../../src/model/instant.js';
import { persistenceText, remedyLines, splitCauseText } from '../../src/report/finding-words.js';
import { findingsOf, type Finding, type FindingKind, type Report } from '../../src/model/report.js';
import { ROOT, TCPDUMP } from '../helpers/capture.js';
import { carp, ether, ipv4, pcapHeader, pcapRecord } from '../helpers/craft.js';

const S = (name: string) => path.join('samples', name);
const at = (ns: bigint | null | undefined) => (ns === null || ns === undefined ? null : toRfc3339(ns));
const run = async (paths: string[], extra: Parameters<typeof analyze>[1] = { tz: 'UTC' }) => {
  await prepareZone(extra.tz);
  process.chdir(ROOT);
  return analyze(paths, extra);
};
const kinds = <K extends FindingKind>(r: Report, k: K) => findingsOf(r.findings, k);
const ev = (f: Finding, file: string, locator: string) => f.evidence.find((e) => e.file.endsWith(file) && e.locator === locator);

describe('analyze: every recorded sample, the facts in its README', () => {
  it('seed-snat: the first translated advert, the entry born with it, the useless exemption, the revert, the transition', async () => {
    const r = await run([S('seed-snat')]);
    const [f] = kinds(r, 'vrrp-source-translated');
    // gw-a outranks gw-b (150 > 100): the election went as it would have untranslated — a latent fault, not an outage
    expect(f).toMatchObject({ vrid: 150, router: 'gw-a', originalSource: '198.51.100.175', translatedSource: '203.0.113.1', adverts: 15, severity: 'warning' });
    expect(f.election).toBe('by-priority');
    // the sender's own capture sees it first (ns pcap); the peer's frame 7 is cited too
    expect(at(f.firstSeen)).toBe('2026-11-25T05:55:41.743041408Z');
    expect(ev(f, 'gw-b/lan0.pcap', 'frame 7')?.at).toBe(1795586141743047000n);
    expect(ev(f, 'gw-a/any.pcap', 'frame 7')).toBeDefined();
    expect(at(f.lastSeen)).toBe('2026-11-25T05:55:55.745791000Z');
    expect(ev(f, 'gw-b/lan0.pcap', 'frame 32')).toMatchObject({ role: { kind: 'source-reverted' }, text: expect.stringMatching(/^198\.51\.100\.175 > 224\.0\.0\.18/) });
    // why each piece is cited is a typed role; the text is the packet or the line as read
    expect(ev(f, 'gw-b/lan0.pcap', 'frame 7')).toMatchObject({ role: { kind: 'first-translated-advert' }, text: expect.stringMatching(/^203\.0\.113\.1 > 224\.0\.0\.18: VRRPv2/) });
    expect(ev(f, 'gw-b/lan0.pcap', 'frame 31')?.role).toEqual({ kind: 'last-translated-advert', adverts: 15 });
    expect(ev(f, 'gw-b/syslog.rfc3339', 'line 29')).toMatchObject({ role: { kind: 'names-source', host: 'gw-b', address: '203.0.113.1', lines: 1 }, text: expect.stringContaining('203.0.113.1') });
    const [change] = kinds(r, 'master-change');
    expect(change.evidence[0]).toMatchObject({ file: expect.stringMatching(/gw-b\/syslog\.rfc3339$/), locator: 'line 21', text: 'Entering MASTER STATE', role: { kind: 'transition', from: 'BACKUP' } });
    expect(r.clocks[0].evidence[0]).toMatchObject({ locator: 'line 21', text: 'Entering MASTER STATE', role: { kind: 'transition' } });
    expect(f.sameRouter).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'mac', macs: ['52:54:00:00:a0:01'] }), expect.objectContaining({ kind: 'master', router: 'gw-a' })]));
    const c = f.conntrack!;
    expect(c).toMatchObject({ line: 3, createdAtFrom: 'event', relation: 'born-with-first-advert', original: { src: '198.51.100.175', dst: '224.0.0.18', protocol: 112 }, reply: { src: '224.0.0.18', dst: '203.0.113.1' } });
    expect(c.file).toMatch(/gw-a\/conntrack-events\.log$/);
    expect(at(c.createdAt)).toBe('2026-11-25T05:55:41.743090000Z');
    expect(c.rule).toMatchObject({ line: 7, text: '-A POSTROUTING -j SNAT --to-source 203.0.113.1', decision: 'translated' });
    expect(c.rule!.file).toMatch(/iptables-save\.1-naive-snat$/);
    // the exemption came while the entry existed: nat rules are consulted only when an entry is created
    expect(c.ruleChanges![0].effect).toEqual({ kind: 'too-late', untracked: false, ruleLine: expect.any(Number), until: f.lastSeen });
    expect(c.destroyed).toMatchObject({ line: 4 });
    expect(c.persistence).toEqual({ kind: 'reader', stale: { kind: 'never-expires', src: '198.51.100.175', to: 'group', timeoutS: 600, translatedSource: '203.0.113.1', ended: { file: c.file, line: 4, byUser: true } } });
    const gwb = f.transitions!.find((t) => t.host === 'gw-b' && t.to === 'BACKUP' && t.from === 'MASTER')!;
    expect(at(gwb.at)).toBe('2026-11-25T05:55:41.743211000Z');
    expect(gwb.reason).toMatchObject({ kind: 'higher-priority', peerPriority: 150, peer: { address: '203.0.113.1', translated: { original: '198.51.100.175', router: 'gw-a' } } });
    expect(f.remedy!.steps.map((s) => [s.n, s.action, s.syntax, s.commands.find((c) => !c.alternative)?.command])).toEqual([
      [1, 'notrack', 'iptables', 'iptables -t raw -I OUTPUT -p vrrp -j NOTRACK'],
      [2, 'accept-untracked', 'iptables', 'iptables -I INPUT -p vrrp -m conntrack --ctstate UNTRACKED -j ACCEPT'],
      [3, 'exempt-from-snat', 'iptables', 'iptables -t nat -I POSTROUTING -p vrrp -j RETURN'],
      [4, 'delete-entry', 'shell', 'conntrack -D -p 112 -s 198.51.100.175 -d 224.0.0.18'],
    ]);
    // the traditional syslog holds the RFC 3339 one's messages: each counted once, in the precise copy
    expect(r.inputs.find((i) => i.path.endsWith('gw-b/syslog'))?.folded).toEqual([{ keptIn: 'samples/seed-snat/gw-b/syslog.rfc3339', messages: 34 }]);
    // snapshots after the entry was deleted (gw-a) and of gw-b's empty table are dated evidence of "no VRRP flow"
    const snap = (end: string) => r.inputs.find((i) => i.path.endsWith(end))!;
    expect([snap('gw-a/nf_conntrack.1795586164'), snap('gw-b/nf_conntrack.1795586148')].map((i) => [i.kind, i.records, at(i.first), i.notes])).toEqual([
      ['conntrack', 0, '2026-11-25T05:56:04.000000000Z', [{ kind: 'snapshot-without-vrrp', entries: 1 }]],
      ['conntrack', 0, '2026-11-25T05:55:48.000000000Z', [{ kind: 'snapshot-without-vrrp', entries: 0 }]],
    ]);
    expect(r.routers.find((x) => x.name === 'gw-a')).toMatchObject({ addresses: ['198.51.100.175'], macs: ['52:54:00:00:a0:01'], vrids: [150], translatedTo: ['203.0.113.1'] });
    expect(kinds(r, 'split-brain')).toHaveLength(0);
  });

  it('nft-jump: the rule in force is found through the jump; the return and NOTRACK come too late; the fix in nft for its own chains', async () => {
    const r = await run([S('nft-jump')]);
    const [f] = kinds(r, 'vrrp-source-translated');
    expect(f).toMatchObject({ vrid: 150, router: 'gw-a', originalSource: '198.51.100.175', translatedSource: '203.0.113.1', adverts: 15 });
    expect(ev(f, 'gw-b/lan0.pcap', 'frame 7')?.at).toBe(1795600453997039000n);
    expect(ev(f, 'gw-b/lan0.pcap', 'frame 32')?.role).toEqual({ kind: 'source-reverted' });
    expect(f.conntrack).toMatchObject({ file: 'samples/nft-jump/gw-a/conntrack-events.log', line: 3, relation: 'born-with-first-advert' });
    expect(f.conntrack!.rule).toMatchObject({ file: 'samples/nft-jump/gw-a/nft-ruleset.1-snat-lan', line: 9, text: 'ip saddr 198.51.100.0/24 snat ip to 203.0.113.1', decision: 'translated' });
    expect(f.conntrack!.ruleChanges!.map((c) => [c.file.split('/').pop(), c.line, at(c.at), c.decision])).toEqual([
      ['nft-ruleset.2-vrrp-return', 9, '2026-11-25T09:54:20.000000000Z', 'exempt'],
      ['nft-ruleset.3-notrack', 15, '2026-11-25T09:54:28.000000000Z', 'untracked'],
    ]);
    // each step in the admin's own table and chains, and each already in the last saved ruleset
    // a golden-text check of the remedy's words (the steps are asserted as structure elsewhere)
    expect(remedyLines(f.remedy!)).toEqual([
      '# on gw-a (198.51.100.175); its VRRP adverts leave as 203.0.113.1',
      '# 1. do not track VRRP (raw priority: before conntrack)',
      "nft 'add chain inet gw vrrp_notrack_out { type filter hook output priority raw; }'; nft add rule inet gw vrrp_notrack_out meta l4proto vrrp notrack  # already in samples/nft-jump/gw-a/nft-ruleset.3-notrack line 15",
      "nft 'add chain inet gw vrrp_notrack_in { type filter hook prerouting priority raw; }'; nft add rule inet gw vrrp_notrack_in meta l4proto vrrp notrack",
      '# 2. accept the now untracked VRRP in the input filter',
      'nft insert rule inet gw input meta l4proto vrrp ct state untracked accept  # already in samples/nft-jump/gw-a/nft-ruleset.3-notrack line 20',
      '# 3. keep VRRP out of SNAT: accept it first in the chain that translates',
      'nft insert rule inet gw lan_out meta l4proto vrrp accept  # already in samples/nft-jump/gw-a/nft-ruleset.3-notrack line 9',
      '# 4. then delete the stale entry (the next advert is untracked and leaves with its real source)',
      'conntrack -D -p 112 -s 198.51.100.175 -d 224.0.0.18',
    ]);
    const gwb = f.transitions!.find((t) => t.host === 'gw-b' && t.to === 'BACKUP' && t.from === 'MASTER')!;
    expect([at(gwb.at), gwb.line]).toEqual(['2026-11-25T09:54:13.997346000Z', 30]);
    // nft listings carry no date: each file's first line (a `date` an operator wrote) is its time
    expect(r.inputs.find((i) => i.path.endsWith('nft-ruleset.1-snat-lan'))).toMatchObject({ format: 'nft', notes: [{ kind: 'saved-at', from: 'first-line' }] });
  });

  it('ah-auth: the peer rejects translated AH adverts and stays MASTER (split brain); -p vrrp rules miss AH; the fix is -p ah', async () => {
    const r = await run([S('ah-auth')]);
    const [f] = kinds(r, 'vrrp-source-translated');
    expect(f).toMatchObject({ router: 'gw-a', originalSource: '198.51.100.175', translatedSource: '203.0.113.1', adverts: 10, severity: 'critical' });
    expect(f.conntrack).toMatchObject({ line: 3, original: { protocol: 51 }, relation: 'born-with-first-advert' });
    expect(f.conntrack!.ruleChanges!.map((c) => [c.file.split('/').pop(), c.decision, c.effect])).toEqual([
      ['iptables-save.2-vrrp-fix', 'translated', { kind: 'still-translates', ahOnly: true }],
      ['iptables-save.3-ah-notrack', 'untracked', { kind: 'from-here', ruleLine: 6 }],
    ]);
    expect(f.remedy!.steps[0]).toMatchObject({ action: 'notrack', protocol: 'ah' });
    expect(f.remedy!.steps[0].commands[0]).toEqual({ command: 'iptables -t raw -I OUTPUT -p ah -j NOTRACK', alreadyIn: { file: 'samples/ah-auth/gw-a/iptables-save.3-ah-notrack', line: 6 } });
    expect(f.remedy!.steps.at(-1)!.commands).toEqual([{ command: 'conntrack -D -p 51 -s 198.51.100.175 -d 224.0.0.18' }]);
    const [sb] = kinds(r, 'split-brain');
    // from gw-a's first translated advert on the wire to gw-b's "Entering BACKUP STATE"
    expect([at(sb.start), at(sb.end), sb.hosts]).toEqual(['2026-11-25T10:03:49.958883432Z', '2026-11-25T10:04:05.963790000Z', ['gw-a', 'gw-b']]);
    expect(sb.cause).toMatchObject({ sender: 'gw-a', translated: '203.0.113.1', why: { kind: 'dropped', host: 'gw-b', by: 'ah-rejected', lines: 13, file: 'samples/ah-auth/gw-b/syslog.rfc3339', line: 29 } });
    // and its words, once (golden text)
    expect(splitCauseText(sb.cause!, 'UTC')).toMatch(/^the adverts of gw-a carry 203\.0\.113\.1: gw-b drops them as failing IPSEC-AH \(its HMAC covers the IP source address, which NAT rewrote; 13 lines .* first samples\/ah-auth\/gw-b\/syslog\.rfc3339:29\)/);
    expect(sb.evidence.some((e) => e.file.endsWith('gw-b/syslog.rfc3339') && e.locator === 'line 29')).toBe(true);
  });

  it('ah-auth without gw-b\'s logs: the wire alone shows the split (a skipped advert does not end it); no log says why', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-ah-'));
    for (const f of ['gw-a/any.pcap', 'gw-a/syslog.rfc3339', 'gw-a/keepalived.conf', 'gw-a/conntrack-events.log', 'gw-b/lan0.pcap', 'gw-b/keepalived.conf']) {
      mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      copyFileSync(path.join(ROOT, 'samples/ah-auth', f), path.join(dir, f));
    }
    const r = await run([dir]);
    const [sb] = kinds(r, 'split-brain');
    // until gw-b's last advert (as gw-a's capture saw it), though gw-b skipped its advert at 10:03:55.96
    expect([at(sb.start), at(sb.end)]).toEqual(['2026-11-25T10:03:49.958883432Z', '2026-11-25T10:04:04.963378411Z']);
    expect(sb.cause?.why).toMatchObject({ kind: 'unequal-priorities' });
  });

  it('unicast-check-src: the peer drops the translated source as not a unicast peer and takes over; the cause cites its drops', async () => {
    const r = await run([S('unicast-check-src')]);
    const [f] = kinds(r, 'vrrp-source-translated');
    expect(f).toMatchObject({ translatedSource: '203.0.113.1', adverts: 13, severity: 'critical' });
    expect(f.conntrack).toMatchObject({ line: 1, original: { dst: '198.51.100.176' }, reply: { src: '198.51.100.176', dst: '203.0.113.1' } });
    const up = f.transitions!.find((t) => t.host === 'gw-b' && t.to === 'MASTER' && t.from === 'BACKUP')!;
    expect([at(up.at), up.line]).toEqual(['2026-11-25T10:29:28.048640000Z', 25]);
    expect(up.reason).toEqual({ kind: 'advert-timeout', dropped: { by: 'not-unicast-peer', peer: { address: '203.0.113.1', translated: { original: '198.51.100.175', router: 'gw-a' } } } });
    const [sb] = kinds(r, 'split-brain');
    expect([at(sb.start), at(sb.end)]).toEqual(['2026-11-25T10:29:28.048640000Z', '2026-11-25T10:29:34.830326000Z']);
    expect(sb.cause?.why).toMatchObject({ kind: 'dropped', host: 'gw-b', by: 'not-unicast-peer', peer: '203.0.113.1', lines: 10, file: 'samples/unicast-check-src/gw-b/syslog.rfc3339', line: 20 });
  });

  it('expiry: the translated entry times out while gw-a is stopped; the next advert makes a new, untranslated one', async () => {
    const r = await run([S('expiry')]);
    const [f] = kinds(r, 'vrrp-source-translated');
    expect([f.adverts, at(f.revertedAt)]).toEqual([5, '2026-11-25T10:34:42.430118083Z']);
    expect(f.conntrack).toMatchObject({ line: 3, relation: 'born-with-first-advert', destroyed: { line: 7, at: 1795602878999318000n } });
    expect(f.conntrack!.destroyed!.byUser).toBeUndefined();
    // the generic timeout read from the [NEW] event (5 s here), not assumed
    expect(f.conntrack!.persistence).toEqual({ kind: 'reader', stale: { kind: 'expired', src: '198.51.100.175', timeoutS: 5, destroyed: { file: expect.stringMatching(/expiry\/gw-a\/conntrack-events\.log$/), line: 7 } } });
  });

  it('delete-only: conntrack -D with the rule in place — the entry is made again at once, translated the same way', async () => {
    const r = await run([S('delete-only')]);
    const [f] = kinds(r, 'vrrp-source-translated');
    expect([f.adverts, at(f.revertedAt)]).toEqual([10, '2026-11-25T10:39:58.656171000Z']);
    expect(f.conntrack).toMatchObject({ line: 3, destroyed: { line: 4, byUser: 'conntrack' } });
    expect(f.conntrack!.renewals).toEqual([{ file: 'samples/delete-only/gw-a/conntrack-events.log', line: 6, at: 1795603192655186000n, destroyed: { file: 'samples/delete-only/gw-a/conntrack-events.log', line: 7, at: 1795603198321317000n, byUser: 'portid 2784275741' } }]);
    expect(f.conntrack!.persistence).toEqual({
      kind: 'renewed', deleted: { file: 'samples/delete-only/gw-a/conntrack-events.log', line: 4 }, gapNs: expect.any(BigInt),
      next: { file: 'samples/delete-only/gw-a/conntrack-events.log', line: 6 }, times: 1, end: { file: 'samples/delete-only/gw-a/conntrack-events.log', line: 7, byUser: true },
    });
    // its words, once (golden text)
    expect(persistenceText(f.conntrack!.persistence!)).toBe('deleting it (samples/delete-only/gw-a/conntrack-events.log:4) did not help: 0.37 s later the next advert made it again, translated the same way (samples/delete-only/gw-a/conntrack-events.log:6) — the nat rule still matched; the translation ended when the last one was deleted (samples/delete-only/gw-a/conntrack-events.log:7)');
  });

  it('vmac: the shared virtual MAC proves nothing and is not used; -i any copies of one advert are counted once', async () => {
    const r = await run([S('vmac')]);
    const [f] = kinds(r, 'vrrp-source-translated');
    expect([f.adverts, f.conntrack?.line, at(f.revertedAt)]).toEqual([5, 2, '2026-11-25T10:46:17.923875408Z']);
    const facts = f.sameRouter!.map((x) => x.kind);
    expect(facts).not.toContain('mac');
    expect(facts).not.toContain('no-foreign-garp');
    expect(f.sameRouter).toContainEqual({ kind: 'sent-by-us', host: 'gw-a', file: 'samples/vmac/gw-a/any.pcap', adverts: 5 });
    expect(r.inputs.find((i) => i.path.endsWith('gw-a/any.pcap'))?.notes).toEqual([{ kind: 'advert-copies', adverts: 13 }]);
    expect(r.routers.find((x) => x.name === 'gw-a')?.macs).toEqual([]);
  });

  it('both-snat: both routers translate, each through its own entry; elections go by priority; a sender that left MASTER is not "unreverted"', async () => {
    const r = await run([S('both-snat')]);
    const fs = kinds(r, 'vrrp-source-translated');
    expect(fs.map((f) => [f.router, f.translatedSource, f.adverts, f.severity, f.conntrack?.file.split('/').slice(-2).join('/'), f.conntrack?.line])).toEqual([
      ['gw-b', '203.0.113.2', 10, 'warning', 'gw-b/conntrack-events.log', 2],
      ['gw-a', '203.0.113.1', 9, 'warning', 'gw-a/conntrack-events.log', 3],
    ]);
    // no advert after it: gw-b left MASTER (not "not reverted")
    expect(fs[0].revertedAt).toBeNull();
    expect(fs[0].sighting).toEqual({ by: 'wire', quiet: { kind: 'left-master', at: 1795601528369019000n, file: 'samples/both-snat/gw-b/syslog.rfc3339', line: 49 } });
    expect(at(fs[1].revertedAt)).toBe('2026-11-25T10:12:11.369580000Z');
    // gw-a's view of gw-b's translated adverts (src=203.0.113.2 … dst=203.0.113.2) is an incoming flow, not a translation by gw-a
    expect(r.routers.find((x) => x.name === 'gw-a')?.translatedTo).toEqual(['203.0.113.1']);
    expect(kinds(r, 'split-brain')).toHaveLength(0);
    expect(r.findings.filter((f) => f.severity === 'critical')).toHaveLength(0);
  });

  it('inputs that are several incidents are flagged before the verdict (batch makes one report each); a snapshot taken later is not one', async () => {
    const two = await run([S('seed-snat'), S('both-snat')]);
    expect(two.incidents?.inBatch).toBe(false);
    expect(two.incidents!.spans.map((s) => [at(s.first)!.slice(0, 19), at(s.last)!.slice(0, 19)])).toEqual([
      ['2026-11-25T05:55:37', '2026-11-25T05:56:05'], ['2026-11-25T10:11:49', '2026-11-25T10:12:18'],
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-later-'));
    writeFileSync(path.join(dir, 'nf_conntrack.later'), 'Wed Nov 25 07:30:00 UTC 2026\n');
    const later = await run([S('seed-snat'), dir]);
    // not a second incident; its host stands on the folder's name alone, and that is said
    expect(later.incidents).toBeUndefined();
    expect(later.hostFolders!.filter((h) => h.weak)).toEqual([expect.objectContaining({ host: path.basename(dir), folder: dir, from: 'folder' })]);
    expect((await run([S('seed-snat')])).incidents).toBeUndefined();
  });

  it('intermittent: the flip at the reload, the script priority change, the preemption through the translated address', async () => {
    const r = await run([S('intermittent')]);
    const [f] = kinds(r, 'vrrp-source-translated');
    expect(ev(f, 'gw-b/lan0.pcapng', 'frame 23')?.at).toBe(1795587733290420810n);
    expect(ev(f, 'gw-a/lan0-ns.pcap', 'frame 23')?.at).toBe(1795587733290418697n);
    expect(f.adverts).toBe(12);
    expect(ev(f, 'gw-b/lan0.pcapng', 'frame 34')?.role).toEqual({ kind: 'last-translated-advert', adverts: 12 });
    // gw-a's own MAC, learned from its own capture, is why the peer's translated sender is gw-a
    expect(ev(f, 'gw-a/lan0-ns.pcap', 'frame 8')).toMatchObject({ role: { kind: 'router-mac', router: 'gw-a', mac: '52:54:00:00:a0:01' }, text: expect.stringMatching(/^198\.51\.100\.175 > /) });
    expect(f.revertedAt).toBeNull();
    expect(f.conntrack).toMatchObject({ line: 7, createdAtFrom: 'event', relation: 'born-with-first-advert' });
    expect(at(f.conntrack!.createdAt)).toBe('2026-11-25T06:22:13.290470000Z');
    // the exemption restored at 06:22:14.911 could not help
    const back = f.conntrack!.ruleChanges!.find((x) => x.file.endsWith('iptables-save.3-exemption-back'))!;
    expect(back.decision).toBe('exempt');
    expect(back.effect).toMatchObject({ kind: 'too-late' });
    const b = f.transitions!.find((t) => t.host === 'gw-b' && t.to === 'MASTER')!;
    expect(at(b.at)).toBe('2026-11-25T06:22:24.714037000Z');
    expect(b.line).toBe(36);
    expect(b.reason).toMatchObject({ kind: 'preempted', discarded: 3, peerPriority: 145, peer: { address: '203.0.113.1', translated: {} } });
    const a = f.transitions!.find((t) => t.host === 'gw-a' && t.to === 'BACKUP' && t.from === 'MASTER')!;
    expect(at(a.at)).toBe('2026-11-25T06:22:24.714278000Z');
    expect(a.reason).toEqual({ kind: 'higher-priority', peerPriority: 148, ownPriority: 145, scriptPriority: 145, peer: { address: '198.51.100.176', owner: 'gw-b' } });
    // 148 > 145 decided it, translated or not
    expect(f.severity).toBe('warning');
  });

  it('split-brain: equal priorities, translated tie-break, two masters and a storm', async () => {
    const r = await run([S('split-brain')]);
    const [f] = kinds(r, 'vrrp-source-translated');
    expect(f).toMatchObject({ originalSource: '198.51.100.177', translatedSource: '192.0.2.1', router: 'gw-a', severity: 'critical' });
    expect(ev(f, 'gw-b/any.pcap.gz', 'frame 7')?.at).toBe(1795588010138251000n);
    expect(f.conntrack).toMatchObject({ line: 2, relation: 'born-with-first-advert' });
    expect(at(f.conntrack!.createdAt)).toBe('2026-11-25T06:26:50.138307000Z');
    const [sb] = kinds(r, 'split-brain');
    expect(sb.hosts).toEqual(['gw-a', 'gw-b']);
    expect(sb.start! <= 1795588010138261000n).toBe(true);
    expect(sb.causedBy).toBe(f.id);
    expect(sb.cause).toEqual({ sender: f.router, translated: f.translatedSource, why: { kind: 'tie-break' } });
    const [storm] = kinds(r, 'advert-storm');
    expect(storm.peakRate!).toBeGreaterThan(1000);
    expect(storm.evidence.map((e) => e.role)).toEqual([
      { kind: 'storm-start' }, { kind: 'election-lines', host: 'gw-a', lines: 2790, peak: 2790 }, { kind: 'election-lines', host: 'gw-b', lines: 2790, peak: 2790 },
    ]);
    expect(storm.evidence[1].text).toMatch(/forcing new election/);
    expect(ev(sb, 'gw-a/lan0.pcapng.gz', 'frame 7')?.role).toEqual({ kind: 'two-senders', vrid: 150, senders: ['gw-b', 'gw-a'] });
    // gw-b's own MAC announcing the virtual address right at the flip: the other router took over
    expect(ev(f, 'gw-b/any.pcap.gz', 'frame 20')).toMatchObject({
      role: { kind: 'foreign-garp', address: '198.51.100.254', mac: '52:54:00:00:b0:01' }, text: 'gratuitous ARP for 198.51.100.254 from 52:54:00:00:b0:01',
    });
    expect(ev(f, 'gw-b/syslog.rfc3339.gz', 'line 29')?.role).toEqual({ kind: 'names-source', host: 'gw-b', address: '192.0.2.1', lines: 2790 });
  });

  it('vrrpv3-unicast: the bad checksum is valid for the real source; the peer drops it and a split brain follows', async () => {
    const r = await run([S('vrrpv3-unicast')]);
    const [f] = kinds(r, 'vrrp-source-translated');
    expect(ev(f, 'gw-b/lan0.pcapng', 'frame 3')?.at).toBe(1795587840614901396n);
    expect(f.sameRouter).toContainEqual({ kind: 'v3-checksum', src: '203.0.113.1', original: '198.51.100.175' });
    expect(f.conntrack).toMatchObject({ line: 1, reply: { src: '198.51.100.176', dst: '203.0.113.1' } });
    const b = f.transitions!.find((t) => t.host === 'gw-b' && t.to === 'MASTER')!;
    expect(at(b.at)).toBe('2026-11-25T06:24:06.835973000Z');
    expect(b.reason).toMatchObject({ kind: 'advert-timeout', dropped: { by: 'checksum', version: 3 } });
    expect(f.remedy!.steps.at(-1)!.commands).toContainEqual({ command: 'conntrack -D -p 112 -s 198.51.100.175 -d 198.51.100.176' });
    expect(kinds(r, 'split-brain')[0].hosts).toEqual(['gw-a', 'gw-b']);
  });

  it('vrrpv3-unicast without conntrack or rulesets: the real sender is recovered from the checksum alone', async () => {
    const r = await run([S('vrrpv3-unicast/gw-b/lan0.pcapng'), S('vrrpv3-unicast/gw-a/keepalived.conf'), S('vrrpv3-unicast/gw-b/keepalived.conf')]);
    const [f] = kinds(r, 'vrrp-source-translated');
    expect(f).toMatchObject({ originalSource: '198.51.100.175', translatedSource: '203.0.113.1', recoveredSource: '198.51.100.175', conntrack: null });
  });

  it('clean-failover: nothing translated, only ordinary master changes (info), exit status 0', async () => {
    const r = await run([S('clean-failover')]);
    expect(kinds(r, 'vrrp-source-translated')).toHaveLength(0);
    expect(r.findings.every((f) => f.severity === 'info')).toBe(true);
    const masters = kinds(r, 'master-change').map((f) => `${f.router} ${at(f.start)}`);
    expect(masters).toEqual([
      'gw-b 2026-11-25T06:21:34.112836000Z', 'gw-a 2026-11-25T06:21:34.929578000Z', 'gw-b 2026-11-25T06:21:39.136626000Z', 'gw-a 2026-11-25T06:21:47.973233000Z',
    ]);
    expect(kinds(r, 'master-change')[2].reason).toEqual({ kind: 'resignation', by: 'master' });
    // gw-a's two priority-0 adverts (keepalived stopped at 06:21:38.523 and 06:21:52.567), each seen in both captures
    expect(kinds(r, 'resignation').map((f) => [f.router, at(f.start), f.evidence.length])).toEqual([
      ['gw-a', '2026-11-25T06:21:38.526767000Z', 2], ['gw-a', '2026-11-25T06:21:52.570941000Z', 2],
    ]);
  });

  it('preempt-short: info only; resignation from the wire, changes from the logs; the capture alone states each change\'s rule', async () => {
    const r = await run([S('preempt-short')]);
    expect(r.findings.every((f) => f.severity === 'info')).toBe(true);
    expect(kinds(r, 'master-change').map((f) => `${f.router} ${at(f.start)}`)).toEqual([
      'gw-b 2026-12-01T20:16:10.016597000Z', 'gw-a 2026-12-01T20:16:10.843299000Z', 'gw-b 2026-12-01T20:16:14.067650000Z', 'gw-a 2026-12-01T20:16:21.911594000Z',
    ]);
    expect(kinds(r, 'resignation').map((f) => [f.router, f.evidence.map((e) => e.locator)])).toEqual([['gw-a', ['frame 15', 'frame 15']]]);
    const wireOnly = await run([S('preempt-short/gw-b/lan0.pcap')]);
    expect(kinds(wireOnly, 'master-change').map((f) => [f.router, f.changeRule, f.fromPriority, f.toPriority, at(f.start)])).toEqual([
      ['198.51.100.175', 'preempted', 100, 150, '2026-12-01T20:16:10.843264000Z'],
      ['198.51.100.176', 'after-resignation', undefined, 100, '2026-12-01T20:16:14.067627000Z'],
      ['198.51.100.175', 'preempted', 100, 150, '2026-12-01T20:16:21.911574000Z'],
    ]);
  });

  it('tcpdump vrrp.pcap: 30 ordinary master changes on five vrids, no translation', async () => {
    const r = await run([path.join(TCPDUMP, 'vrrp.pcap')]);
    expect(kinds(r, 'master-change')).toHaveLength(30);
    expect(r.findings.filter((f) => f.kind !== 'master-change')).toHaveLength(0);
    expect(new Set(kinds(r, 'master-change').map((f) => f.vrid))).toEqual(new Set([42, 43, 44, 45, 46]));
  });

  it('year-less logs are dated by a capture of the same period, not by the file mtime', async () => {
    const r = await run([S('seed-snat/gw-b/syslog'), S('seed-snat/gw-b/lan0.pcap')]);
    const log = r.inputs.find((i) => i.path.endsWith('gw-b/syslog'))!;
    expect(log.year).toMatchObject({ first: 2026, source: 'capture', weak: false });
    expect(at(log.first)).toBe('2026-11-25T05:55:37.000000000Z');
  });

  it('a log read in the wrong zone shows as an hour-shaped clock offset; --align-clocks puts it back', async () => {
    const paths = [S('seed-snat/gw-b/syslog'), S('seed-snat/gw-b/lan0.pcap'), S('seed-snat/gw-a')];
    // an analyst in Berlin passing --tz only changes how times are shown, not how UTC logs are read
    const shown = await run(paths, { tz: 'Europe/Berlin' });
    expect(shown.clocks.find((c) => c.host === 'gw-b')!.suspect).toBeUndefined();
    const off = await run(paths, { tz: 'UTC', inputTz: 'Europe/Berlin' });
    const b = off.clocks.find((c) => c.host === 'gw-b')!;
    expect(b.suspect).toBe('wrong-zone');
    expect(Number(b.offsetNs / 1_000_000_000n)).toBe(-3600);
    expect(kinds(off, 'vrrp-source-translated')[0].transitions!.some((t) => t.host === 'gw-b' && t.to === 'BACKUP' && t.from === 'MASTER' && t.at > 1795586141000000000n && t.at < 1795586142000000000n)).toBe(false);
    const fixed = await run(paths, { tz: 'UTC', inputTz: 'Europe/Berlin', alignClocks: true });
    expect(fixed.clocks.find((c) => c.host === 'gw-b')!.applied).toBe(true);
    const t = kinds(fixed, 'vrrp-source-translated')[0].transitions!.find((x) => x.host === 'gw-b' && x.to === 'BACKUP' && x.from === 'MASTER')!;
    expect(t.reason).toMatchObject({ kind: 'higher-priority', peerPriority: 150, peer: { address: '203.0.113.1' } });
  });

  it('--host names files, clocks are estimated and applied only with --align-clocks, auth_pass never leaks', async () => {
    const r = await run([S('seed-snat')], { tz: 'UTC', hostFlags: [[S('seed-snat/gw-b'), 'peer-gw']] });
    expect(r.inputs.find((i) => i.path.endsWith('gw-b/lan0.pcap'))).toMatchObject({ host: 'peer-gw', hostFrom: 'flag' });
    const plain = await run([S('seed-snat')]);
    expect(plain.clocks.map((c) => c.host).sort()).toEqual(['gw-a', 'gw-b']);
    expect(plain.clocks.every((c) => !c.applied && c.offsetNs < 1_000_000n && c.offsetNs > -1_000_000n)).toBe(true);
    const aligned = await run([S('seed-snat')], { tz: 'UTC', alignClocks: true });
    expect(aligned.clocks.every((c) => c.applied)).toBe(true);
    expect(JSON.stringify(plain, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain('s3cr3t');
  });

  it('a pfSense-style CARP member behind outbound NAT: listed as CARP, never a VRRP router, and its translated source reported as CARP', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-carp-'));
    mkdirSync(path.join(dir, 'fw1'));
    const frames = [0, 1, 2, 3].map((i) => ether('00:00:5e:00:01:01', 0x0800, ipv4(i < 2 ? [198, 51, 100, 2] : [203, 0, 113, 1], [224, 0, 0, 18], 112, carp(1, 0))));
    frames.push(ether('00:00:5e:00:01:01', 0x0000, Buffer.alloc(46)));
    writeFileSync(path.join(dir, 'fw1/wan.pcap'), Buffer.concat([pcapHeader(1), ...frames.map((f, i) => pcapRecord(f, 1_795_587_840 + i, 0))]));
    writeFileSync(path.join(dir, 'fw1/nf_conntrack.1795587845'), 'ipv4     2 unknown  112 599 src=198.51.100.2 dst=224.0.0.18 packets=2 bytes=112 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 packets=0 bytes=0 mark=0 zone=0 use=2\n');
    const r = await run([dir]);
    expect(r.carp?.map((c) => [c.vhid, c.src, c.adverts, c.advskew, c.translatedFrom])).toEqual([[1, '198.51.100.2', 2, [0], undefined], [1, '203.0.113.1', 2, [0], '198.51.100.2']]);
    expect(r.routers.flatMap((x) => x.vrids)).toEqual([]);
    expect(r.findings.map((f) => [f.kind, f.kind === 'carp-source-translated' && [f.vhid, f.originalSource, f.translatedSource]])).toEqual([['carp-source-translated', [1, '198.51.100.2', '203.0.113.1']]]);
    expect(r.findings[0].evidence.map((e) => e.locator)).toEqual(['frame 3', 'frame 4', 'line 1']);
    // the frame of an ethertype not decoded is said, by its cause, on the capture's input line
    expect(r.inputs.find((i) => i.kind === 'capture')).toMatchObject({ problems: [], undecoded: { frames: 5, skipped: [{ etherType: 0, frames: 1 }] } });
  });
});
