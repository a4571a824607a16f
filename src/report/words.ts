/** "1 entry", "2 entries", "1 line", "0 lines": counts in words, with the plural only where it belongs. */
export function plural(n: number, one: string, many = one.endsWith('y') && !/[aeiou]y$/.test(one) ? one.slice(0, -1) + 'ies' : one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "150", "150 and 100", "1, 2 and 3": a set of values in prose, never printed raw. */
export function andList(values: Iterable<string | number>): string {
  const v = [...values].map(String);
  return v.length <= 1 ? (v[0] ?? '') : `${v.slice(0, -1).join(', ')} and ${v[v.length - 1]}`;
}
