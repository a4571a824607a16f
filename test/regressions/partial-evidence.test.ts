import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { prepareZone, toRfc3339 } from '../../src/model/instant.js';
import { exitStatus, findingsOf, type Report, type TranslationFinding } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

// issue 14: each source alone proves a translation, with its confidence; nothing readable is no all-clear
const run = async (paths: string[]) => {
  await prepareZone('UTC');
  process.chdir(ROOT);
  return analyze(paths, { tz: 'UTC' });
};
const translated = (r: Report): TranslationFinding[] => findingsOf(r.findings, 'vrrp-source-translated');
const at = (ns: bigint | null | undefined) => (ns === null || ns === undefined ? null : toRfc3339(ns));
const tmp = () => mkdtempSync(path.join(tmpdir(), 'vf-partial-'));

/** one gateway's folder of a sample, without its captures (as a ticket often has it) */
function withoutCaptures(sample: string, host: string): string {
  const dir = path.join(tmp(), host);
  mkdirSync(dir);
  const from = path.join(ROOT, 'samples', sample, host);
  for (const f of readdirSync(from)) if (!/\.pcap|\.pcapng/.test(f)) copyFileSync(path.join(from, f), path.join(dir, f));
  return dir;
}

describe('partial evidence is evidence', () => {
  it('one gateway\'s folder without a capture: the conntrack entry proves the translation (was: no finding, exit 0)', async () => {
    const r = await run([withoutCaptures('seed-snat', 'gw-a')]);
    const [f] = translated(r);
    expect(f).toMatchObject({
      router: 'gw-a', vrid: 150, originalSource: '198.51.100.175', translatedSource: '203.0.113.1', confidence: 'proven',
      basis: ['conntrack-entry', 'snat-rule'], severity: 'warning',
    });
    expect(f.conntrack).toMatchObject({ line: 3, createdAtFrom: 'event', reply: { src: '224.0.0.18', dst: '203.0.113.1' }, rule: { decision: 'translated', line: 7 } });
    expect(f.conntrack!.file).toMatch(/conntrack-events\.log$/);
    expect(at(f.conntrack!.createdAt)).toBe('2026-11-25T05:55:41.743090000Z');
    expect(f.conntrack!.destroyed?.byUser).toBeDefined();
    expect(f.remedy!.steps.at(-1)).toMatchObject({ action: 'delete-entry', commands: [{ command: 'conntrack -D -p 112 -s 198.51.100.175 -d 224.0.0.18' }] });
    expect(f.sighting).toEqual({ by: 'conntrack', protocol: 112, dst: '224.0.0.18' });
    expect(r.coverage).toMatchObject({ evidence: 'thin', hosts: 1 });
    expect(r.coverage!.unchecked).toEqual(['wire-sources', 'peer-view']);
    expect(exitStatus(r)).toBe(1);
  });

  it('the original report\'s single /proc/net/ip_conntrack line, reply tuple swapped: proven from that line alone', async () => {
    const file = path.join(tmp(), 'ip_conntrack');
    writeFileSync(file, 'unknown  112 599 src=192.168.8.175 dst=224.0.0.18 packets=11662 bytes=1072904 [UNREPLIED] src=1.1.1.1 dst=224.0.0.18 packets=0 bytes=0 mark=0 use=2\n');
    const r = await run([file]);
    const [f] = translated(r);
    expect(f).toMatchObject({ originalSource: '192.168.8.175', translatedSource: '1.1.1.1', confidence: 'proven', basis: ['conntrack-entry'], router: null });
    expect(f.conntrack).toMatchObject({ file, line: 1, original: { src: '192.168.8.175', dst: '224.0.0.18', protocol: 112 }, reply: { src: '1.1.1.1', dst: '224.0.0.18' } });
    expect(f.evidence[0]).toMatchObject({ file, locator: 'line 1' });
    expect(r.coverage).toMatchObject({ evidence: 'thin', sources: ['conntrack'], checked: ['conntrack-entry'] });
    expect(exitStatus(r)).toBe(1);
  });

  it('the peer\'s capture alone: the same sender under the uplink address and back (was: two ordinary master changes)', async () => {
    const r = await run(['samples/seed-snat/gw-b/lan0.pcap']);
    const [f] = translated(r);
    expect(f).toMatchObject({ originalSource: '198.51.100.175', translatedSource: '203.0.113.1', vrid: 150, adverts: 15, confidence: 'strong', basis: ['capture-same-sender'] });
    expect(at(f.firstSeen)).toBe('2026-11-25T05:55:41.743047000Z');
    expect(at(f.revertedAt)).toBe('2026-11-25T05:55:56.745926000Z');
    // the first translated advert is cited by its frame and role, at the time the finding starts
    expect(f.evidence.find((e) => e.locator === 'frame 7')).toMatchObject({ file: expect.stringMatching(/gw-b\/lan0\.pcap$/), at: f.firstSeen, role: { kind: 'first-translated-advert' }, text: expect.stringMatching(/^203\.0\.113\.1 > 224\.0\.0\.18/) });
    expect(f.sameRouter).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'priority', priorities: [150] }), { kind: 'vips', vips: ['198.51.100.254'] }]));
    // gw-a preempting gw-b is still a master change; gw-a going back to its own address is not
    const changes = r.findings.filter((c) => c.kind === 'master-change');
    expect(changes.map((c) => c.router)).toEqual(['198.51.100.175']);
    expect(exitStatus(r)).toBe(1);
  });

  it('a VRRPv3 capture alone: the checksum holds only for the unicast peer address the other router sends to — proven', async () => {
    const r = await run(['samples/vrrpv3-unicast/gw-b/lan0.pcapng']);
    const [f] = translated(r);
    expect(f).toMatchObject({ originalSource: '198.51.100.175', translatedSource: '203.0.113.1', confidence: 'proven', basis: ['capture-v3-checksum'] });
    expect(exitStatus(r)).toBe(1);
  });

  it('a use_vmac capture alone: alike in all but the MAC (virtual), so only suggestive', async () => {
    const r = await run(['samples/vmac/gw-b/lan0.pcap']);
    expect(translated(r).map((f) => [f.originalSource, f.translatedSource, f.confidence])).toEqual([['198.51.100.175', '203.0.113.1', 'suggestive']]);
  });

  it('the peer\'s log alone: an advert source off its VRRP link — suggestive; with the sender\'s ruleset, strong', async () => {
    const log = path.join(ROOT, 'samples/seed-snat/gw-b/syslog.rfc3339');
    const r = await run([log]);
    const [f] = translated(r);
    expect(f).toMatchObject({ translatedSource: '203.0.113.1', hosts: ['gw-b'], confidence: 'suggestive', basis: ['peer-log'], router: null });
    // the cited line: gw-b's keepalived naming the advert source 203.0.113.1 with priority 150
    expect(f.evidence[0]).toMatchObject({ file: log, locator: 'line 29', at: 1_795_586_141_743_159_000n });
    expect(exitStatus(r)).toBe(1);
    const dir = path.join(tmp(), 'gw-a');
    mkdirSync(dir);
    copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/iptables-save.1-naive-snat'), path.join(dir, 'iptables-save'));
    const both = await run([log, dir]);
    expect(translated(both)).toEqual([expect.objectContaining({ translatedSource: '203.0.113.1', router: 'gw-a', confidence: 'strong', basis: ['peer-log', 'snat-rule'] })]);
  });

  it('a keepalived 2.3 log that drops adverts "from" an off-link source: the peer never heard the master — critical', async () => {
    const file = path.join(tmp(), 'messages');
    writeFileSync(file, [
      '2026-11-25T06:24:00.100000+00:00 gw-b Keepalived_vrrp[812]: Assigned address 198.51.100.176 for interface lan0',
      '2026-11-25T06:24:00.614901+00:00 gw-b Keepalived_vrrp[812]: (VI_1) Invalid VRRPv3 checksum from 203.0.113.1',
      '2026-11-25T06:24:04.614901+00:00 gw-b Keepalived_vrrp[812]: (VI_1) Invalid VRRPv3 checksum from 203.0.113.1',
      '2026-11-25T06:24:05.100000+00:00 gw-b Keepalived_vrrp[812]: (VI_1) received lower priority (100) advert from 198.51.100.177 - discarding',
    ].join('\n') + '\n');
    const r = await run([file]);
    expect(translated(r)).toEqual([expect.objectContaining({ translatedSource: '203.0.113.1', severity: 'critical', confidence: 'suggestive', basis: ['peer-log'], hosts: ['gw-b'] })]);
    expect(translated(r)[0].evidence.map((e) => e.locator)).toEqual(['line 2', 'line 3']);
  });

  it('with every source the translation rests on all of them, proven', async () => {
    const r = await run(['samples/seed-snat']);
    const [f] = translated(r);
    expect(f.confidence).toBe('proven');
    expect(f.basis).toEqual(expect.arrayContaining(['conntrack-entry', 'capture-known-translation', 'capture-sent-by-us', 'peer-log']));
    expect(r.coverage).toMatchObject({ evidence: 'broad', hosts: 2, unchecked: [] });
  });

  it('the clean failover, each capture alone: nothing translated', async () => {
    for (const c of ['samples/clean-failover/gw-a/lan0.pcap', 'samples/clean-failover/gw-b/lan0-ns.pcap']) {
      const r = await run([c]);
      expect(translated(r)).toEqual([]);
      expect(exitStatus(r)).toBe(0);
    }
  });
});

