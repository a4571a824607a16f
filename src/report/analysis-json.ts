import { toRfc3339 } from '../model/instant.js';
import type { Report } from './model.js';

/** Keys whose bigint is a duration, not an instant. */
const DURATIONS = new Set(['offsetNs']);

/**
 * The report as the JSON contract: every instant an RFC 3339 UTC string with nine fractional digits, durations as
 * integer nanoseconds in a string (exact beyond 2^53).
 */
export function reportJson(r: Report | Report['timeline']): string {
  return JSON.stringify(r, (k, v) => (typeof v === 'bigint' ? (DURATIONS.has(k) ? v.toString() : toRfc3339(v)) : v), 2) + '\n';
}
