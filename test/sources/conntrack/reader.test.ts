import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConntrackParser, readConntrack } from '../../../src/sources/conntrack/reader.js';
import { drain } from '../../helpers/drain.js';
import { ROOT, TCPDUMP } from '../../helpers/capture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vf-ct-'));
const file = (name: string, text: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

async function read(p: string, at?: bigint) {
  const { items, info } = await drain(readConntrack(p, { at }));
  return { entries: items, info };
}

const SEED = 'unknown  112 599 src=192.168.8.175 dst=224.0.0.18 packets=11662 bytes=1072904 [UNREPLIED] src=1.1.1.1 dst=224.0.0.18 packets=0 bytes=0 mark=0 secmark=0 use=2\n';

describe('conntrack reader', () => {
  it('formats are sniffed from content; dump time from the date line beats the file name', async () => {
    const { info, entries } = await read(path.join(ROOT, 'samples/seed-snat/gw-a/nf_conntrack.1795586148'));
    expect([info.format, info.entries, info.dumpTime?.source, info.dumpTime?.via]).toEqual(['/proc/net/nf_conntrack', 3, 'file-content', { kind: 'date-line', line: 1 }]);
    expect(entries[0]).toMatchObject({ line: 2, observedFrom: 'file-content' });
    const l = await read(path.join(ROOT, 'samples/seed-snat/gw-a/conntrack-L.1795586148'));
    expect([l.info.format, l.info.options, l.info.dumpTime?.source]).toEqual(['conntrack -L -o extended', ['ktimestamp', 'id'], 'file-name']);
    const ev = await read(path.join(ROOT, 'samples/seed-snat/gw-a/conntrack-events.log'));
    expect([ev.info.format, ev.info.options, ev.entries.map((e) => e.event)]).toEqual(['conntrack -E', ['timestamp'], ['NEW', 'NEW', 'NEW', 'DESTROY', 'DESTROY']]);
  });

  it('the seed line in an old ip_conntrack dump; --at when nothing else states the time; mtime flagged weak', async () => {
    const p = file('ip_conntrack', SEED);
    expect((await read(p, 1795586148_000_000_000n)).info.dumpTime).toMatchObject({ source: 'flag', weak: false });
    const { info, entries } = await read(p);
    expect([info.format, info.dumpTime?.source, info.dumpTime?.weak, entries[0].origCounters?.packets]).toEqual(['/proc/net/ip_conntrack', 'mtime', true, 11662]);
  });

  it('a bad line is reported with file:line and skipped; the rest is read', async () => {
    const p = file('mixed.txt', `${SEED}garbage line here\n${SEED}`);
    const { info, entries } = await read(p);
    expect(entries.map((e) => e.line)).toEqual([1, 3]);
    expect(info.problems).toEqual([expect.objectContaining({ file: p, line: 2, code: 'E_UNKNOWN_FORMAT' })]);
  });

  it('a file with no entries says so; a syslog or a capture is refused early', async () => {
    const empty = await read(file('empty.txt', ''));
    expect([empty.entries, empty.info.problems.map((p) => [p.code, p.severity])]).toEqual([[], [['E_UNKNOWN_FORMAT', 'warning']]]);
    const syslog = await read(path.join(ROOT, 'samples/seed-snat/gw-a/syslog'));
    expect(syslog.info.error?.toLine()).toMatch(/syslog: line 1: not a conntrack dump or event log \(line 1: "Nov 25 05:55:\d\d gw-a rsyslogd/);
    expect((await read(path.join(TCPDUMP, 'vrrp.pcap'))).info.error?.message).toMatch(/binary content/);
  });

  it('gzip and -o xml with the footer missing', async () => {
    const xml = '<?xml version="1.0" encoding="utf-8"?>\n<conntrack>\n<flow><meta direction="original"><layer3 protonum="2" protoname="ipv4"><src>198.51.100.175</src><dst>224.0.0.18</dst></layer3><layer4 protonum="112" protoname="unknown"></layer4></meta><meta direction="reply"><layer3 protonum="2" protoname="ipv4"><src>224.0.0.18</src><dst>203.0.113.1</dst></layer3><layer4 protonum="112" protoname="unknown"></layer4></meta><meta direction="independent"><timeout>599</timeout><unreplied/></meta></flow>\n';
    const { info, entries } = await read(file('ct.xml.gz', gzipSync(xml)));
    expect([info.gzip, info.format, entries.length, entries[0].line, entries[0].reply.dst]).toEqual([true, 'conntrack -o xml', 1, 3, '203.0.113.1']);
  });

  it('chunk sizes 1, 7 and whole give the same entries', () => {
    const text = Buffer.from(`Wed Nov 25 05:55:08 UTC 2026\r\n${SEED}${SEED}`);
    const run = (size: number) => {
      const out: unknown[] = [];
      const p = new ConntrackParser('t', (e) => out.push({ ...e, origCounters: e.origCounters, observedAt: String(e.observedAt) }));
      for (let i = 0; i < text.length; i += size) p.write(text.subarray(i, i + size));
      p.end();
      return out;
    };
    const whole = run(text.length);
    expect(whole).toHaveLength(2);
    expect(run(1)).toEqual(whole);
    expect(run(7)).toEqual(whole);
  });
});

describe('dump time from a sosreport manifest', () => {
  it('the start time of the command that wrote this file, found upward from it', async () => {
    const root = path.join(dir, 'sosreport-gw-a-2026-11-25-abcd');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(root, 'sos_reports'), { recursive: true });
    mkdirSync(path.join(root, 'sos_commands/conntrack'), { recursive: true });
    writeFileSync(path.join(root, 'sos_reports/manifest.json'), JSON.stringify({
      components: { report: { plugins: { conntrack: { commands: [
        { exec: 'conntrack -S', filepath: 'sos_commands/conntrack/conntrack_-S', start_time: 1795586100.5 },
        { exec: 'conntrack -L -o extended', filepath: 'sos_commands/conntrack/conntrack_-L_-o_extended', start_time: 1795586148.25, end_time: 1795586148.3 },
      ] } } } },
    }));
    const dump = path.join(root, 'sos_commands/conntrack/conntrack_-L_-o_extended');
    writeFileSync(dump, 'ipv4     2 unknown  112 599 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 mark=0 use=1\n');
    const { info, entries } = await read(dump);
    expect([info.dumpTime?.source, info.dumpTime?.ns, entries[0].observedFrom]).toEqual(['sos-manifest', 1795586148_250_000_000n, 'sos-manifest']);
    expect(info.dumpTime?.via).toMatchObject({ kind: 'sos-command', command: expect.stringContaining('conntrack -L -o extended') });
  });
});
