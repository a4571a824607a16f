import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { prepareZone, toRfc3339, wallClockToEpochMs } from '../../../src/model/instant.js';
import { readSyslog, SyslogParser, SyslogRecorder } from '../../../src/sources/syslog/reader.js';
import type { KaEvent } from '../../../src/model/keepalived.js';
import { lendReplays, returnReplays } from '../../../src/sources/lent.js';
import { plain, ROOT } from '../../helpers/capture.js';
import { drain } from '../../helpers/drain.js';

const SEED = path.join(ROOT, 'samples/seed-snat');
const dir = mkdtempSync(path.join(tmpdir(), 'vf-log-'));
const file = (name: string, body: string | Buffer, mtime?: Date) => {
  const p = path.join(dir, name);
  writeFileSync(p, body);
  if (mtime) utimesSync(p, mtime, mtime);
  return p;
};
const utc = wallClockToEpochMs('UTC');
const read = (p: string, year?: number, tz = 'UTC') => drain(readSyslog(p, { tz, toEpochMs: tz === 'UTC' ? utc : wallClockToEpochMs(tz), year }));
const pick = (events: KaEvent[]) => events.filter((e) => e.type !== 'garp-sent' && e.type !== 'raw').map((e) => `${e.host} ${e.fields.instance ?? '-'} ${e.type}`);

describe('recorded syslog (samples/seed-snat, keepalived 2.2.7, rsyslog)', () => {
  it('traditional and RFC 3339 framing of the same messages give the same events; times agree to the second', async () => {
    const trad = await read(path.join(SEED, 'gw-a/syslog'), 2026);
    const hp = await read(path.join(SEED, 'gw-a/syslog.rfc3339'));
    expect(pick(trad.items)).toEqual(pick(hp.items));
    trad.items.forEach((e, i) => expect(toRfc3339(e.time, 0)).toBe(toRfc3339(hp.items[i].time - (hp.items[i].time % 1_000_000_000n), 0)));
    expect([trad.info.framings, hp.info.framings, trad.info.hosts]).toEqual([{ rfc3164: 40 }, { rfc3339: 40 }, ['gw-a']]);
  });

  it('the election on gw-b, with the translated address as the peer', async () => {
    const { items } = await read(path.join(SEED, 'gw-b/syslog.rfc3339'));
    const higher = items.find((e) => e.type === 'higher-priority-advert')!;
    expect([higher.fields.peer, higher.fields.peerPriority, higher.fields.ownPriority, higher.line]).toEqual(['203.0.113.1', 150, 100, 29]);
    expect(items.filter((e) => e.type === 'state').map((e) => `${e.fields.state}${e.fields.init ? ' init' : ''}`)).toEqual(['BACKUP init', 'MASTER', 'BACKUP']);
  });

  it('the wrapped "Command line" continuation joins the line it continues', async () => {
    const { items } = await read(path.join(SEED, 'gw-b/syslog'), 2026);
    const cmd = items.find((e) => e.type === 'command-line')!;
    expect(cmd.message).toBe("Command line: 'keepalived' '-D' '-f' '/etc/keepalived/keepalived.conf' '-p' '/run/keepalived.pid' '-r' '/run/vrrp.pid'");
    expect(items.some((e) => e.line === cmd.line + 1)).toBe(false);
  });

  it('other programs are counted and skipped', async () => {
    const { info } = await read(path.join(SEED, 'gw-a/syslog'), 2026);
    // 41 lines: one rsyslogd line, 40 keepalived lines of which one is a wrapped continuation
    expect([info.lines, info.otherLines, info.events]).toEqual([41, 1, 39]);
  });

  it('in a busy syslog (other programs\' lines passed over undecoded after the first 200), the same events, lines and counts', async () => {
    const rec = readFileSync(path.join(SEED, 'gw-a/syslog'), 'utf8').split('\n').filter(Boolean);
    const busy: string[] = [];
    const origin: number[] = []; // busy line number of each recorded line
    rec.forEach((l, i) => {
      for (let k = 0; k < 30; k++) busy.push(`Nov 25 00:34:0${k % 10} gw-a CRON[${900 + i}]: (root) CMD (run-parts /etc/cron.hourly ${k})`);
      busy.push(`Nov 25 00:34:03 gw-a systemd[1]: keepalived.service: Consumed 1.2s CPU time (${i})`);
      busy.push(l);
      origin.push(busy.length);
    });
    const alone = await read(path.join(SEED, 'gw-a/syslog'), 2026);
    for (const chunk of [undefined, 4096, 7]) {
      const { items, info } = await drain(readSyslog(file('busy.log', busy.join('\n') + '\n'), { tz: 'UTC', toEpochMs: utc, year: 2026, chunkSize: chunk }));
      expect(items.map((e) => [e.type, e.time, e.message])).toEqual(alone.items.map((e) => [e.type, e.time, e.message]));
      expect(items.map((e) => e.line)).toEqual(alone.items.map((e) => origin[e.line - 1]));
      // every CRON line, every systemd line (it names keepalived but is not keepalived's) and rsyslogd's own line
      expect([info.lines, info.otherLines, info.events, info.unframed]).toEqual([busy.length, 31 * rec.length + 1, 39, 0]);
    }
  });
});

