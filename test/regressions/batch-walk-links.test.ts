import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandSweep } from '../../src/batch/glob.js';
import type { PassedOver } from '../../src/sources/input.js';
import { ROOT } from '../helpers/capture.js';

// batch's folder walk kept only entries whose directory entry said "file": a symbolic link to a capture (how evidence
// is often gathered into an incident folder) was dropped without a word, as were FIFOs and dangling links.
describe('batch walk: a link to evidence is evidence; what is not read is said', () => {
  it('follows links to files and folders, lists a dangling link, a FIFO and a directory cycle as passed over', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-walk-'));
    const inc = path.join(dir, 'incident');
    mkdirSync(inc);
    symlinkSync(path.join(ROOT, 'samples/seed-snat/gw-b/lan0.pcap'), path.join(inc, 'gw-b.pcap'));
    symlinkSync(path.join(ROOT, 'samples/seed-snat/gw-a'), path.join(inc, 'gw-a'));
    symlinkSync(path.join(dir, 'nowhere'), path.join(inc, 'gone.pcap'));
    symlinkSync(inc, path.join(inc, 'loop'));
    execFileSync('mkfifo', [path.join(inc, 'pipe')]);
    const passed: PassedOver[] = [];
    const files = (await expandSweep([inc], passed)).map((f) => path.relative(inc, f.path));
    expect(files).toContain('gw-b.pcap');
    expect(files).toContain('gw-a/conntrack-events.log');
    expect(passed.map((p) => [path.relative(inc, p.path), p.reason])).toEqual([
      ['gone.pcap', 'a dangling symbolic link'],
      ['loop', 'a directory cycle (the same folder as one it is inside)'],
      ['pipe', 'a FIFO, not a regular file'],
    ]);
  });
});
