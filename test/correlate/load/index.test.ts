import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/correlate/analyze.js';
import { ROOT } from '../../helpers/capture.js';

describe('loading the plan', () => {
  it('a file named on the command line that is no evidence: an error stating it as a fact, the detector\'s reason as its message', async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/seed-snat/README.md'], { tz: 'UTC' });
    expect(r.inputs.map((i) => [i.kind, i.problems])).toEqual([
      ['unknown', [{ locator: '', message: 'no known format in the first lines', severity: 'error', code: 'E_UNKNOWN_FORMAT', fact: { kind: 'not-evidence' } }]],
    ]);
  });
});
