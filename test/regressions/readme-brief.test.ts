import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/capture.js';

// The README shows the quick-start sample's brief as pasted tool output: it must stay what the tool prints.
describe('README: the quick-start brief is the tool\'s own output', () => {
  it('equals `analyze samples/seed-snat --brief` byte for byte', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const m = /For the quick-start sample \(`\.\/bin\/run\.js analyze samples\/seed-snat --brief`\):\n\n```text\n([\s\S]*?)```\n/.exec(readme);
    expect(m, 'the README block after "For the quick-start sample"').not.toBeNull();
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/run.js'), 'analyze', 'samples/seed-snat', '--brief'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(1);
    expect(m![1]).toBe(r.stdout);
  });
});