describe('time', () => {
  it('zone-less times are read in --tz; the year comes from --year', async () => {
    await prepareZone('Europe/Berlin');
    const p = file('berlin.log', 'Jul  1 12:00:00 gw Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n');
    const { items } = await read(p, 2026, 'Europe/Berlin');
    expect(toRfc3339(items[0].time, 0)).toBe('2026-07-01T10:00:00Z');
  });

  it('year inferred backwards from the mtime across a Dec → Jan rollover, flagged', async () => {
    const body = 'Dec 31 23:59:59 gw Keepalived_vrrp[1]: (VI_1) Entering BACKUP STATE\nJan  1 00:00:01 gw Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n';
    const p = file('rollover.log', body, new Date('2027-01-02T00:00:00Z'));
    const { items, info } = await read(p);
    expect(items.map((e) => toRfc3339(e.time, 0))).toEqual(['2026-12-31T23:59:59Z', '2027-01-01T00:00:01Z']);
    expect([items[1].yearRollover, items[0].yearInferred]).toEqual([true, true]);
    expect(info.year).toMatchObject({ firstYear: 2026, source: 'mtime', weak: true, rollovers: 1 });
    // the rollover is flagged: one weak-year warning
    expect(info.problems.map((p) => [p.code, p.severity])).toEqual([['E_BAD_TIME', 'warning']]);
  });

  it('dated by its mtime in one pass: the first line fixes the year; a last line after the mtime is reported, not hidden', async () => {
    // a log of January to November, touched the next February: its first line alone would put it a year late
    const body = 'Jan 10 08:00:00 gw Keepalived_vrrp[1]: (VI_1) Entering BACKUP STATE\nNov 20 08:00:00 gw Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n';
    const { items, info } = await read(file('touched.log', body, new Date('2027-02-15T00:00:00Z')));
    expect(info.year).toMatchObject({ firstYear: 2027, source: 'mtime', weak: true });
    expect(items.map((e) => toRfc3339(e.time, 0))).toEqual(['2027-01-10T08:00:00Z', '2027-11-20T08:00:00Z']);
    expect(info.problems).toEqual([expect.objectContaining({ code: 'E_BAD_TIME', severity: 'warning', file: expect.stringContaining('touched.log') })]);
    expect(info.problems[0].message).toMatch(/--year/);
    // the same log with an mtime at its end: dated as before, nothing to report
    const fresh = await read(file('fresh.log', body, new Date('2026-11-20T09:00:00Z')));
    expect([fresh.info.year?.firstYear, fresh.info.problems]).toEqual([2026, []]);
  });

  it('a gzip-compressed rotated file is read by content, its year from the file mtime, never the gzip header', async () => {
    const gz = gzipSync(Buffer.from('Nov 25 05:55:41 gw-b Keepalived_vrrp[5712]: (VI_1) Entering BACKUP STATE\n'));
    const p = file('messages.2.gz', gz, new Date('2026-11-26T00:00:00Z'));
    const { items, info } = await read(p);
    expect([info.gzip, toRfc3339(items[0].time, 0)]).toEqual([true, '2026-11-25T05:55:41Z']);
  });
});

