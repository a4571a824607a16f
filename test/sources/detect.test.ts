import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectKind, type InputKind } from '../../src/sources/detect.js';
import { ROOT, TCPDUMP } from '../helpers/capture.js';

/** What each recorded file is, from its name, as the recorder wrote it — the detector must say the same from content. */
function expected(name: string): InputKind {
  if (/\.(pcap|pcapng)(\.gz)?$/.test(name)) return 'capture';
  if (/^(nf_conntrack|conntrack-L|conntrack-events)/.test(name)) return 'conntrack';
  if (/^syslog/.test(name) || name === 'keepalived-console.log') return 'syslog';
  if (name === 'keepalived.conf') return 'keepalived-conf';
  if (name.startsWith('iptables-save') || name.startsWith('nft-ruleset')) return 'firewall';
  return 'unknown';
}

describe('detecting the kind of every recorded file by content', () => {
  const files: string[] = [];
  for (const sample of readdirSync(path.join(ROOT, 'samples'))) {
    for (const gw of ['gw-a', 'gw-b']) {
      const dir = path.join(ROOT, 'samples', sample, gw);
      for (const f of readdirSync(dir)) files.push(path.join(sample, gw, f));
    }
  }
  it('covers every sample', () => expect(files.length).toBeGreaterThan(50));
  it.each(files)('%s', async (rel) => {
    const d = await detectKind(path.join(ROOT, 'samples', rel));
    // a snapshot taken while the table was empty holds only its date line, and is still a conntrack snapshot
    expect(d.kind).toBe(expected(path.basename(rel)));
  });

  it('conntrack fixtures of every format, and a few corpus captures', async () => {
    const dir = path.join(ROOT, 'test/fixtures/conntrack-lab');
    for (const f of readdirSync(dir).filter((x) => x !== 'README.md')) expect((await detectKind(path.join(dir, f))).kind).toBe('conntrack');
    expect(await detectKind(path.join(TCPDUMP, 'vrrp.pcap'))).toMatchObject({ kind: 'capture', format: 'pcap' });
    expect(await detectKind(path.join(TCPDUMP, 'tcp-handshake-nano.pcap'))).toMatchObject({ kind: 'capture', format: 'pcap-ns' });
    expect(await detectKind(path.join(ROOT, 'README.md'))).toMatchObject({ kind: 'unknown' });
    // a document quoting one conntrack line and one syslog line is neither
    for (const f of readdirSync(path.join(ROOT, 'samples'))) expect(await detectKind(path.join(ROOT, 'samples', f, 'README.md'))).toMatchObject({ kind: 'unknown' });
    expect(await detectKind(path.join(ROOT, 'samples/seed-snat/gw-b/nf_conntrack.1795586148'))).toMatchObject({ kind: 'conntrack', reason: 'a date line and no entries (a snapshot of an empty table)' });
  });
});

describe('tcpdump text output is capture evidence', () => {
  it('every form made from the samples, and tcpdump\'s own vrrp.out and vrrp-v.out', async () => {
    const dir = path.join(ROOT, 'test/fixtures/tcpdump-text');
    const files = [...readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => path.join(dir, f)), path.join(TCPDUMP, 'vrrp.out'), path.join(TCPDUMP, 'vrrp-v.out')];
    for (const f of files) expect(await detectKind(f)).toMatchObject({ kind: 'capture', format: 'tcpdump-text' });
    // its README quotes commands, not packets
    expect((await detectKind(path.join(dir, 'README.md'))).kind).toBe('unknown');
  });
});
