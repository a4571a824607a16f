import { ForensicError } from '../errors.js';

/** `4e 6f 76 20 32 35 "Nov 25"` — how a file's first bytes look, for "not a capture" messages. */
export function describeHead(head: Buffer, n = 8): string {
  const bytes = head.subarray(0, n);
  if (bytes.length === 0) return 'the file is empty';
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return `first bytes ${hex} "${text}"`;
}

export function notA(kind: string, input: { name: string; head: Buffer }): ForensicError {
  return new ForensicError('E_NOT_CAPTURE', `not a ${kind} (${describeHead(input.head)})`, { file: input.name, offset: 0 });
}
