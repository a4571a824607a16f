import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toRfc3339, wallClockToEpochMs } from '../../../src/model/instant.js';
import { classifySideLine, readSideLines, readSideLinesOf, sideLineKind } from '../../../src/sources/syslog/kernel-lines.js';
import { ROOT } from '../../helpers/capture.js';

const S = (rel: string) => path.join(ROOT, 'samples', rel);
const utc = { year: 2026, toEpochMs: wallClockToEpochMs('UTC') };

describe('readSideLines', () => {
  it('samples/conntrack-full gw-b (RFC 3339): the kernel\'s table-full lines and keepalived\'s send advert errors, as runs', async () => {
    const runs = await readSideLines(S('conntrack-full/gw-b/syslog.rfc3339'), utc);
    const full = runs.filter((r) => r.kind === 'conntrack-table-full');
    const errors = runs.filter((r) => r.kind === 'send-advert-error');
    expect(full.reduce((n, r) => n + r.lines, 0)).toBe(16);
    expect(errors.reduce((n, r) => n + r.lines, 0)).toBe(6);
    expect(full[0]).toMatchObject({ host: 'gw-b', precision: 6, first: { text: 'nf_conntrack: nf_conntrack: table full in netns 4026532247, dropping packet' } });
    expect(toRfc3339(errors[0].first.at, 0)).toBe('2026-12-01T22:35:16Z');
  });

  it('the traditional (RFC 3164) copy: the same lines, whole seconds, read in the year given', async () => {
    const runs = await readSideLines(S('conntrack-full/gw-b/syslog'), utc);
    expect(runs.filter((r) => r.kind === 'conntrack-table-full').reduce((n, r) => n + r.lines, 0)).toBe(16);
    expect(runs.every((r) => r.precision === 0)).toBe(true);
    // without a year a zone-less line has no time: not guessed
    expect(await readSideLines(S('conntrack-full/gw-b/syslog'), { ...utc, year: null })).toEqual([]);
  });

  it('gw-a\'s syslog has none; every run of several files takes its input\'s host', async () => {
    expect(await readSideLines(S('conntrack-full/gw-a/syslog.rfc3339'), utc)).toEqual([]);
    const runs = await readSideLinesOf([{ path: S('conntrack-full/gw-b/syslog.rfc3339'), host: 'b-by-flag', options: utc }]);
    expect(new Set(runs.map((r) => r.host))).toEqual(new Set(['b-by-flag']));
  });

  it('runs split at ten seconds of quiet', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-side-'));
    const f = path.join(dir, 'syslog');
    const line = (s: string) => `2026-12-01T10:00:${s}+00:00 gw-b kernel: nf_conntrack: table full, dropping packet`;
    writeFileSync(f, [line('00.1'), line('01.2'), line('30.0'), 'Dec  1 10:00:31 gw-b sshd[1]: Accepted publickey'].join('\n') + '\n');
    const runs = await readSideLines(f, utc);
    expect(runs.map((r) => [r.lines, r.first.line, r.last.line])).toEqual([[2, 1, 2], [1, 3, 3]]);
  });
});

describe('sideLineKind', () => {
  it('the kernel\'s wordings (with and without the netns, the doubled prefix) and keepalived\'s send error; nothing else', () => {
    const k = (program: string, message: string) => sideLineKind({ program, message });
    expect(k('kernel', 'nf_conntrack: table full, dropping packet')).toBe('conntrack-table-full');
    expect(k('kernel', 'nf_conntrack: nf_conntrack: table full, dropping packet.')).toBe('conntrack-table-full');
    expect(k('kernel', 'nf_conntrack: nf_conntrack: table full in netns 4026532247, dropping packet')).toBe('conntrack-table-full');
    expect(k('Keepalived_vrrp', '(VI_1): send advert error 1 (Operation not permitted)')).toBe('send-advert-error');
    expect(k('sshd', 'nf_conntrack: table full, dropping packet')).toBeNull();
    expect(k('kernel', 'lan0: entered promiscuous mode')).toBeNull();
  });
});

describe('classifySideLine: the kernel\'s link lines', () => {
  const c = (message: string, program = 'kernel') => classifySideLine({ program, message });
  it.each([
    ['e1000e 0000:00:19.0 eno1: NIC Link is Down', 'link-down', 'eno1'],
    ['e1000e: eth0 NIC Link is Down', 'link-down', 'eth0'],
    ['igb 0000:01:00.0 eth1: igb: eth1 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: RX/TX', 'link-up', 'eth1'],
    ['ixgbe 0000:03:00.0 enp3s0f0: NIC Link is Down', 'link-down', 'enp3s0f0'],
    ['r8169 0000:02:00.0 eth0: Link is Down', 'link-down', 'eth0'],
    ['r8169 0000:02:00.0 enp2s0: Link is Up - 1Gbps/Full - flow control rx/tx', 'link-up', 'enp2s0'],
    ['tg3 0000:02:00.0 eth0: Link is down', 'link-down', 'eth0'],
    ['mlx5_core 0000:3b:00.0 ens1f0: Link down', 'link-down', 'ens1f0'],
    ['bond0: (slave eth0): link status definitely down, disabling slave', 'link-down', 'eth0'],
    ['bond0: (slave eth1): link status definitely up, 10000 Mbps full duplex', 'link-up', 'eth1'],
    ['bond0: link status definitely down for interface eth0, disabling it', 'link-down', 'eth0'],
  ])('%s → %s %s', (message, kind, ifname) => expect(c(message)).toEqual({ kind, interface: ifname }));

  it('not: other programs, addrconf, promiscuous mode, the bridge\'s port states; the older kinds keep no interface', () => {
    expect(c('eth0: NIC Link is Down', 'NetworkManager')).toBeNull();
    expect(c('IPv6: ADDRCONF(NETDEV_UP): eth0: link is not ready')).toBeNull();
    expect(c('lan0: entered promiscuous mode')).toBeNull();
    expect(c('br-lan: port 1(lan-a) entered disabled state')).toBeNull();
    expect(c('nf_conntrack: table full, dropping packet')).toEqual({ kind: 'conntrack-table-full' });
  });

  it('read from a syslog as runs per interface; the link-down recording has none (a veth losing carrier logs no kernel line)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-link-'));
    const f = path.join(dir, 'syslog');
    writeFileSync(f, [
      '2026-12-01T10:00:00.100000+00:00 gw-a kernel: e1000e 0000:00:19.0 eth0: NIC Link is Down',
      '2026-12-01T10:00:00.200000+00:00 gw-a kernel: bond0: (slave eth1): link status definitely down, disabling slave',
      '2026-12-01T10:00:05.000000+00:00 gw-a kernel: e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None',
    ].join('\n') + '\n');
    const runs = await readSideLines(f, utc);
    expect(runs.map((r) => [r.kind, r.interface, r.first.line])).toEqual([['link-down', 'eth0', 1], ['link-down', 'eth1', 2], ['link-up', 'eth0', 3]]);
    expect((await readSideLines(S('link-down/gw-a/syslog.rfc3339'), utc)).filter((r) => r.kind === 'link-down' || r.kind === 'link-up')).toEqual([]);
  });
});
