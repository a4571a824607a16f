import { describe, expect, it } from 'vitest';
import { dedupe, max, min } from '../../../src/correlate/findings/util.js';

describe('findings util', () => {
  it('dedupe keeps the first citation of each file and locator; min/max of instants', () => {
    const e = (file: string, locator: string, text: string) => ({ file, locator, at: null, text });
    expect(dedupe([e('a', 'line 1', 'x'), e('a', 'line 1', 'y'), e('a', 'line 2', 'z'), e('b', 'line 1', 'w')]).map((x) => x.text)).toEqual(['x', 'z', 'w']);
    expect([min(3n, 2n), max(3n, 2n)]).toEqual([2n, 3n]);
  });
});