describe('robustness', () => {
  it('a storm of identical lines is classified once (cached) and each still cited', () => {
    const out: KaEvent[] = [];
    const p = new SyslogParser('storm', { tz: 'UTC', toEpochMs: utc, year: { firstYear: 2026, source: 'flag', weak: false, rollovers: 0 } }, (e) => out.push(e));
    const line = 'Nov 25 05:55:41 gw Keepalived_vrrp[1]: (VI_1) received lower priority (145) advert from 203.0.113.1 - discarding\n';
    p.write(Buffer.from(line.repeat(20000)));
    p.end();
    expect(out).toHaveLength(20000);
    expect(out[19999]).toMatchObject({ line: 20000, type: 'lower-priority-discarded' });
    expect(out[0].fields).toBe(out[19999].fields); // one classification shared
  });

  it('a file with no syslog framing is refused; lines without framing are reported with their line', async () => {
    expect((await read(file('x.conf', 'vrrp_instance VI_1 {\n  state BACKUP\n}\n'))).info.error?.toLine()).toMatch(/x\.conf: line 1: not a syslog/);
    const mixed = await read(file('mixed.log', 'garbage\nNov 25 05:55:41 gw Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n'), 2026);
    expect([mixed.items.length, mixed.info.problems[0].line]).toEqual([1, 1]);
  });

  it('a CRLF file reads like an LF file', async () => {
    const lf = readFileSync(path.join(SEED, 'gw-b/syslog.rfc3339'), 'utf8');
    const a = await read(path.join(SEED, 'gw-b/syslog.rfc3339'));
    const b = await read(file('crlf.log', lf.replace(/\n/g, '\r\n')));
    expect(b.items.map((e) => [e.time, e.type, e.message])).toEqual(a.items.map((e) => [e.time, e.type, e.message]));
  });
});

describe('rotated sets', () => {
  it('messages, messages.1, messages.2.gz are read oldest first; other files keep their place', async () => {
    const { orderRotated } = await import('../../../src/sources/syslog/reader.js');
    expect(orderRotated(['a/messages', 'a/messages.1', 'a/messages.2.gz', 'a/messages.10.gz', 'b/syslog'])).toEqual(['a/messages.10.gz', 'a/messages.2.gz', 'a/messages.1', 'a/messages', 'b/syslog']);
    expect(orderRotated(['x/syslog', 'x/syslog-20261124.gz', 'x/syslog-20261123'])).toEqual(['x/syslog-20261123', 'x/syslog-20261124.gz', 'x/syslog']);
  });

  it('a rotated gzip set through the command reads as one timeline', async () => {
    const { spawnSync } = await import('node:child_process');
    const d = mkdtempSync(path.join(tmpdir(), 'vf-rot-'));
    writeFileSync(path.join(d, 'messages'), 'Nov 25 00:00:03 gw Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n');
    writeFileSync(path.join(d, 'messages.1'), 'Nov 25 00:00:02 gw Keepalived_vrrp[1]: (VI_1) Receive advertisement timeout\n');
    writeFileSync(path.join(d, 'messages.2.gz'), gzipSync('Nov 25 00:00:01 gw Keepalived_vrrp[1]: (VI_1) Entering BACKUP STATE (init)\n'));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), 'logs', d, '--year', '2026', '--json'], { encoding: 'utf8' });
    const events = JSON.parse(r.stdout) as { file: string; line: number; type: string }[];
    expect(events.map((e) => [path.basename(e.file), e.line, e.type])).toEqual([['messages.2.gz', 1, 'state'], ['messages.1', 1, 'advert-timeout'], ['messages', 1, 'state']]);
  });
});

