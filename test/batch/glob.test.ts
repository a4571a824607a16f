import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../src/batch/glob.js';

describe('sweep globs', () => {
  it('globs: * within a name, ** across folders', () => {
    expect(globToRegExp('a/**/*.pcap').test('a/x/y/z.pcap')).toBe(true);
    expect(globToRegExp('a/**/*.pcap').test('a/z.pcap')).toBe(true);
    expect(globToRegExp('a/*.pcap').test('a/x/z.pcap')).toBe(false);
    expect(globToRegExp('a/f?.log').test('a/f1.log')).toBe(true);
  });
});
