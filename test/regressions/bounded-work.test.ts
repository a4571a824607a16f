import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_BLANK_RUN } from '../../src/sources/lines.js';
import { peekFirstDay } from '../../src/sources/syslog/reader.js';
import { ROOT } from '../helpers/capture.js';

/**
 * Issue 15: `logs` inflated a 10 GB gzip bomb fully before refusing it as binary (the year pass read it all without
 * looking), and a 9 MB gzip of blank lines kept it busy for 253 s. The binary sniff now applies to the first inflated
 * bytes of every pass, and a run of blank lines is bounded, said with the line where reading stopped.
 */
const run = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
const dir = mkdtempSync(path.join(tmpdir(), 'vf-bound-'));
const KA = 'Nov 25 05:55:41 gw-a Keepalived_vrrp[5040]: (VI_1) Entering MASTER STATE\n';

describe('regression: bounded work in logs', () => {
  it('the year pass stops at binary content too (it read a whole gzip bomb of zeros before)', async () => {
    const f = path.join(dir, 'bomb.gz');
    // NULs first, a dateable line after: the old pass read on and dated the file from it
    writeFileSync(f, Buffer.concat([gzipSync(Buffer.alloc(1 << 20)), gzipSync(Buffer.from('\n' + KA))]));
    expect(await peekFirstDay(f)).toBeUndefined(); // before: dated from the line after the zeros
    const r = run(['logs', f]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bomb\.gz: byte 0: not a syslog \(binary content\) \[E_UNKNOWN_FORMAT\]/);
  });

  it('a run of blank lines ends reading with a line number and an error, never a silent all-clear', () => {
    const f = path.join(dir, 'blank.gz');
    writeFileSync(f, gzipSync(Buffer.concat([Buffer.alloc(MAX_BLANK_RUN + 10, 10), Buffer.from(KA)])));
    const r = run(['logs', f, '--year', '2026']);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`blank\\.gz: line ${MAX_BLANK_RUN}\\d*: stopped reading after \\d+ blank lines in a row .*\\[E_BAD_LENGTH\\]`));
    // blank lines that end are only counted: the line after them is read with its number
    const g = path.join(dir, 'some-blank');
    writeFileSync(g, Buffer.concat([Buffer.from(KA), Buffer.alloc(1000, 10), Buffer.from(KA)]));
    const j = JSON.parse(run(['logs', g, '--year', '2026', '--json']).stdout);
    expect(j.map((e: { line: number }) => e.line)).toEqual([1, 1002]);
  }, 120_000);
});
