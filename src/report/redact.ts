import type { Report } from './model.js';

/** Secrets from keepalived.conf (auth_pass, …) never appear in a report unless --show-secrets. */
export function redact(r: Report, secrets: string[]): Report {
  const list = secrets.filter((s) => s.length >= 3);
  if (!list.length) return r;
  const re = new RegExp(list.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const fix = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(re, '[redacted]');
    if (Array.isArray(v)) return v.map(fix);
    if (v && typeof v === 'object' && !(v instanceof Set) && !(v instanceof Map)) {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = fix(x);
      return o;
    }
    return v;
  };
  return fix(r) as Report;
}
