import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatInstant } from '../../../src/model/instant.js';
import type { VrrpAdvertRecord } from '../../../src/model/records.js';
import { readAll, TCPDUMP } from '../../helpers/capture.js';

/** tcpdump's own rendering of a VRRP record (print-vrrp.c), rebuilt from our fields, to compare with its .out files. */
function tcpdumpVrrp(r: VrrpAdvertRecord, verbose: boolean): string {
  let s = `VRRPv${r.version}, ${r.type === 1 ? 'Advertisement' : `unknown type (${r.type})`}`;
  if (!r.ttlOk) s += `, (ttl ${r.ttl})`;
  if ((r.version !== 2 && r.version !== 3) || r.type !== 1) return s;
  if (r.vrid === undefined) return s + ' [|vrrp]';
  s += `, vrid ${r.vrid}, prio ${r.priority}`;
  if (r.interval === undefined) return s + ' [|vrrp]';
  s += r.version === 2
    ? `, authtype ${['none', 'simple', 'ah'][r.authType!]}, intvl ${r.interval}s, length ${r.length}`
    : `, intvl ${r.interval}cs, length ${r.length}`;
  if (!verbose) return s;
  const checked = r.version === 2 || r.ipVersion === 4;
  if (checked && r.checksumStatus === 'bad') {
    if (r.checksum === undefined) return s + ' [|vrrp]';
    s += `, (bad vrrp cksum ${r.checksum.toString(16)})`;
  }
  s += `, addrs${r.count! > 1 ? `(${r.count})` : ''}:`;
  r.addresses!.forEach((a, i) => (s += (i ? ',' : ' ') + a));
  if (r.addresses!.length < r.count!) return s + ' [|vrrp]';
  if (r.version === 2 && r.authType === 1) {
    if (r.authData === undefined) return s + ' [|vrrp]';
    s += ` auth "${r.authData}"`;
  }
  return s;
}

interface OutLine { frame: number; time: string; src: string; dst: string; vrrp: string }

/** Parses tcpdump -# -n -tttt [-v] output, joining -v's continuation lines to their frame. */
function parseOut(file: string): OutLine[] {
  const text = readFileSync(path.join(TCPDUMP, file), 'utf8');
  const frames: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s+\d+ {2}\d{4}-/.test(line)) frames.push(line);
    else if (line.trim() && frames.length) frames[frames.length - 1] += ' ' + line.trim();
  }
  return frames.map((f) => {
    const m = /^\s+(\d+) {2}(\S+ \S+) .*?(\S+) > (\S+): (VRRP.*)$/.exec(f);
    if (!m) throw new Error(`unparsed oracle line: ${f}`);
    return { frame: Number(m[1]), time: m[2], src: m[3], dst: m[4], vrrp: m[5].trim() };
  });
}

async function adverts(file: string): Promise<VrrpAdvertRecord[]> {
  const { records, info } = await readAll(path.join(TCPDUMP, file));
  expect(info.error).toBeUndefined();
  return records.filter((r): r is VrrpAdvertRecord => r.kind === 'vrrp');
}

describe('tcpdump vrrp.pcap oracle', () => {
  it.each([
    ['vrrp.out', false],
    ['vrrp-v.out', true],
  ] as const)('reproduces every line of %s field for field', async (out, verbose) => {
    const ours = await adverts('vrrp.pcap');
    const expected = parseOut(out);
    expect(ours).toHaveLength(165);
    expect(expected).toHaveLength(165);
    for (const [i, e] of expected.entries()) {
      const r = ours[i];
      expect({ frame: r.frame, time: formatInstant(r.time!, 'UTC', 'tttt', 6), src: r.src, dst: r.dst, vrrp: tcpdumpVrrp(r, verbose) }).toEqual(e);
    }
  });

  it('has five vrids, v2 and v3, IPv4 and IPv6, all checksums valid', async () => {
    const ours = await adverts('vrrp.pcap');
    expect([...new Set(ours.map((r) => r.vrid))].sort()).toEqual([42, 43, 44, 45, 46]);
    expect(new Set(ours.map((r) => `${r.version}/${r.ipVersion}`))).toEqual(new Set(['2/4', '3/4', '3/6']));
    expect(ours.every((r) => r.checksumStatus === 'ok' && r.ttlOk && !r.truncated)).toBe(true);
  });

  // tcpdump -v checks a v3/IPv4 checksum over the pseudo-header (nextproto4_cksum) and found every one good: our
  // convention must say the same, and never "no-pseudo-header" (Cisco's form) for an RFC 5798 sender
  it('names the RFC 5798 pseudo-header convention for every VRRPv3 advert, as tcpdump -v verified them', async () => {
    const ours = await adverts('vrrp.pcap');
    const conv = (v: number, ip: number) => new Set(ours.filter((r) => r.version === v && r.ipVersion === ip).map((r) => r.checksumConvention));
    expect(conv(3, 4)).toEqual(new Set(['pseudo-header']));
    expect(conv(3, 6)).toEqual(new Set(['pseudo-header']));
    expect(ours.filter((r) => r.version === 3)).toHaveLength(97);
    // v2's checksum covers the message alone by definition: no convention to name
    expect(conv(2, 4)).toEqual(new Set([undefined]));
  });

  it('counts 30 changes of source per vrid stream, as the corpus notes', async () => {
    const ours = await adverts('vrrp.pcap');
    const last = new Map<number, string>();
    let changes = 0;
    for (const r of ours) {
      const prev = last.get(r.vrid!);
      if (prev !== undefined && prev !== r.src) changes++;
      last.set(r.vrid!, r.src);
    }
    expect(changes).toBe(30);
  });
});

describe('tcpdump VRRP fuzz captures', () => {
  it.each(['vrrp-vrrp_print-oobr.pcap', 'vrrp-vrrp_print-oobr-2.pcap'])('%s decodes as far as tcpdump does and no further', async (pcap) => {
    const ours = await adverts(pcap);
    const expected = parseOut(pcap.replace('.pcap', '.out'));
    expect(ours.map((r) => r.frame)).toEqual(expected.map((e) => e.frame));
    for (const [i, e] of expected.entries()) {
      const r = ours[i];
      expect({ time: formatInstant(r.time!, 'UTC', 'tttt', 6), src: r.src, dst: r.dst, vrrp: tcpdumpVrrp(r, true) }).toEqual({ time: e.time, src: e.src, dst: e.dst, vrrp: e.vrrp });
      expect(r.truncated).toBe(e.vrrp.endsWith('[|vrrp]'));
    }
  });
});
