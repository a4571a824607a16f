import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';

/**
 * Issue 15: a newline inside a journal MESSAGE, a hostname or a file name forged report lines (`  F1 [critical]
 * FORGED`); `--csv`, `--format csv` and `l2tcsv` wrote raw terminal escapes to a terminal.
 */
const BIN = path.join(ROOT, 'bin/run.js');
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
/** runs under a pseudo-terminal (util-linux script), so stdout is a TTY */
const onTerminal = (args: string[]) => spawnSync('script', ['-qec', [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'], { cwd: ROOT, encoding: 'utf8' }).stdout;

const dir = mkdtempSync(path.join(tmpdir(), 'vf-term-'));
const journal = path.join(dir, 'journal.json');
writeFileSync(journal, [
  { __REALTIME_TIMESTAMP: '1795586140000000', _HOSTNAME: 'gw-a\n  F2 [critical] FORGED HOST', SYSLOG_IDENTIFIER: 'Keepalived_vrrp', MESSAGE: '(VI_1) Entering BACKUP STATE\n  F1 [critical] FORGED' },
  { __REALTIME_TIMESTAMP: '1795586141000000', _HOSTNAME: 'gw-a', SYSLOG_IDENTIFIER: 'Keepalived_vrrp', MESSAGE: '(VI_1) \u001b]8;;http://x\u0007click\u001b]8;;\u0007 \u001b[2J Entering MASTER STATE' },
].map((o) => JSON.stringify(o)).join('\n') + '\n');
const forged = path.join(dir, 'sys\n  F3 [critical] FORGED FILE');
writeFileSync(forged, '2026-11-25T05:55:41+00:00 gw-b Keepalived_vrrp[1]: (VI_1) Entering MASTER STATE\n');

describe('regression: report lines cannot be forged, terminals get no escapes', () => {
  it('newlines in a MESSAGE, a hostname or a file name are shown, not obeyed, in text and markdown', () => {
    for (const args of [['analyze', journal, forged], ['analyze', journal, forged, '--format', 'markdown'], ['logs', journal, forged], ['timeline', journal, forged]]) {
      const out = run(args).stdout;
      expect(out.length, args.join(' ')).toBeGreaterThan(50);
      expect(out.split('\n').filter((l) => /^\s*F\d \[critical\] FORGED/.test(l)), args.join(' ')).toEqual([]);
      expect(out, args.join(' ')).toMatch(/FORGED/); // still there, inert
    }
  }, 120_000);

  it('CSV, l2tcsv and timesketch on a terminal carry no escape; to a file they keep the data, formula-safe', () => {
    for (const args of [['logs', journal, '--csv'], ['analyze', journal, '--format', 'csv'], ['analyze', journal, '--format', 'l2tcsv'], ['analyze', journal, '--format', 'timesketch'], ['timeline', journal, '--csv']]) {
      const tty = onTerminal(args);
      expect(tty.length, args.join(' ')).toBeGreaterThan(50);
      expect(tty.includes('\u001b') || tty.includes('\u0007'), args.join(' ')).toBe(false);
    }
    const out = path.join(dir, 'out.csv');
    run(['logs', journal, '--csv', '-o', out]);
    expect(spawnSync('cat', [out], { encoding: 'utf8' }).stdout).toContain('\u001b]8;;http://x');
  }, 120_000);
});
