import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { renderReport } from '../../src/report/render.js';
import type { Report } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';
import { fieldsOf } from '../helpers/findings.js';
import { findingSummary } from '../../src/report/finding-words.js';

/**
 * Issue 14: --tz set both the display zone and the zone zone-less inputs were read in. `--tz Europe/Berlin` on
 * seed-snat shifted the iptables-save "Generated on" times by an hour (the rule in force at the entry's birth became
 * the later one) and the verdict printed UTC while later sections printed Berlin time unlabelled.
 */
const SAMPLE = path.join(ROOT, 'samples/seed-snat');
const facts = (r: Report) => ({
  findings: r.findings.map(fieldsOf).map((f) => [f.kind, f.router, f.firstSeen, f.lastSeen, f.conntrack?.rule?.file, f.conntrack?.rule?.line, f.transitions?.map((t) => [t.host, t.at, t.to])]),
  clocks: r.clocks.map((c) => [c.host, c.offsetNs]),
  inputs: r.inputs.map((i) => [i.path, i.first, i.last]),
});

describe('--tz is the display zone only', () => {
  it('the same instants, the same rule in force; the verdict and every section in the display zone, labelled; JSON in UTC', async () => {
    const utc = await analyze([SAMPLE], { tz: 'UTC' });
    const berlin = await analyze([SAMPLE], { tz: 'Europe/Berlin' });
    expect(facts(berlin)).toEqual(facts(utc));
    expect(fieldsOf(berlin.findings[0]).conntrack!.rule!.file).toMatch(/iptables-save\.1-naive-snat$/);
    // the words of the verdict give the display zone's time and name it
    expect(findingSummary(berlin.findings[0], { tz: 'Europe/Berlin', findings: berlin.findings })).toContain('from 2026-11-25 06:55:41.743041 to 2026-11-25 06:55:55.745791 Europe/Berlin');
    const text = (await renderReport(berlin, 'text', { tz: 'Europe/Berlin', style: 'tttt', context: 5, colour: false })) as string;
    expect(text).not.toMatch(/\d UTC\b/);
    expect(text).toMatch(/\nInputs \(.*times shown in Europe\/Berlin\)/);
    expect(text).toContain('  Times in Europe/Berlin.');
    // the zone each zone-less input was read in
    expect(berlin.inputs.filter((i) => i.zone).map((i) => [path.basename(i.path), i.zone])).toEqual([
      ['iptables-save.1-naive-snat', 'UTC'], ['iptables-save.2-vrrp-exempt', 'UTC'], ['iptables-save.3-notrack', 'UTC'], ['syslog', 'UTC'], ['syslog', 'UTC'],
    ]);
    const json = JSON.parse((await renderReport(berlin, 'json', { tz: 'Europe/Berlin', style: 'tttt', context: 5, colour: false })) as string);
    expect(json.findings[0].firstSeen).toBe('2026-11-25T05:55:41.743041408Z');
  }, 60_000);

  it('--input-tz for all, --host-tz per host: only that host\'s zone-less lines move', async () => {
    const paths = [path.join(SAMPLE, 'gw-a'), path.join(SAMPLE, 'gw-b/syslog'), path.join(SAMPLE, 'gw-b/lan0.pcap')];
    const r = await analyze(paths, { tz: 'UTC', hostTz: new Map([['gw-b', 'Europe/Berlin']]) });
    expect(r.inputs.find((i) => i.path.endsWith('gw-b/syslog'))!.zone).toBe('Europe/Berlin');
    expect(r.inputs.find((i) => i.path.endsWith('gw-a/syslog'))!.zone).toBe('UTC');
    // gw-b's UTC log read as Berlin time: an hour-shaped offset, on gw-b only
    expect(r.clocks.find((c) => c.host === 'gw-b')!.offsetNs / 1_000_000_000n).toBe(-3600n);
    expect(r.clocks.find((c) => c.host === 'gw-a')!.suspect).toBeUndefined();
    const all = await analyze(paths, { tz: 'UTC', inputTz: 'Europe/Berlin' });
    expect(all.inputs.filter((i) => i.zone).every((i) => i.zone === 'Europe/Berlin')).toBe(true);
    // the rulesets' "Generated on" are read in that zone too: an hour earlier
    const at = (r: Report) => r.inputs.find((i) => i.path.endsWith('iptables-save.1-naive-snat'))!.first!;
    expect(at(r) - at(all)).toBe(3600n * 1_000_000_000n);
  }, 60_000);
});
