import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { MAX_HELD } from '../../src/correlate/copies.js';
import { ROOT } from '../helpers/capture.js';
import { runAwaited } from '../helpers/spawn.js';

// A storm faster than the folding of rsyslog's two copies can hold: at the bench's full storm (26,600 lines a second
// per copy, two hosts) a quarter of gw-a's lines left the folding before their precise copy came and were counted
// twice, and nothing said so. The bound is higher now (the bench's storm folds whole), and what is counted twice past
// it is counted and reported on the log whose line came second.
describe('log copies past the folding\'s bound: lines counted twice are said, with how many', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-fold-bound-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // one host, one second, more lines than the folding holds: the whole-second copy first, then the precise one
  const n = MAX_HELD + 5_000;
  mkdirSync(path.join(dir, 'gw-a'));
  const msg = (k: number) => `Keepalived_vrrp[27860]: (VI_1) Received advert from 198.51.100.176 with lower priority 100, ours 100, forcing new election ${k % 500}`;
  writeFileSync(path.join(dir, 'gw-a', 'syslog'), Array.from({ length: n }, (_, k) => `Nov 25 06:26:53 gw-a ${msg(k)}\n`).join(''));
  writeFileSync(path.join(dir, 'gw-a', 'syslog.rfc3339'), Array.from({ length: n }, (_, k) => `2026-11-25T06:26:53.${String(100_000 + k).padStart(6, '0')}+00:00 gw-a ${msg(k)}\n`).join(''));

  it('the precise copy\'s input carries the count (a typed problem), equal to the lines not folded', async () => {
    const r = await analyze([dir], { tz: 'UTC', year: 2026 });
    const traditional = r.inputs.find((i) => i.path.endsWith('syslog'))!;
    const precise = r.inputs.find((i) => i.path.endsWith('syslog.rfc3339'))!;
    const folded = traditional.folded?.[0]?.messages ?? 0;
    expect(folded).toBeLessThan(n);
    const p = precise.problems.find((x) => x.fact?.kind === 'fold-bound');
    expect(p).toMatchObject({ severity: 'warning', code: 'E_BAD_LENGTH', fact: { kind: 'fold-bound', lines: n - folded, held: MAX_HELD } });
    expect(traditional.problems.some((x) => x.fact?.kind === 'fold-bound')).toBe(false);
  }, 120_000);

  it('`logs` folds as analyze does and warns the same, on the precise copy', async () => {
    const r = await runAwaited(process.execPath, [path.join(ROOT, 'bin/run.js'), 'logs', path.join(dir, 'gw-a'), '--year', '2026', '--json']);
    expect(r.code).toBe(0);
    const events = JSON.parse(r.stdout) as unknown[];
    const m = /syslog\.rfc3339: (\d+) lines counted twice: .*\[E_BAD_LENGTH\]/.exec(r.stderr);
    expect(m).not.toBeNull();
    // every line once, and the ones past the bound twice: as many as the warning says
    expect(events.length - n).toBe(Number(m![1]));
  }, 120_000);
});
