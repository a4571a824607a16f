import { describe, expect, it } from 'vitest';
import { isKeepalivedProgram, parseFrame } from '../../../src/sources/syslog/framing.js';

const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

describe('syslog framings', () => {
  it('RFC 3164 / rsyslog traditional and journalctl -o short: no year, no zone', () => {
    expect(parseFrame('Nov 25 00:34:03 gw-175 Keepalived_vrrp[5040]: (VI_1) Entering MASTER STATE')).toEqual({
      framing: 'rfc3164', precision: 0, zoneless: { month: 10, day: 25, hour: 0, minute: 34, second: 3, fraction: '' },
      host: 'gw-175', program: 'Keepalived_vrrp', pid: 5040, message: '(VI_1) Entering MASTER STATE',
    });
    expect(parseFrame('Nov  5 00:34:03 gw-175 Keepalived_vrrp[5040]: x')?.zoneless?.day).toBe(5);
  });

  it('journalctl -o short-precise keeps microseconds', () => {
    const f = parseFrame('Nov 25 00:34:03.542611 gw-175 Keepalived_vrrp[5040]: (VI_1) Entering MASTER STATE');
    expect([f?.framing, f?.precision, f?.zoneless?.fraction]).toEqual(['rfc3164', 6, '542611']);
  });

  it('rsyslog high precision and journalctl short-iso(-precise): exact instants', () => {
    expect(parseFrame('2026-11-25T00:34:03.542611+00:00 gw-175 Keepalived_vrrp[5040]: hi')).toMatchObject({ framing: 'rfc3339', ns: ns('2026-11-25T00:34:03Z') + 542_611_000n, precision: 6, host: 'gw-175', pid: 5040 });
    expect(parseFrame('2026-11-25T01:34:03+0100 gw-175 Keepalived_vrrp[5040]: hi')?.ns).toBe(ns('2026-11-25T00:34:03Z'));
    expect(parseFrame('2026-11-25T01:34:03.542611+01:00 gw-175 Keepalived[1]: hi')?.ns).toBe(ns('2026-11-25T00:34:03Z') + 542_611_000n);
  });

  it('RFC 5424 with and without structured data', () => {
    expect(parseFrame('<30>1 2026-11-25T00:34:03.542Z gw-175 Keepalived_vrrp 5040 - - (VI_1) Entering MASTER STATE')).toMatchObject({
      framing: 'rfc5424', ns: ns('2026-11-25T00:34:03.542Z'), precision: 3, host: 'gw-175', program: 'Keepalived_vrrp', pid: 5040, message: '(VI_1) Entering MASTER STATE',
    });
    expect(parseFrame('<30>1 2026-11-25T00:34:03Z gw-175 Keepalived_vrrp - - [meta sequenceId="1"] hello')?.message).toBe('hello');
  });

  it('journalctl -o json, with a byte-array MESSAGE', () => {
    const line = JSON.stringify({ __REALTIME_TIMESTAMP: '1795566843542611', _HOSTNAME: 'gw-175', SYSLOG_IDENTIFIER: 'Keepalived_vrrp', _PID: '5040', MESSAGE: '(VI_1) Entering MASTER STATE' });
    expect(parseFrame(line)).toMatchObject({ framing: 'journal-json', ns: 1795566843542611000n, host: 'gw-175', pid: 5040 });
    const bytes = JSON.stringify({ __REALTIME_TIMESTAMP: '1', SYSLOG_IDENTIFIER: 'Keepalived', MESSAGE: [104, 105] });
    expect(parseFrame(bytes)?.message).toBe('hi');
  });

  it('keepalived --log-file lines carry their year', () => {
    expect(parseFrame('Wed Nov 25 00:34:03 2026: (VI_1) Entering MASTER STATE')).toMatchObject({ framing: 'keepalived-log-file', zoneless: { year: 2026, month: 10, day: 25 }, message: '(VI_1) Entering MASTER STATE' });
  });

  it('not a syslog line', () => {
    expect(parseFrame('ipv4     2 unknown  112 599 src=1.2.3.4')).toBeNull();
    expect(parseFrame('{"not":"journal"}')).toBeNull();
  });

  it('keepalived identities, 1.x and 2.x, any case, with netns/instance suffix', () => {
    for (const p of ['Keepalived', 'Keepalived_vrrp', 'Keepalived_healthcheckers', 'keepalived', 'KEEPALIVED_VRRP', 'Keepalived_vrrp_ns1_inst']) expect(isKeepalivedProgram(p)).toBe(true);
    for (const p of ['kernel', 'sshd', 'keepalivedx']) expect(isKeepalivedProgram(p)).toBe(false);
  });
});
