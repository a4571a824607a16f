import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toRfc3339, wallClockToEpochMs } from '../../../src/model/instant.js';
import { classifySideLine, sideLineKind, type SideRun } from '../../../src/sources/syslog/kernel-lines.js';
import { readSyslog, type SyslogInfo } from '../../../src/sources/syslog/reader.js';
import { drain } from '../../helpers/drain.js';
import { ROOT } from '../../helpers/capture.js';

const S = (rel: string) => path.join(ROOT, 'samples', rel);
/** the side runs the keepalived reader's one pass found (and its summary) */
const read = async (file: string, year?: number): Promise<{ runs: SideRun[]; info: SyslogInfo }> => {
  const { info } = await drain(readSyslog(file, { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC'), sideLines: true, year }));
  return { runs: info.side, info };
};
const tmp = (name: string, text: string) => {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'vf-side-')), name);
  writeFileSync(f, text);
  return f;
};

describe('side lines, found by the keepalived reader in its one pass', () => {
  it('samples/conntrack-full gw-b (RFC 3339): the kernel\'s table-full lines and keepalived\'s send advert errors, as runs', async () => {
    const { runs } = await read(S('conntrack-full/gw-b/syslog.rfc3339'));
    const full = runs.filter((r) => r.kind === 'conntrack-table-full');
    const errors = runs.filter((r) => r.kind === 'send-advert-error');
    expect(full.reduce((n, r) => n + r.lines, 0)).toBe(16);
    expect(errors.reduce((n, r) => n + r.lines, 0)).toBe(6);
    expect(full[0]).toMatchObject({ host: 'gw-b', precision: 6, first: { text: 'nf_conntrack: nf_conntrack: table full in netns 4026532247, dropping packet' } });
    expect(toRfc3339(errors[0].first.at, 0)).toBe('2026-12-01T22:35:16Z');
  });

  it('the traditional (RFC 3164) copy: the same lines, whole seconds, in the year the reader settled on', async () => {
    const { runs } = await read(S('conntrack-full/gw-b/syslog'), 2026);
    expect(runs.filter((r) => r.kind === 'conntrack-table-full').reduce((n, r) => n + r.lines, 0)).toBe(16);
    expect(runs.every((r) => r.precision === 0)).toBe(true);
    expect(toRfc3339(runs[0].first.at, 0).slice(0, 4)).toBe('2026');
    expect(toRfc3339((await read(S('conntrack-full/gw-b/syslog'), 2031)).runs[0].first.at, 0).slice(0, 4)).toBe('2031');
  });

  it('gw-a\'s syslog has none; a reader not asked for them (the logs command) looks for none', async () => {
    expect((await read(S('conntrack-full/gw-a/syslog.rfc3339'))).runs).toEqual([]);
    expect((await drain(readSyslog(S('conntrack-full/gw-b/syslog.rfc3339'), { tz: 'UTC', toEpochMs: wallClockToEpochMs('UTC') }))).info.side).toEqual([]);
  });

  it('runs split at ten seconds of quiet', async () => {
    const line = (s: string) => `2026-12-01T10:00:${s}+00:00 gw-b kernel: nf_conntrack: table full, dropping packet`;
    const f = tmp('syslog', [line('00.1'), line('01.2'), line('30.0'), 'Dec  1 10:00:31 gw-b sshd[1]: Accepted publickey'].join('\n') + '\n');
    expect((await read(f, 2026)).runs.map((r) => [r.lines, r.first.line, r.last.line])).toEqual([[2, 1, 2], [1, 3, 3]]);
  });

  it('a side line past the lines whose framing is checked still passes the reader\'s sieve; it counts as another program\'s line', async () => {
    const other = (i: number) => `Dec 31 23:59:${String(i % 60).padStart(2, '0')} gw-b sshd[1]: Accepted publickey ${i}`;
    const lines = [...Array.from({ length: 500 }, (_, i) => other(i)), 'Dec 31 23:59:59 gw-b kernel: nf_conntrack: table full, dropping packet'];
    // over New Year: the reader's own year logic (a Dec → Jan step) dates the side line, as it dates keepalived's
    lines.push('Jan  1 00:00:01 gw-b Keepalived_vrrp[7]: (VI_1) Entering MASTER STATE', 'Jan  1 00:00:30 gw-b kernel: nf_conntrack: table full, dropping packet');
    const { runs, info } = await read(tmp('messages', lines.join('\n') + '\n'), 2026);
    expect(runs.map((r) => [r.first.line, toRfc3339(r.first.at, 0)])).toEqual([[501, '2026-12-31T23:59:59Z'], [503, '2027-01-01T00:00:30Z']]);
    expect(info.otherLines).toBe(502);
    expect(info.events).toBe(1);
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

  it('found by the reader\'s one pass as runs per interface; the link-down recording has none (a veth losing carrier logs no kernel line)', async () => {
    const f = tmp('syslog', [
      '2026-12-01T10:00:00.100000+00:00 gw-a kernel: e1000e 0000:00:19.0 eth0: NIC Link is Down',
      '2026-12-01T10:00:00.200000+00:00 gw-a kernel: bond0: (slave eth1): link status definitely down, disabling slave',
      '2026-12-01T10:00:05.000000+00:00 gw-a kernel: e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None',
    ].join('\n') + '\n');
    const { runs } = await read(f, 2026);
    expect(runs.map((r) => [r.kind, r.interface, r.first.line])).toEqual([['link-down', 'eth0', 1], ['link-down', 'eth1', 2], ['link-up', 'eth0', 3]]);
    expect((await read(S('link-down/gw-a/syslog.rfc3339'))).runs).toEqual([]);
  });
});
