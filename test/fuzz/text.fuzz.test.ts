import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';
import { checkCase, RUNS, TEST_MS, tick, type Reader } from './harness.js';
import { applyText, textMutation } from './mutate.js';

const lab = path.join(ROOT, 'test/fixtures/conntrack-lab');
const seeds: Record<string, { name: string; bytes: Buffer }[]> = {
  conntrack: [
    ...readdirSync(lab).filter((f) => !f.endsWith('.md')).map((f) => path.join(lab, f)),
    path.join(ROOT, 'samples/seed-snat/gw-a/conntrack-events.log'),
    path.join(ROOT, 'samples/seed-snat/gw-a/nf_conntrack.1795586148'),
  ].map((f) => ({ name: path.basename(f), bytes: readFileSync(f) })),
  syslog: ['seed-snat/gw-b/syslog', 'seed-snat/gw-b/syslog.rfc3339', 'intermittent/gw-a/syslog.rfc3339', 'clean-failover/gw-a/syslog']
    .map((f) => ({ name: f, bytes: readFileSync(path.join(ROOT, 'samples', f)) })),
  'tcpdump-text': [
    ...readdirSync(path.join(ROOT, 'test/fixtures/tcpdump-text')).filter((f) => f.endsWith('.txt')).map((f) => path.join(ROOT, 'test/fixtures/tcpdump-text', f)),
    path.join(ROOT, 'test/fixtures/corpus/tcpdump/vrrp-v.out'),
  ].map((f) => ({ name: path.basename(f), bytes: readFileSync(f) })),
  'keepalived-conf': ['seed-snat/gw-a/keepalived.conf', 'vrrpv3-unicast/gw-a/keepalived.conf', 'intermittent/gw-a/keepalived.conf']
    .map((f) => ({ name: f, bytes: readFileSync(path.join(ROOT, 'samples', f)) })),
  firewall: [
    ...['seed-snat/gw-a/iptables-save.3-notrack', 'intermittent/gw-a/iptables-save.2-reload-without-exemption'].map((f) => ({ name: f, bytes: readFileSync(path.join(ROOT, 'samples', f)) })),
    { name: 'nft', bytes: Buffer.from('table ip nat {\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n\t\tip protocol vrrp accept\n\t\toifname "wan0" snat to 203.0.113.1\n\t}\n}\ntable ip raw {\n\tchain output {\n\t\ttype filter hook output priority raw;\n\t\tip protocol vrrp notrack\n\t}\n}\n') },
  ],
};

describe('text readers under mutation (fast-check)', () => {
  for (const reader of ['conntrack', 'syslog', 'tcpdump-text', 'keepalived-conf', 'firewall'] as Reader[]) {
    it(`${reader}: CRLF, NUL bytes, invalid UTF-8, 1 MB lines, runs of separators, cuts and flips — only coded errors, bounded, chunking-independent`, async () => {
      await fc.assert(fc.asyncProperty(fc.nat({ max: seeds[reader].length - 1 }), textMutation, async (i, ms) => {
      await tick();
        const seed = seeds[reader][i];
        checkCase(reader, applyText(seed.bytes, ms), reader === 'conntrack' || reader === 'syslog' || reader === 'tcpdump-text' ? [Infinity, 4096, 7] : [Infinity]);
      }), { numRuns: RUNS });
    }, TEST_MS);
  }

  it('conntrack, syslog and tcpdump text: chunk sizes 1 and 1 MiB give identical entries for every seed', () => {
    for (const reader of ['conntrack', 'syslog', 'tcpdump-text'] as Reader[]) {
      for (const seed of seeds[reader]) checkCase(reader, applyText(seed.bytes, [{ kind: 'crlf' }, { kind: 'bad-utf8', at: 0.5 }]), [1 << 20, 1]);
    }
  }, TEST_MS);

  for (const reader of ['conntrack', 'syslog', 'tcpdump-text'] as Reader[]) {
    it(`${reader}: junk inserted at line k leaves every entry of the lines before it identical`, async () => {
      await fc.assert(fc.asyncProperty(fc.nat({ max: seeds[reader].length - 1 }), fc.nat(), fc.constantFrom('\u0000\u0000', '\xff\xfe', 'x'.repeat(70_000), '\r\r\r'), async (i, k, junk) => {
      await tick();
        const seed = seeds[reader][i];
        const lines = seed.bytes.toString('latin1').split('\n');
        const at = k % lines.length;
        const damaged = Buffer.from([...lines.slice(0, at), junk, ...lines.slice(at)].join('\n'), 'latin1');
        const clean = checkCase(reader, seed.bytes, [Infinity]).items.map((j) => JSON.parse(j) as { line: number });
        const got = checkCase(reader, damaged, [Infinity, 4096]).items.map((j) => JSON.parse(j) as { line: number });
        // syslog joins wrapped continuation lines to the event before, and a -v tcpdump head line waits for its
        // VRRP line: the last record before the junk may change
        const before = (xs: { line: number }[]) => xs.filter((x) => x.line < at).slice(0, reader === 'syslog' || reader === 'tcpdump-text' ? -1 : undefined);
        expect(before(got)).toEqual(before(clean));
      }), { numRuns: RUNS });
    }, TEST_MS);
  }
});
