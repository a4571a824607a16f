import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineSink } from '../../src/cli/output.js';
import { ROOT } from '../helpers/capture.js';

/**
 * Issue 15: `adverts cap.pcap -o cap.pcap` truncated the capture before reading it, and `analyze DIR -o
 * DIR/gw-a/messages.rfc3339` replaced the log with the report; an interrupted `-o` left a truncated file under the
 * final name.
 */
const run = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

function evidence() {
  const d = mkdtempSync(path.join(tmpdir(), 'vf-out-'));
  mkdirSync(path.join(d, 'gw-a'));
  copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/any.pcap'), path.join(d, 'gw-a/cap.pcap'));
  copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/syslog.rfc3339'), path.join(d, 'gw-a/messages.rfc3339'));
  return d;
}

describe('regression: an output path that is an input', () => {
  it('is refused before anything is written, for the file itself, a symbolic link and a hard link to it', () => {
    const d = evidence();
    const cap = path.join(d, 'gw-a/cap.pcap');
    const log = path.join(d, 'gw-a/messages.rfc3339');
    const before = [readFileSync(cap), readFileSync(log)];
    symlinkSync(cap, path.join(d, 'link.pcap'));
    linkSync(log, path.join(d, 'hard.log'));
    const cases = [
      ['adverts', cap, '-o', cap],
      ['adverts', cap, '--json', '-o', path.join(d, 'link.pcap')],
      ['logs', path.join(d, 'gw-a'), '-o', log],
      ['conntrack', path.join(d, 'gw-a'), '-o', cap],
      ['analyze', d, '-o', log],
      ['analyze', path.join(d, 'gw-a'), '-o', path.join(d, 'hard.log')],
      ['timeline', d, '-o', cap],
    ];
    for (const c of cases) {
      const r = run(c);
      expect(r.status, c.join(' ')).toBe(2);
      expect(r.stderr, c.join(' ')).toMatch(/output file is .*input.*\[E_USAGE\]/);
    }
    expect([readFileSync(cap), readFileSync(log)]).toEqual(before);
    // no temporary file left beside them
    expect(readdirSync(path.join(d, 'gw-a')).sort()).toEqual(['cap.pcap', 'messages.rfc3339']);
  }, 120_000);

  it('an output that is no input is written, through a temporary name renamed at the end', async () => {
    const d = evidence();
    const out = path.join(d, 'report.json');
    const r = run(['adverts', path.join(d, 'gw-a/cap.pcap'), '--json', '-o', out]);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).length).toBeGreaterThan(0);
    expect(readdirSync(d).filter((f) => f.endsWith('.partial'))).toEqual([]);

    // a run that stops before close leaves nothing under the final name (before: a truncated file was there)
    const cut = path.join(d, 'cut.json');
    const sink = await LineSink.open(cut);
    await sink.write('[\n{"frame": 1},');
    expect(existsSync(cut)).toBe(false);
    await sink.close();
    expect(readFileSync(cut, 'utf8')).toBe('[\n{"frame": 1},');
  }, 60_000);
});
