import { existsSync } from 'node:fs';
import path from 'node:path';
import { findingsOf } from '../../src/model/report.js';
import { findingSummary } from '../../src/report/finding-words.js';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { reportJson } from '../../src/report/analysis-json.js';
import { commonFolder, rebasePaths } from '../../src/report/paths.js';
import { ROOT } from '../helpers/capture.js';

describe('report paths', () => {
  it('relative to the inputs\' common folder everywhere: inputs, evidence, summaries, remedy notes', async () => {
    process.chdir(ROOT);
    const raw = await analyze(['samples/seed-snat'], { tz: 'UTC' });
    const r = rebasePaths(raw, { absolute: false });
    expect(r.root).toBe('samples/seed-snat');
    expect(r.inputs.map((i) => i.path)).toContain('gw-a/conntrack-events.log');
    for (const i of r.inputs) expect(existsSync(path.join(ROOT, r.root!, i.path))).toBe(true);
    expect(reportJson(r)).not.toContain('samples/seed-snat/');
    const [f] = findingsOf(r.findings, 'vrrp-source-translated');
    expect(f.conntrack).toMatchObject({ file: 'gw-a/conntrack-events.log', line: 3 });
    expect(findingSummary(f, { tz: 'UTC', findings: r.findings })).toContain('conntrack entry gw-a/conntrack-events.log:3');
    expect(f.remedy!.steps[0].commands[0].alreadyIn).toEqual({ file: 'gw-a/iptables-save.3-notrack', line: 5 });
    // the model the analysis returned is not changed
    expect(raw.inputs[0].path.startsWith('samples/seed-snat/')).toBe(true);
  });

  it('--absolute-paths: absolute everywhere, the same files', async () => {
    process.chdir(ROOT);
    const r = rebasePaths(await analyze(['samples/seed-snat/gw-a', 'samples/seed-snat/gw-b'], { tz: 'UTC' }), { absolute: true });
    expect(r.absolutePaths).toBe(true);
    expect(r.root).toBe(path.join(ROOT, 'samples/seed-snat'));
    for (const i of r.inputs) expect(path.isAbsolute(i.path) && existsSync(i.path)).toBe(true);
    expect(findingsOf(r.findings, 'vrrp-source-translated')[0].conntrack!.file).toBe(path.join(ROOT, 'samples/seed-snat/gw-a/conntrack-events.log'));
  });

  it('one folder per host given: still relative to their common parent; a path inside a longer one is not cut', async () => {
    process.chdir(ROOT);
    const r = rebasePaths(await analyze(['samples/seed-snat/gw-a/syslog', 'samples/seed-snat/gw-a/syslog.rfc3339'], { tz: 'UTC' }), { absolute: false });
    expect(r.root).toBe('samples/seed-snat/gw-a');
    expect(r.inputs.map((i) => i.path).sort()).toEqual(['syslog', 'syslog.rfc3339']);
    expect(r.inputs.find((i) => i.path === 'syslog')!.folded).toEqual([{ keptIn: 'syslog.rfc3339', messages: expect.any(Number) }]);
  });

  it('commonFolder: the deepest folder holding every file', () => {
    expect(commonFolder(['/a/b/c/x', '/a/b/d/y'])).toBe('/a/b');
    expect(commonFolder(['/a/b/x'])).toBe('/a/b');
    expect(commonFolder(['/a/x', '/b/y'])).toBe('/');
    expect(commonFolder(['/a/bc/x', '/a/b/y'])).toBe('/a');
  });
});
