import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protoNumberAt } from '../../../src/sources/conntrack/sieve.js';
import { parseTextLine } from '../../../src/sources/conntrack/text-line.js';
import { ROOT } from '../../helpers/capture.js';

const at = (line: string) => {
  const b = Buffer.from(`junk\n${line}\nmore`);
  return protoNumberAt(b, 5, 5 + Buffer.byteLength(line));
};

/** every text line of the recorded conntrack files: the lab's formats and the samples' dumps and event logs */
function recordedLines(): string[] {
  const lab = path.join(ROOT, 'test/fixtures/conntrack-lab');
  const files = readdirSync(lab).filter((f) => !f.includes('xml') && f.endsWith('.txt') || f.endsWith('.log')).map((f) => path.join(lab, f));
  for (const s of readdirSync(path.join(ROOT, 'samples'))) {
    const dir = path.join(ROOT, 'samples', s);
    if (!statSync(dir).isDirectory()) continue;
    for (const host of readdirSync(dir)) {
      if (!statSync(path.join(dir, host)).isDirectory()) continue;
      for (const f of readdirSync(path.join(dir, host))) if (/^(nf_conntrack|conntrack-)/.test(f) && !f.endsWith('.gz')) files.push(path.join(dir, host, f));
    }
  }
  return files.flatMap((f) => readFileSync(f, 'utf8').split('\n'));
}

describe('a conntrack line\'s protocol number read from its bytes', () => {
  it('equals the full parse\'s on every recorded line (all text formats), and answers nothing for what does not parse', () => {
    const lines = recordedLines();
    expect(lines.length).toBeGreaterThan(100);
    let answered = 0;
    for (const line of lines) {
      const n = at(line);
      const r = parseTextLine(line);
      if ('entry' in r) {
        expect(n, line).toBe(r.entry.protoNum);
        answered++;
      } else expect(n, line).toBe(-1);
    }
    expect(answered).toBeGreaterThan(50);
  });

  it('each layout: /proc (L3 columns), -L, -E with timestamp and event', () => {
    expect(at('ipv4     2 unknown  112 599 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 mark=0 use=2')).toBe(112);
    expect(at('ipv6     10 tcp      6 59 CLOSE_WAIT src=2001:db8::1 dst=2001:db8::2 sport=1 dport=2 src=2001:db8::2 dst=2001:db8::1 sport=2 dport=1')).toBe(6);
    expect(at('unknown  51 597 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 mark=0 use=1')).toBe(51);
    expect(at('[1795586156.414713]\t[DESTROY] unknown  112 599 src=198.51.100.175 dst=224.0.0.18 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1')).toBe(112);
    expect(at('    [NEW] udp      17 30 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1')).toBe(17);
  });

  it('damaged heads are left to the full parse (-1)', () => {
    for (const line of ['', 'ipv4 2 tcp', 'tcp 6 src=1.2.3.4', 'tcp six 5 src=1.2.3.4 dst=5.6.7.8', 'src=1.2.3.4 dst=5.6.7.8', 'tcp 6 5 src=1.2.3.4 sport=1', 'conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.', 't\u00e9p 6 5 src=1.2.3.4 dst=5.6.7.8']) {
      expect(at(line), line).toBe(-1);
    }
  });

  it('never answers a number the full parse would not give (arbitrary lines from entry-like pieces)', () => {
    const pieces = ['ipv4', 'ipv6', 'unknown', 'tcp', 'udp', ' ', '  ', '\t', '2', '10', '6', '112', '51', '599', 'ESTABLISHED', '[NEW]', '[1795586156.414713]', 'src=1.2.3.4', 'dst=5.6.7.8', 'sport=1', 'x', '=', '[UNREPLIED]'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
      const line = parts.join(' ');
      const n = at(line);
      if (n < 0) return;
      const r = parseTextLine(line);
      if ('entry' in r) expect(n).toBe(r.entry.protoNum);
      else expect.unreachable(`counted as an entry but does not parse: ${line}`);
    }), { numRuns: 3000 });
  });
});
