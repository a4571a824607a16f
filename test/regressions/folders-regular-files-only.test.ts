import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandPaths } from '../../src/sources/input.js';
import { ROOT } from '../helpers/capture.js';

/**
 * Issue 15: a FIFO in an input folder hung every command, `logs /dev/zero` never ended, a dangling link, a link loop or
 * an over-long path aborted the run, directory cycles were followed 40 levels, a file name with a newline crashed
 * `logs`, and 100,000 empty files were listed one by one.
 */
const run = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

function hostileFolder() {
  const d = mkdtempSync(path.join(tmpdir(), 'vf-walk-'));
  copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-b/syslog'), path.join(d, 'syslog'));
  spawnSync('mkfifo', [path.join(d, 'fifo')]);
  symlinkSync('nowhere', path.join(d, 'dangling'));
  symlinkSync('loop-b', path.join(d, 'loop-a'));
  symlinkSync('loop-a', path.join(d, 'loop-b'));
  mkdirSync(path.join(d, 'sub'));
  symlinkSync('..', path.join(d, 'sub/up'));
  symlinkSync('x'.repeat(300), path.join(d, 'long')); // a name over NAME_MAX: ENAMETOOLONG
  return d;
}

describe('regression: what a folder walk reads', () => {
  it('regular files only; FIFOs, dangling links, loops, long paths and cycles are passed over with their reason', async () => {
    const d = hostileFolder();
    const x = await expandPaths([d]);
    expect(x.files.map((f) => path.relative(d, f.path))).toEqual(['syslog']);
    const why = Object.fromEntries(x.passedOver.map((p) => [path.relative(d, p.path), p.reason]));
    expect(why).toEqual({
      dangling: 'a dangling symbolic link',
      fifo: 'a FIFO, not a regular file',
      long: 'path too long',
      'loop-a': 'a symbolic link loop',
      'loop-b': 'a symbolic link loop',
      'sub/up': expect.stringContaining('directory cycle'),
    });
    for (const cmd of [['logs', '--year', '2026'], ['conntrack'], ['adverts'], ['analyze', '--year', '2026']]) {
      const r = run([cmd[0], d, ...cmd.slice(1)]);
      expect(r.error, cmd[0]).toBeUndefined(); // no hang (the timeout)
      expect(r.stderr, cmd[0]).not.toMatch(/Cannot read|ELOOP|ENAMETOOLONG/);
      if (cmd[0] !== 'analyze') expect(r.stderr, cmd[0]).toMatch(/fifo: not read: a FIFO/);
    }
    // the one real log among them is read whole
    expect(JSON.parse(run(['logs', d, '--year', '2026', '--json']).stdout)).toHaveLength(34);
  }, 240_000);

  it('a FIFO or device named explicitly is refused at once', () => {
    const d = hostileFolder();
    for (const f of [path.join(d, 'fifo'), '/dev/zero']) {
      const r = run(['logs', f]);
      expect(r.error).toBeUndefined();
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/not a regular file: refused.*\[E_IO\]/);
    }
  }, 60_000);

  it('a file name with a newline is read and shown inert', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'vf-nl-'));
    copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-b/syslog'), path.join(d, 'sys\nlog'));
    const r = run(['logs', d, '--year', '2026']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('sys\\x0alog: rfc3164; host gw-b; ');
    const events = JSON.parse(run(['logs', d, '--year', '2026', '--json']).stdout) as { file: string; host: string }[];
    expect(events).toHaveLength(34);
    expect(events.every((e) => e.file === path.join(d, 'sys\nlog') && e.host === 'gw-b')).toBe(true);
  }, 60_000);

  it('5,000 empty files are one count, not 5,000 lines or warnings', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'vf-empty-'));
    for (let i = 0; i < 5000; i++) writeFileSync(path.join(d, `e${i}`), '');
    copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-b/syslog'), path.join(d, 'syslog'));
    const x = await expandPaths([d]);
    expect([x.files.length, x.emptyFiles]).toEqual([1, 5000]);
    for (const cmd of ['logs', 'conntrack', 'adverts']) {
      const r = run([cmd, d, '--year', '2026'].slice(0, cmd === 'logs' ? 4 : 2));
      expect(r.stderr.split('\n').filter((l) => /empty/.test(l)), cmd).toEqual(['vrrp-forensics: note: 5000 empty file(s) in the given folders were skipped']);
      expect(r.stderr.split('\n').length, cmd).toBeLessThan(10);
    }
    const json = JSON.parse(run(['analyze', d, '--json', '--year', '2026']).stdout);
    expect(json.emptyFiles).toBe(5000);
    expect(json.inputs.map((i: { path: string }) => path.basename(i.path))).toEqual(['syslog']);
  }, 240_000);
});