describe('year of a rotated set from its neighbours', () => {
  it('the newest file by its mtime, an older one by the newer one\'s first line — across a new year', async () => {
    const { rotatedYears } = await import('../../../src/sources/syslog/reader.js');
    const d = mkdtempSync(path.join(tmpdir(), 'vf-ny-'));
    const newest = path.join(d, 'messages');
    const older = path.join(d, 'messages.1');
    writeFileSync(newest, 'Jan  2 00:00:01 gw Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n');
    writeFileSync(older, 'Dec 30 10:00:00 gw Keepalived_vrrp[1]: (VI_1) Entering BACKUP STATE\n');
    utimesSync(newest, new Date('2027-01-03T00:00:00Z'), new Date('2027-01-03T00:00:00Z'));
    // the older file's own mtime is misleading (copied later): its neighbour dates it
    utimesSync(older, new Date('2027-06-01T00:00:00Z'), new Date('2027-06-01T00:00:00Z'));
    const years = await rotatedYears([older, newest]);
    const a = await drain(readSyslog(newest, { tz: 'UTC', toEpochMs: utc, yearFrom: years.get(newest) }));
    expect(a.info.year).toMatchObject({ firstYear: 2027, source: 'mtime', weak: true });
    const { items, info } = await drain(readSyslog(older, { tz: 'UTC', toEpochMs: utc, yearFrom: years.get(older) }));
    expect(info.year).toMatchObject({ firstYear: 2026, source: 'rotated-neighbour', weak: false });
    expect(toRfc3339(items[0].time, 0)).toBe('2026-12-30T10:00:00Z');
    expect(info.problems).toEqual([]);
  });

  it('only each file\'s first lines are read to date its neighbour; an older file that runs past its newer neighbour is reported', async () => {
    const { rotatedYears, peekFirstDay } = await import('../../../src/sources/syslog/reader.js');
    const d = mkdtempSync(path.join(tmpdir(), 'vf-ny-'));
    const newest = path.join(d, 'messages');
    const older = path.join(d, 'messages.1');
    // the first line of the newest file is another program's: the neighbour's date counts from it, as before
    writeFileSync(newest, 'Mar  1 00:00:00 gw CRON[5]: x\nMar  2 00:00:01 gw Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n' + 'Mar  3 00:00:00 gw CRON[5]: x\n'.repeat(20000));
    // out of order: its last line (Mar 5) is after the newer file's first line (Mar 1)
    writeFileSync(older, 'Feb 20 10:00:00 gw Keepalived_vrrp[1]: (VI_1) Entering BACKUP STATE\nMar  5 10:00:00 gw Keepalived_vrrp[1]: (VI_1) Entering BACKUP STATE\n');
    utimesSync(newest, new Date('2027-03-04T00:00:00Z'), new Date('2027-03-04T00:00:00Z'));
    expect(await peekFirstDay(newest, 64)).toEqual({ month: 2, day: 1 });
    const years = await rotatedYears([older, newest]);
    const { items, info } = await drain(readSyslog(older, { tz: 'UTC', toEpochMs: utc, yearFrom: years.get(older) }));
    expect(toRfc3339(items[0].time, 0)).toBe('2027-02-20T10:00:00Z');
    expect(info.problems.map((p) => [p.code, p.message])).toEqual([['E_BAD_TIME', expect.stringMatching(/next newer file of its rotated set \(2027-03-01\).*give --year/)]]);
  });
});

