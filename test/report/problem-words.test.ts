import { describe, expect, it } from 'vitest';
import { problemMessage } from '../../src/report/problem-words.js';

describe('an input problem in words', () => {
  it('a reader\'s own message as it wrote it; the analysis\'s facts worded: problems past those listed, a file of no kind read', () => {
    expect(problemMessage({ locator: 'line 3', message: 'bad time', severity: 'warning', code: 'E_BAD_TIME' })).toBe('bad time');
    expect(problemMessage({ locator: '', severity: 'warning', code: 'E_BAD_TIME', fact: { kind: 'more-problems', count: 12 } })).toBe('12 more warnings');
    expect(problemMessage({ locator: '', message: 'binary content', severity: 'error', code: 'E_UNKNOWN_FORMAT', fact: { kind: 'not-evidence' } })).toBe('not evidence this tool reads (binary content)');
  });
});
