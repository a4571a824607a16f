import { describe, expect, it } from 'vitest';
import { redact } from '../../src/model/redact.js';
import { SCHEMA, type Report } from '../../src/model/report.js';

describe('redact', () => {
  it('replaces every occurrence of every secret in every string of the report, bigints and structure untouched', () => {
    const r: Report = {
      schema: SCHEMA, timezone: 'UTC', inputs: [], routers: [], clocks: [], states: [], timelineDropped: 0, secretsShown: false,
      findings: [{ id: 'F1', kind: 'master-change', severity: 'info', vrid: 1, router: null, start: 5n, end: null, seen: { by: 'log', host: 'pass s3cr3t and s3cr3t', instance: null }, evidence: [{ file: 'f', locator: 'line 1', at: 7n, text: 'auth_pass s3cr3t' }] }],
      timeline: [{ at: 1n, host: 'h', source: 'syslog', kind: 'raw', summary: 'x(y)z s3cr3t', file: 'f', locator: 'line 2' }],
    };
    const out = redact(r, ['s3cr3t', 'x(y)z', 'ab']);
    expect(JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))).not.toMatch(/s3cr3t|x\(y\)z/);
    const [f] = out.findings;
    expect(f.kind === 'master-change' && f.seen).toEqual({ by: 'log', host: 'pass [redacted] and [redacted]', instance: null });
    expect(f.kind === 'master-change' && f.start).toBe(5n);
    // secrets shorter than 3 characters would blank ordinary words: not applied
    expect(out.timeline[0].summary).toBe('[redacted] [redacted]');
    expect(redact(r, []).findings[0].evidence[0].text).toBe('auth_pass s3cr3t');
  });
});