describe('year from a capture of the same period (analyze), in one pass', () => {
  const near = new Date('2027-01-03T12:00:00Z');
  it('the first line nearest the capture dates the file; the span is checked at the end', async () => {
    // a log across New Year around the capture: dated 2026 → 2027, as the old whole-span pass dated it
    const f = file('ny.log', 'Dec 28 10:00:00 gw Keepalived_vrrp[1]: (VI_1) Entering BACKUP STATE\nJan  5 10:00:00 gw Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n');
    const { items, info } = await drain(readSyslog(f, { tz: 'UTC', toEpochMs: utc, near }));
    expect(items.map((e) => toRfc3339(e.time, 0))).toEqual(['2026-12-28T10:00:00Z', '2027-01-05T10:00:00Z']);
    expect(info.year).toMatchObject({ firstYear: 2026, source: 'capture', weak: false, rollovers: 1 });
    expect(info.problems.filter((p) => /give --year/.test(p.message))).toEqual([]);
  });

  it('a log whose whole span would be dated otherwise (it starts more than half a year before the capture) is reported', async () => {
    const f = file('long.log', 'Feb  1 10:00:00 gw Keepalived_vrrp[1]: (VI_1) Entering BACKUP STATE\nDec 20 10:00:00 gw Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n');
    const { info } = await drain(readSyslog(f, { tz: 'UTC', toEpochMs: utc, near }));
    expect(info.year?.firstYear).toBe(2027);
    expect(info.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/dated by the capture \(2027-01-03\) from the log's first line \(2027\); its whole span would put them in 2026: give --year/));
  });
});

describe('keepalived\'s own framing (-g log file, --log-console, --log-detail)', () => {
  it('lines that never name the program are keepalived\'s, also after hundreds of other lines', () => {
    const events: KaEvent[] = [];
    const p = new SyslogParser('keepalived.log', { tz: 'UTC', toEpochMs: (t) => Date.UTC(t.year, t.month, t.day, t.hour, t.minute, t.second) }, (e) => events.push(e));
    const other = Array.from({ length: 300 }, (_, i) => `Sat Mar 23 02:57:${String(i % 60).padStart(2, '0')} 2019: Opening file '/etc/keepalived/keepalived.conf'.`).join('\n');
    p.write(Buffer.from(`${other}\nSat Mar 23 02:57:31 2019: (VI_1) Invalid VRRPv3 checksum\nSat Mar 23 02:57:32 2019: VRRP_Group(VG1) Syncing instances to MASTER state\n`));
    p.end();
    expect(events.at(-2)).toMatchObject({ line: 301, type: 'invalid-checksum', fields: { instance: 'VI_1', checksumVersion: 3 }, time: BigInt(Date.UTC(2019, 2, 23, 2, 57, 31)) * 1_000_000n });
    expect(events.at(-1)).toMatchObject({ line: 302, type: 'group-state', fields: { group: 'VG1', state: 'MASTER' } });
    expect(p.info.framings['keepalived-log-file']).toBe(302);
  });
});

describe('keepalived lines framed over their bytes', () => {
  /** events and summary of `body` fed in chunks of `chunk` bytes, framed over bytes (the default) or from text alone */
  const parse = (body: Buffer, chunk: number, byteFraming: boolean, sideLines = false) => {
    const events: KaEvent[] = [];
    const p = new SyslogParser('b.log', { tz: 'UTC', toEpochMs: utc, checkLocalTimes: true, sideLines, byteFraming, year: { firstYear: 2026, source: 'flag', weak: false, rollovers: 0 } }, (e) => events.push(e));
    let error: string | undefined;
    try {
      for (let i = 0; i < body.length; i += chunk) p.write(body.subarray(i, i + chunk));
      p.end();
    } catch (err) {
      error = String(err);
    }
    return { events, info: p.info, error };
  };

  it('give what framing the text gives, whatever the line (fuzzed framings, hosts, programs, pids and messages)', () => {
    const times = ['2026-11-25T06:26:46.520019+00:00', '2026-11-25 06:26:46,5Z', '2026-11-25T06:26:46+0100', '2026-11-25T06:26:46-05:30', '2026-11-25T06:26:46.1234567890Z', '2026-02-30T06:26:46Z',
      '2026-11-25T06:26:46+25:00', '2026-11-25T06:26:46+2500', '2026-11-25T06:26:47.000000001Z', 'Nov 25 06:26:46', 'Nov  5 06:26:46.25', 'Feb 30 06:26:46', 'Foo 25 06:26:46', 'Dec 31 23:59:60', 'Jan  1 00:00:01'];
    const hosts = [' gw-a', ' gw-ü', ' gw\u00a0x', ' gw\tb', '', '  gw', ` ${'h'.repeat(600)}`];
    const programs = [' Keepalived_vrrp', ' keepalived', ' KEEPALIVED', ' Keepalived_vrrpX', ' xKeepalived', ' Keepalived_vrrp_ns1_i', ' Keepalive', ' sshd', ` Keepalived_vrrp_${'n'.repeat(600)}`];
    const pids = ['[5]', '[0005]', '[123456789012345678901]', '[]', '[x]', '', '[5'];
    const seps = [': ', ':', ' ', ':  '];
    const messages = ['(VI_1) Entering MASTER STATE', 'Sending gratuitous ARP on lan0 for 198.51.100.254', 'Sending gratuitous ARP on lan0 for 198.51.100.253', '(VI_1) Received advert from 198.51.100.176 with lower priority 100, ours 100, forcing new election',
      '(VI_1) Received advert from 198.51.100.177 with lower priority 100, ours 100, forcing new election', 'ünïcode ⚠ line', 'a\u2028b', 'a\u2029', 'a\rb', 'nul\0byte', '    continued line', '\u00a0   nbsp', 'x'.repeat(700), '', 'send advert error', 'Command line: x'];
    const line = fc.tuple(fc.constantFrom(...times), fc.constantFrom(...hosts), fc.constantFrom(...programs), fc.constantFrom(...pids), fc.constantFrom(...seps), fc.constantFrom(...messages)).map((p) => p.join(''));
    fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 200 }), fc.boolean(), fc.boolean(), (lines, chunk, crlf, sideLines) => {
      const body = Buffer.from('Nov 25 06:00:00 gw-a Keepalived[1]: Starting Keepalived v2.2.7\n' + lines.join(crlf ? '\r\n' : '\n') + '\n');
      expect(parse(body, chunk, true, sideLines)).toEqual(parse(body, chunk, false, sideLines));
    }), { numRuns: 300 });
  });

  it('a message that differs from one met before only after its first bytes keeps its own text and class', () => {
    const a = '2026-11-25T06:26:46.000001+00:00 gw-a Keepalived_vrrp[1]: (VI_1) Received advert from 198.51.100.176 with lower priority 100, ours 100, forcing new election';
    const b = a.replace('100.176', '100.177');
    const c = a.replace(', forcing new election', ', forcing new electioN');
    const { events } = parse(Buffer.from([a, b, a, c, a].join('\n') + '\n'), 65536, true);
    expect(events.map((e) => [e.message.split(' ')[4], e.message.at(-1), e.fields.peer, e.fields.forcingElection])).toEqual([
      ['198.51.100.176', 'n', '198.51.100.176', true], ['198.51.100.177', 'n', '198.51.100.177', true], ['198.51.100.176', 'n', '198.51.100.176', true], ['198.51.100.176', 'N', '198.51.100.176', false], ['198.51.100.176', 'n', '198.51.100.176', true],
    ]);
  });

  it('multi-byte UTF-8 (cut by chunks), a NUL, a CR before the LF: the message as written; a CR inside it: no framing, said with its line', () => {
    const body = Buffer.from('Nov 25 06:26:46 gw-a Keepalived_vrrp[1]: (VI_1) ünïcode ⚠ nul\0x\r\nNov 25 06:26:47 gw-a Keepalived_vrrp[1]: a\rb\n');
    for (const chunk of [1, 2, 3, 65536]) {
      const { events, info } = parse(body, chunk, true);
      expect(events.map((e) => [e.line, e.message, e.fields.instance])).toEqual([[1, '(VI_1) ünïcode ⚠ nul\0x', 'VI_1']]);
      expect(info.problems).toEqual([expect.objectContaining({ code: 'E_UNKNOWN_FORMAT', line: 2 })]);
    }
  });

  it('many lines a second read in a zone with DST: each timed, one warning per ambiguous hour, a bad time between them said', async () => {
    const tz = await prepareZone('Europe/Berlin');
    const toEpochMs = wallClockToEpochMs(tz);
    const events: KaEvent[] = [];
    const p = new SyslogParser('dst.log', { tz, toEpochMs, checkLocalTimes: true, year: { firstYear: 2026, source: 'flag', weak: false, rollovers: 0 } }, (e) => events.push(e));
    const at = ['02:30:00', '02:30:00', '02:30:00.5', '02:30:01', '02:30:01', '02:30:01', '03:59:60', '03:59:59', '03:59:59'];
    const lines = at.map((t, i) => `${i === 4 ? 'Oct 32' : 'Oct 25'} ${t} gw-a Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE`);
    p.write(Buffer.from(lines.join('\n') + '\n'));
    p.end();
    const ms = (t: string) => toEpochMs({ year: 2026, month: 9, day: 25, hour: Number(t.slice(0, 2)), minute: Number(t.slice(3, 5)), second: Math.min(59, Number(t.slice(6, 8))) });
    expect(events.map((e) => [e.line, e.time])).toEqual(at.map((t, i) => [i + 1, BigInt(ms(t)) * 1_000_000n + (t.endsWith('.5') ? 500_000_000n : 0n)]).filter(([line]) => line !== 5));
    expect(p.info.problems.map((x) => [x.line, x.code, x.severity])).toEqual([[1, 'E_BAD_TIME', 'warning'], [5, 'E_BAD_TIME', 'error']]);
  });

  it('a last line cut short is said (E_TRUNCATED), not read as an event', () => {
    const { events, info } = parse(Buffer.from('Nov 25 06:26:46 gw-a Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\nNov 25 06:26:47 gw-a Keepalived_vrrp[1]: (VI_1) Entering BACK'), 7, true);
    expect(events.map((e) => e.fields.state)).toEqual(['MASTER']);
    expect(info.problems).toEqual([expect.objectContaining({ code: 'E_TRUNCATED', line: 2 })]);
  });
});