describe('no evidence is not an all-clear', () => {
  it('an empty folder, or one of files of no known kind: nothing readable, exit 2 (was: exit 0)', async () => {
    const empty = tmp();
    const r = await run([empty]);
    expect(r.coverage).toMatchObject({ evidence: 'none', sources: [], checked: [] });
    expect(exitStatus(r)).toBe(2);
    const junk = tmp();
    writeFileSync(path.join(junk, 'notes.txt'), 'the gateway flapped again\n');
    copyFileSync(path.join(ROOT, 'README.md'), path.join(junk, 'README.md'));
    const u = await run([junk]);
    expect(u.coverage?.evidence).toBe('none');
    expect(exitStatus(u)).toBe(2);
  });
});

describe('tcpdump text pasted into a ticket', () => {
  const FIX = 'test/fixtures/tcpdump-text';
  it('the peer\'s `tcpdump -n -e -tttt` alone: the translation, cited by line; the translated -v VRRPv3 adverts prove it by checksum', async () => {
    const r = await run([`${FIX}/seed-snat-gw-b.e-tttt.txt`]);
    const [f] = translated(r);
    expect(f).toMatchObject({ originalSource: '198.51.100.175', translatedSource: '203.0.113.1', adverts: 15, confidence: 'strong', basis: ['capture-same-sender'] });
    expect(at(f.firstSeen)).toBe('2026-11-25T05:55:41.743047000Z');
    expect(f.evidence[0]).toMatchObject({ file: `${FIX}/seed-snat-gw-b.e-tttt.txt`, locator: 'line 7' });
    expect(r.inputs[0]).toMatchObject({ kind: 'capture', format: 'tcpdump-text', records: 40 });
    const v3 = await run([`${FIX}/vrrpv3-unicast-gw-b.v-tttt.txt`]);
    expect(translated(v3)[0]).toMatchObject({ originalSource: '198.51.100.175', translatedSource: '203.0.113.1', confidence: 'proven', basis: ['capture-v3-checksum'], severity: 'critical' });
  });

  it('the default form, no date, no MAC, no addresses: still found, suggestive', async () => {
    const r = await run([`${FIX}/seed-snat-gw-b.default.txt`]);
    expect(translated(r).map((f) => [f.originalSource, f.translatedSource, f.confidence])).toEqual([['198.51.100.175', '203.0.113.1', 'suggestive']]);
    expect(r.inputs[0].problems).toEqual([expect.objectContaining({ code: 'E_BAD_TIME', severity: 'warning' })]);
    expect(exitStatus(r)).toBe(1);
  });
});

describe('every recorded conntrack format alone', () => {
  it('each file of test/fixtures/conntrack-lab (every -L -o variant, -E, XML, /proc) proves the translation by itself', async () => {
    const dir = 'test/fixtures/conntrack-lab';
    const files = readdirSync(path.join(ROOT, dir)).filter((f) => f !== 'README.md');
    expect(files.length).toBeGreaterThan(12);
    for (const f of files) {
      const r = await run([path.join(dir, f)]);
      const found = translated(r);
      expect(found.length, f).toBeGreaterThan(0);
      expect(found[0], f).toMatchObject({ confidence: 'proven', kind: 'vrrp-source-translated' });
      expect(found[0].basis, f).toContain('conntrack-entry');
      expect(exitStatus(r), f).toBe(1);
    }
  });
});
