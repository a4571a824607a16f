import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toRfc3339, wallClockToEpochMs } from '../../../src/model/instant.js';
import { sideLineKind, type SideRun } from '../../../src/sources/syslog/kernel-lines.js';
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
