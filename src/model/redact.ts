import type { Report } from './report.js';

/** What a secret is replaced with wherever a report shows it. */
export const REDACTED = '[redacted]';

/**
 * Secrets written next to their name, whatever file they come from: keepalived's `-D` configuration dump in syslog
 * (`Password = …`, `auth_pass …`), a password left in an iptables/nft rule comment (`--comment "vrrp password=…"`),
 * SMTP/SNMP credentials. The name is kept, the value replaced.
 */
// only with `=` or `:` after the name: prose such as "Truncating auth_pass to 8 characters" or "password mismatch"
// names no value (the values of keepalived.conf itself are redacted as known secrets)
const NAMED_SECRET = /\b(auth_pass|smtp_auth_pass|smtp_password|snmp_community|password|passwd|pass|pwd|secret|community)(\s*[=:]\s*)([^\s"',;]+)/gi;

/** A redactor for text: the known secret values (from keepalived.conf, ≥ 3 characters) and named secrets. */
export function textRedactor(secrets: Iterable<string>): (s: string) => string {
  const list = [...new Set(secrets)].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length); // longest first
  const known = list.length ? new RegExp(list.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g') : null;
  return (s) => {
    let out = s.replace(NAMED_SECRET, (all, name: string, sep: string, value: string) => (value !== REDACTED ? `${name}${sep}${REDACTED}` : all));
    if (known) out = out.replace(known, REDACTED);
    return out;
  };
}

/** Every string of a value (objects, arrays) through `fix`; bigints, numbers and structure untouched. */
export function redactDeep<T>(v: T, fix: (s: string) => string): T {
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') return fix(x);
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object' && !(x instanceof Set) && !(x instanceof Map)) {
      const o: Record<string, unknown> = {};
      for (const [k, y] of Object.entries(x)) o[k] = walk(y);
      return o;
    }
    return x;
  };
  return walk(v) as T;
}

/** Secrets (auth_pass and its on-wire first 8 characters, …) never appear in a report unless --show-secrets. */
export function redact(r: Report, secrets: string[]): Report {
  return redactDeep(r, textRedactor(secrets));
}
