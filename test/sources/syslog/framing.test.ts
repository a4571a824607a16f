import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isKeepalivedProgram, parseFrame } from '../../../src/sources/syslog/framing.js';
import { rfc3339Ns } from '../../../src/model/instant.js';

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

/** parseFrame gives what the pattern gives: its frame, or (no match) a frame of another framing or none */
function sameAsPattern(line: string, want: object | null | undefined, framing: string): void {
  const got = parseFrame(line);
  if (want === undefined) expect(got?.framing).not.toBe(framing);
  else expect(got).toEqual(want);
}

describe('RFC 3164 read by hand gives the pattern\'s result', () => {
  // the pattern the hand-written reader replaced on the hot path (kept here as the specification)
  const PATTERN = /^([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (\S+) ([^\s[:]+)(?:\[(\d+)\])?: ?(.*)$/;
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const byPattern = (line: string) => {
    const m = PATTERN.exec(line);
    if (!m) return undefined;
    const month = MONTHS.indexOf(m[1]);
    if (month < 0) return null;
    return {
      framing: 'rfc3164', precision: (m[6] ?? '').length,
      zoneless: { month, day: Number(m[2]), hour: Number(m[3]), minute: Number(m[4]), second: Number(m[5]), fraction: m[6] ?? '' },
      host: m[7], program: m[8], pid: m[9] === undefined ? undefined : Number(m[9]), message: m[10],
    };
  };
  const pieces = ['Nov', 'Xyz', 'nov', ' ', '  ', '\t', '5', '25', ' 5', ':', '00', '.', '123456789', '1234567890', 'gw-175', 'Keepalived_vrrp', '[', ']', '5040', '[x]', 'x', '\r', '\u2028', '\u00a0', '\ufeff', 'é', '(VI_1) Entering MASTER STATE'];
  it.each([
    'Nov 25 00:34:03 gw-175 Keepalived_vrrp[5040]: (VI_1) Entering MASTER STATE',
    'Nov  5 00:34:03.542611 gw-175 Keepalived_vrrp[5040]:(VI_1) x',
    'Nov 25 00:34:03.1234567890 gw Keepalived: x',
    'Nov 25 00:34:03 gw Keepalived[]: x',
    'Nov 25 00:34:03 gw Keepalived[12]x: x',
    'Nov 25 00:34:03 gw\tKeepalived: x',
    'Nov 25 00:34:03 gw Keepalived: a\rb',
    'Nov 25 00:34:03 gw Keep\u00a0alived: x',
    'Xyz 25 00:34:03 gw Keepalived: x',
    'Nov 25 00:34:03  gw Keepalived: x',
    'Nov 25 00:34:03 gw Keepalived:',
  ])('%j', (line) => {
    sameAsPattern(line, byPattern(line), 'rfc3164');
  });
  it('on lines assembled from the delimiters and look-alikes the pattern treats specially', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), fc.boolean(), (parts, stamp) => {
      const line = (stamp ? 'Nov 25 00:34:03' : '') + parts.join('');
      const want = byPattern(line);
      sameAsPattern(line, want, 'rfc3164');
    }), { numRuns: 3000 });
  });
});

describe('RFC 3339 read by hand gives the pattern\'s result', () => {
  // the pattern the hand-written reader replaced on the hot path (kept here as the specification)
  const PATTERN = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2}) (\S+) ([^\s[:]+)(?:\[(\d+)\])?: ?(.*)$/;
  const byPattern = (line: string) => {
    const m = PATTERN.exec(line);
    if (!m) return undefined;
    const t = rfc3339Ns(m[1], m[2], m[3], m[4]);
    return {
      framing: 'rfc3339', ...(typeof t === 'string' ? { badTime: t } : { ns: t }), precision: (m[3] ?? '').length,
      host: m[5], program: m[6], pid: m[7] === undefined ? undefined : Number(m[7]), message: m[8],
    };
  };
  const pieces = ['2026-11-25', '2026-02-30', '2026-1-25', 'T', ' ', '  ', '\t', '05:55:08', '5:55:08', '.', ',', '123456', '123456789', '1234567890', 'Z', '+01:00', '-0530', '+01:', '+1', 'gw-175', 'Keepalived_vrrp', '[', ']', '5040', '[x]', ':', 'x', '\r', '\u2028', '\u00a0', 'é', '(VI_1) Entering MASTER STATE'];
  it.each([
    '2026-11-25T05:55:08.631407+00:00 gw-a Keepalived_vrrp[27860]: (VI_1) Received advert from 198.51.100.176 with lower priority 100, ours 100, forcing new election',
    '2026-11-25 05:55:08,5Z gw Keepalived: x',
    '2026-11-25T05:55:08.1234567890Z gw Keepalived: x',
    '2026-11-25T05:55:08+0100 gw Keepalived[]: x',
    '2026-11-25T05:55:08+01:0 gw Keepalived: x',
    '2026-02-30T05:55:08Z gw Keepalived[7]:x',
    '2026-11-25T05:55:08Z gw Keepalived: a\u2028b',
    '2026-11-25T05:55:08Z  gw Keepalived: x',
    '2026-11-25T05:55:08Z gw Keepalived:',
  ])('%j', (line) => {
    sameAsPattern(line, byPattern(line), 'rfc3339');
  });
  it('on lines assembled from the delimiters and look-alikes the pattern treats specially', () => {
    const times = ['', '2026-11-25T05:55:08', '2026-11-25 05:55:08.5', '2026-11-25\t05:55:08Z', '2026-11-25T05:55:08.123+01:00', '2026-11-25T05:55:08,1234567890Z', '2026-11-25T05:55:08+01:0'];
    let framed = 0;
    const head = fc.tuple(fc.constantFrom(...times), fc.constantFrom('', ' gw ', ' gw Keepalived', ' gw Keepalived[5]', ' gw Keepalived: ', ' gw Keepalived[5]:'));
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), head, (parts, [time, tail]) => {
      const line = time + tail + parts.join('');
      const want = byPattern(line);
      sameAsPattern(line, want, 'rfc3339');
      if (want) framed++;
    }), { numRuns: 3000 });
    // (the assembled lines do reach the pattern's every branch: many are framed)
    expect(framed).toBeGreaterThan(100);
  });
});

describe('RFC 3339 times: the second is converted once, the fraction added', () => {
  // a run of lines that repeat seconds, change only the zone or the date, and hold dates that are none: each line's
  // instant (or why it has none) equals converting it on its own
  const piece = fc.record({
    date: fc.constantFrom('2026-11-25', '2026-11-26', '2026-02-30', '2024-02-29', '0000-01-01'),
    time: fc.constantFrom('05:55:08', '05:55:09', '23:59:60', '24:00:00'),
    frac: fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
    zone: fc.constantFrom('Z', '+00:00', '-05:30', '+0100', '+24:00'),
  });
  it('equals rfc3339Ns line by line over any sequence', () => {
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), (lines) => {
      for (const l of lines) {
        const f = parseFrame(`${l.date}T${l.time}${l.frac === undefined ? '' : `.${l.frac}`}${l.zone} gw Keepalived_vrrp[1]: x`);
        const want = rfc3339Ns(l.date, l.time, l.frac, l.zone);
        if (typeof want === 'string') expect(f).toMatchObject({ framing: 'rfc3339', badTime: want });
        else expect(f?.ns).toBe(want);
      }
    }), { numRuns: 300 });
  });
});
