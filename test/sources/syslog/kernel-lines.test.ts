import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toRfc3339, wallClockToEpochMs } from '../../../src/model/instant.js';
import { readSideLines, readSideLinesOf, sideLineKind } from '../../../src/sources/syslog/kernel-lines.js';
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
