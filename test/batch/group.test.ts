import { describe, expect, it } from 'vitest';
import { inShard, parseShard, reportStem } from '../../src/batch/group.js';

describe('report names and shards of incidents', () => {
  it('report names carry the incident folder, made safe, and stay unique by the id', () => {
    expect(reportStem({ id: '20261125-055541-abcdef0123', folders: ['seed-snat'] })).toBe('seed-snat--20261125-055541-abcdef0123');
    expect(reportStem({ id: 'X', folders: ['../../etc', 'a b'] })).toBe('__.._etc+a_b--X');
    expect(reportStem({ id: 'X', folders: ['a', 'b', 'c', 'd'] })).toBe('a+b+2more--X');
    expect(reportStem({ id: 'X', folders: ['.'] })).toBe('X');
  });

  it('shards partition the groups: every id in exactly one of N', () => {
    const ids = [...Array(200)].map((_, i) => `20261125-0000${i}-abc`);
    for (const n of [1, 2, 3, 7]) {
      for (const id of ids) expect([...Array(n)].filter((_, k) => inShard(id, { k: k + 1, n })).length).toBe(1);
    }
    expect(() => parseShard('0/3')).toThrow(/K\/N/);
    expect(parseShard('2/3')).toEqual({ k: 2, n: 3 });
  });
});
