import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';

/**
 * Found while writing hostile-content tests: `logs` printed its input summary (with hostnames taken from the log)
 * without making control characters inert, so a hostname carrying ESC sequences reached the terminal raw.
 */
const run = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), 'logs', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('hostile log content', () => {
  it('terminal escapes in hostnames and messages are shown inert; CSV cells cannot start a formula', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'vf-hostile-'));
    const f = path.join(d, 'syslog');
    writeFileSync(f, [
      '2026-11-25T00:00:01+00:00 gw\u001b[31m Keepalived_vrrp[1]: (VI_1) \u001b]8;;http://x\u0007click\u001b]8;;\u0007 Entering MASTER STATE',
      '2026-11-25T00:00:02+00:00 gw Keepalived_vrrp[1]: =HYPERLINK("http://x","y")',
      '',
    ].join('\n'));
    const text = run([f]).stdout;
    expect(text.includes("\u001b") || text.includes("\u0007")).toBe(false);
    expect(text).toContain('gw\\x1b[31m');
    const csv = run([f, '--csv']).stdout.split('\n');
    expect(csv[2]).toContain(`'=HYPERLINK`);
    expect(csv.slice(1).every((l) => !/(^|,)[=+@-]/.test(l))).toBe(true);
  });
});
