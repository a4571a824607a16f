import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineSplitter, type Line, type LineSieve } from '../../src/sources/lines.js';
import { ROOT } from '../helpers/capture.js';

const SIEVE: LineSieve = { contains: Buffer.from('eepalived'), startsWith: [0x7b] };

function split(bytes: Buffer, chunk: number, opts: { sieve?: LineSieve; textBytes?: number } = {}) {
  const lines: Line[] = [];
  const s = new LineSplitter('f', (l) => lines.push(l), () => {}, { textBytes: opts.textBytes, unterminated: 'keep' });
  s.sieve = opts.sieve ?? null;
  for (let i = 0; i < bytes.length; i += chunk) s.write(bytes.subarray(i, i + chunk));
  s.end();
  return { lines, skipped: s.skipped, total: s.lines };
}

// recorded keepalived lines with other programs' lines between them, as on a real gateway
const recorded = readFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/syslog'), 'utf8').split('\n').filter(Boolean);
const others = (i: number) => [
  `Nov 25 00:00:${String(i % 60).padStart(2, '0')} gw-a sshd[812]: Accepted publickey for ops from 203.0.113.9 port ${40000 + i} ssh2`,
  '',
  `Nov 25 00:00:01 gw-a systemd[1]: Started keepalived.service - LVS and VRRP High Availability Monitor.\r`,
  `Nov 25 00:00:02 gw-a kernel: [${i}.5] ünïcode ⚠ line`,
  '{"MESSAGE":"journal line without the word"}',
];
const mixed = Buffer.from(recorded.flatMap((l, i) => [l, ...others(i)]).join('\n') + '\nno newline at the end');

describe('LineSplitter', () => {
  it('numbers lines and keeps byte offsets (multi-byte UTF-8 cut by chunk boundaries, CRLF, empty lines, no final newline)', () => {
    const texts = mixed.toString('utf8').split('\n').map((t) => t.replace(/\r$/, ''));
    for (const chunk of [mixed.length, 4096, 7, 1]) {
      const { lines, total } = split(mixed, chunk);
      expect(lines.map((l) => l.text)).toEqual(texts);
      expect(total).toBe(texts.length);
      for (const l of lines) expect(mixed.subarray(l.offset, l.offset + Buffer.byteLength(l.text)).toString('utf8')).toBe(l.text);
    }
  });

  it('a sieve hands on only lines that can match, with the numbers and offsets they have unsieved, however the bytes are chunked', () => {
    const all = split(mixed, mixed.length).lines;
    const want = all.filter((l) => l.text.includes('eepalived') || l.text.startsWith('{'));
    expect(want.length).toBe(recorded.filter((l) => l.includes('eepalived')).length + 2 * recorded.length);
    const wantSkipped = all.filter((l) => l.text !== '' && !want.includes(l)).length;
    for (const chunk of [mixed.length, 4096, 7, 1]) {
      const r = split(mixed, chunk, { sieve: SIEVE });
      // a line cut by a chunk boundary is decoded whole and left to the caller's own test, so compare the sieve's
      // guarantee: nothing it drops could match, and everything that matches is there
      expect(r.lines.filter((l) => l.text.includes('eepalived') || l.text.startsWith('{'))).toEqual(want);
      expect(r.skipped + r.lines.filter((l) => l.text !== '' && !want.some((w) => w.line === l.line)).length).toBe(wantSkipped);
      expect(r.total).toBe(all.length);
    }
    // in one chunk, nothing that cannot match is decoded but the unterminated last line (held for the next chunk)
    expect(split(mixed, mixed.length, { sieve: SIEVE }).lines).toEqual([...want, all.at(-1)]);
  });

  it('a byte hook sees each kept line\'s bytes (no CR, cut as the text would be); what it takes is not decoded, the rest is, numbered as before', () => {
    const all = split(mixed, mixed.length).lines;
    for (const chunk of [mixed.length, 4096, 7, 1]) {
      const seen: [number, string][] = [];
      const lines: Line[] = [];
      const s = new LineSplitter('f', (l) => lines.push(l), () => {}, { unterminated: 'keep' });
      s.byteLine = (buf, start, end, line) => {
        const text = buf.toString('utf8', start, end);
        seen.push([line, text]);
        return text.includes('Keepalived');
      };
      for (let i = 0; i < mixed.length; i += chunk) s.write(mixed.subarray(i, i + chunk));
      s.end();
      expect(seen).toEqual(all.map((l) => [l.line, l.text]));
      expect(lines).toEqual(all.filter((l) => !l.text.includes('Keepalived')));
    }
  });

  it('textBytes decodes only the start of each line (the year pass reads month and day)', () => {
    const { lines } = split(mixed, 97, { textBytes: 16 });
    expect(lines[0].text).toBe(recorded[0].slice(0, 16));
    expect(lines.every((l) => Buffer.byteLength(l.text) <= 16)).toBe(true);
  });
});
