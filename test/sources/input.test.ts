import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandPaths } from '../../src/sources/input.js';
import { ROOT } from '../helpers/capture.js';

describe('expandPaths: a file is read once however often it is named', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-expand-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'gw-a'));
  for (const f of ['syslog', 'keepalived.conf']) copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-a', f), path.join(dir, 'gw-a', f));
  symlinkSync(path.join(dir, 'gw-a', 'syslog'), path.join(dir, 'link-to-syslog'));
  const rel = (p: string) => path.relative(dir, p);

  it('a folder and a file in it, the same file spelled two ways, a link to it: one input each, the repeats said', async () => {
    const x = await expandPaths([path.join(dir, 'gw-a'), path.join(dir, 'gw-a', 'syslog'), path.join(dir, 'gw-a', '.', 'syslog'), path.join(dir, 'link-to-syslog')]);
    expect(x.files.map((f) => rel(f.path))).toEqual(['gw-a/keepalived.conf', 'gw-a/syslog']);
    expect(x.passedOver.map((p) => [rel(p.path), p.reason])).toEqual([
      ['gw-a/syslog', 'the same file as an input named before it (read once)'],
      ['gw-a/syslog', 'the same file as an input named before it (read once)'],
      ['link-to-syslog', 'the same file as an input named before it (read once)'],
    ]);
  });

  it('an archive named twice: its members once', async () => {
    execFileSync('tar', ['-cf', path.join(dir, 'bundle.tar'), '-C', dir, 'gw-a']);
    const x = await expandPaths([path.join(dir, 'bundle.tar'), path.join(dir, '.', 'bundle.tar')]);
    expect(x.files.map((f) => rel(f.path))).toEqual(['bundle.tar:keepalived.conf', 'bundle.tar:syslog']);
    expect(x.passedOver).toHaveLength(2);
  });

  it('two copies of a file (two inodes) are two inputs: they may be two hosts\' identical evidence', async () => {
    copyFileSync(path.join(dir, 'gw-a', 'syslog'), path.join(dir, 'syslog-copy'));
    const x = await expandPaths([path.join(dir, 'gw-a', 'syslog'), path.join(dir, 'syslog-copy')]);
    expect(x.files).toHaveLength(2);
    expect(x.passedOver).toEqual([]);
  });
});
