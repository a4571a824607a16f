import { describe, expect, it } from 'vitest';
import { parseAtFlag, parseCtime, parseDateLine, timeFromName } from '../../../src/sources/conntrack/dump-time.js';

const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('dump time', () => {
  it('a date(1) line, ISO and epoch forms', () => {
    expect(parseDateLine('Wed Nov 25 05:55:08 UTC 2026')).toBe(ns('2026-11-25T05:55:08Z'));
    expect(parseDateLine('Wed Nov  4 05:55:08 UTC 2026')).toBe(ns('2026-11-04T05:55:08Z'));
    expect(parseDateLine('2026-11-25T06:55:08.5+01:00')).toBe(ns('2026-11-25T05:55:08Z') + 500_000_000n);
    expect(parseDateLine('1795586148')).toBe(1795586148n * 1_000_000_000n);
    expect(parseDateLine('ipv4 2 unknown 112 …')).toBeNull();
  });

  it('file names: epoch and compact ISO; none', () => {
    expect(timeFromName('gw-a/nf_conntrack.1795586148')).toBe(1795586148n * 1_000_000_000n);
    expect(timeFromName('/x/ct-20261125T0555.txt')).toBe(ns('2026-11-25T05:55:00Z'));
    expect(timeFromName('conntrack_-L_-o_extended')).toBeNull();
  });

  it('--at and ctime', () => {
    expect(parseAtFlag('2026-11-25T05:55:08Z')).toBe(ns('2026-11-25T05:55:08Z'));
    expect(() => parseAtFlag('yesterday')).toThrow(/--at "yesterday" is not a time/);
    expect(parseCtime('Wed Nov 25 00:36:30 2026', (y, mo, d, H, M, S) => Date.UTC(y, mo, d, H, M, S))).toBe(ns('2026-11-25T00:36:30Z'));
  });
});
