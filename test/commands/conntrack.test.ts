import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';

const BIN = path.join(ROOT, 'bin/run.js');
function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'conntrack', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
interface Flow { protocol: number; protocolName: string; translation: string | null; translatedSource: string | null; stale?: string; [k: string]: unknown }
/** `conntrack --json`: the inputs and the flows, as the contract gives them. */
const json = (args: string[]) => JSON.parse(run([...args, '--json']).out) as { inputs: Record<string, unknown>[]; flows: Flow[] };

describe('vrrp-forensics conntrack', () => {
  it('a folder of snapshots and events: the poisoned entry, its birth, the stale flag; other files skipped', () => {
    const { code, out, err } = run(['samples/seed-snat/gw-a']);
    expect(code).toBe(0);
    // the entry's line, golden; its facts are checked in the model below
    expect(out).toContain('vrrp 112  198.51.100.175 > 224.0.0.18  reply 224.0.0.18 > 203.0.113.1  SNAT to 203.0.113.1');
    expect(err).toBe('vrrp-forensics: note: 7 file(s) in the given folders are not conntrack dumps and were skipped\n');
    const j = json(['samples/seed-snat/gw-a']);
    const vrrp = j.flows.filter((f) => f.protocol === 112 && f.translation === 'snat');
    expect(vrrp).toEqual([expect.objectContaining({
      original: { src: '198.51.100.175', dst: '224.0.0.18' }, reply: { src: '224.0.0.18', dst: '203.0.113.1' }, translatedSource: '203.0.113.1',
      createdAt: '2026-11-25T05:55:41.743090000Z', createdAtFrom: 'event', createdAtEvidence: { file: 'samples/seed-snat/gw-a/conntrack-events.log', line: 3 },
    })]);
    // the stale flag: refreshed by every advert, it never expires on its own
    expect(vrrp[0].stale).toEqual(expect.any(String));
    expect(vrrp[0].staleness).toMatchObject({ kind: 'never-expires', src: '198.51.100.175', to: 'group', translatedSource: '203.0.113.1' });
    expect(j.inputs.find((i) => i.path === 'samples/seed-snat/gw-a/nf_conntrack.1795586148')).toMatchObject({
      format: '/proc/net/nf_conntrack', records: 3, lines: 4, dumpTime: { at: '2026-11-25T05:55:48.000Z', from: 'file-content', via: { kind: 'date-line', line: 1 } },
    });
  });

  it('--json carries the translation, createdAt and its evidence', () => {
    const { out } = run(['samples/seed-snat/gw-a/nf_conntrack.1795586148', 'samples/seed-snat/gw-a/conntrack-events.log', '--json']);
    const r = JSON.parse(out);
    const f = r.flows.find((x: { translation: string; protocol: number }) => x.translation === 'snat' && x.protocol === 112);
    expect(f).toMatchObject({ translatedSource: '203.0.113.1', createdAt: '2026-11-25T05:55:41.743090000Z', createdAtFrom: 'event', createdAtEvidence: { line: 3 } });
    expect(r.inputs.map((i: { format: string }) => i.format)).toEqual(['/proc/net/nf_conntrack', 'conntrack -E']);
  });

  it('the seed line: SNAT to 1.1.1.1 read from a swapped reply, stale; --csv cells are formula-safe', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-ctc-'));
    const p = path.join(dir, 'ip_conntrack');
    writeFileSync(p, 'unknown  112 599 src=192.168.8.175 dst=224.0.0.18 packets=11662 bytes=1072904 [UNREPLIED] src=1.1.1.1 dst=224.0.0.18 packets=0 bytes=0 mark=0 secmark=0 use=2\n');
    const [f] = json([p, '--at', '2026-11-25T05:55:08Z']).flows;
    // read as SNAT from the swapped reply; born no later than the --at time; stale
    expect(f).toMatchObject({ translation: 'snat-swapped', translatedSource: '1.1.1.1', createdAt: '2026-11-25T05:55:08.000000000Z', createdAtFrom: 'bounds', stale: expect.any(String) });
    const csv = run([p, '--csv']).out.trim().split('\n');
    expect(csv[0]).toMatch(/^protocol,orig_src,/);
    expect(csv[1]).toContain(',snat-swapped,1.1.1.1,');
  });

  it('tcp/udp entries are counted from their bytes, classified only with --translated; bad lines still warned', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-ct-sieve-'));
    const tcp = (i: number, to: string) => `ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.${i} dst=192.0.2.80 sport=4000${i} dport=443 src=192.0.2.80 dst=${to} sport=443 dport=4000${i} [ASSURED] mark=0 zone=0 use=2`;
    const table = [
      'Wed Nov 25 05:55:08 UTC 2026',
      tcp(1, '203.0.113.1'),
      tcp(2, '10.0.0.2'),
      'ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.9 sport=1',
      tcp(3, '203.0.113.1'),
      'ipv4     2 unknown  112 599 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 mark=0 zone=0 use=2',
      tcp(4, '203.0.113.1'),
    ];
    const p = path.join(dir, 'nf_conntrack.1795586108');
    writeFileSync(p, table.join('\n') + '\n');
    const plain = JSON.parse(run([p, '--json']).out);
    const full = JSON.parse(run([p, '--json', '--translated']).out);
    for (const j of [plain, full]) {
      expect(j.inputs[0]).toMatchObject({ lines: 7, records: 5, format: '/proc/net/nf_conntrack' });
      expect(j.inputs[0].problems).toEqual([{ locator: 'line 4', message: expect.stringMatching(/not a conntrack entry/) }]);
      expect(j.flows.map((f: { protocol: number }) => f.protocol)).toEqual([112]);
    }
    expect(plain.otherTranslated).toEqual([]);
    expect(full.otherTranslated).toEqual([{ protocol: 6, translation: 'snat', translatedSource: '203.0.113.1', translatedDestination: null, entries: 3 }]);
    expect(run([p]).out).not.toMatch(/Other translated entries/);
    expect(run([p, '--translated']).out).toMatch(/Other translated entries[^\n]*\n {2}3 tcp 6 entries: snat to 203\.0\.113\.1/);
  });

  it('--all and --proto select; a file named explicitly that is not a dump exits 2 with one line', () => {
    const igmp = json(['samples/seed-snat/gw-a/nf_conntrack.1795586148', '--proto', 'igmp']).flows;
    expect(igmp.length).toBeGreaterThan(0);
    expect(igmp.every((f) => f.protocol === 2 && f.protocolName === 'igmp')).toBe(true);
    const bad = run(['samples/seed-snat/gw-a/keepalived.conf']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^vrrp-forensics: error: samples\/seed-snat\/gw-a\/keepalived\.conf: line 1: not a conntrack dump or event log/);
  });
});