describe('a syslog read by batch\'s scan, replayed for its analysis', () => {
  const log = () => file(`replay-${Math.random()}`, [
    'Dec 30 10:00:00 gw-a Keepalived_vrrp[7]: (VI_1) Entering MASTER STATE',
    'Dec 30 10:00:05 gw-a kernel: nf_conntrack: table full, dropping packet',
    'Dec 30 10:00:09 gw-a Keepalived_vrrp[7]: (VI_1) Entering BACKUP STATE',
  ].join('\n') + '\n', new Date(Date.UTC(2027, 5, 1)));
  const opts = { tz: 'UTC', toEpochMs: utc, checkLocalTimes: true, sideLines: true };
  const scan = async (p: string) => {
    const keep = new SyslogRecorder(100);
    const read = await drain(readSyslog(p, { ...opts, keep }));
    return { read, replay: keep.replay! };
  };

  it('gives what reading gives: events, side runs, summary (the same --year, or no year-less line to date)', async () => {
    const p = log();
    const { read, replay } = await scan(p);
    expect(toRfc3339(read.items[0].time, 0)).toBe('2026-12-30T10:00:00Z'); // mtime June 2027: December is 2026's
    lendReplays({ [p]: replay });
    try {
      expect(plain(await drain(readSyslog(p, opts)))).toEqual(plain(read));
    } finally {
      returnReplays();
    }
  });

  it('dated by a capture: the scan\'s events when the capture puts the first line in the same year (the anchor is the capture\'s); read again when not', async () => {
    const p = log();
    const { replay } = await scan(p);
    const near = (y: number) => ({ ...opts, near: new Date(Date.UTC(y, 11, 30, 10)) });
    // emptied, so what comes from the replay shows
    lendReplays({ [p]: { ...replay, batches: [] } });
    try {
      const same = await drain(readSyslog(p, near(2026)));
      expect(same.items).toEqual([]);
      expect(same.info.year).toMatchObject({ firstYear: 2026, source: 'capture', weak: false });
      expect(plain(same.info.side)).toEqual(plain((await drain(readSyslog(p, opts))).info.side));
      const other = await drain(readSyslog(p, near(2027)));
      expect(other.items.map((e) => toRfc3339(e.time, 0))).toEqual(['2027-12-30T10:00:00Z', '2027-12-30T10:00:09Z']);
      expect(other.info.year).toMatchObject({ firstYear: 2027, source: 'capture' });
      // another zone or another --year: read again
      expect((await drain(readSyslog(p, { ...opts, year: 2026 }))).items).toHaveLength(2);
      expect((await drain(readSyslog(p, { ...opts, tz: 'Europe/Berlin', toEpochMs: wallClockToEpochMs('Europe/Berlin') }))).items).toHaveLength(2);
    } finally {
      returnReplays();
    }
  });
});
