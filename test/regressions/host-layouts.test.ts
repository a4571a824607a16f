import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildBrief } from '../../src/report/brief.js';
import { briefSections } from '../../src/report/brief-words.js';
import { rebasePaths } from '../../src/report/paths.js';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import type { Report } from '../../src/model/report.js';
import { fieldsOf } from '../helpers/findings.js';
import { ROOT } from '../helpers/capture.js';

/**
 * Issue 14: in an archive laid out gw-a/conntrack/events.log, the subfolder `conntrack` became a router (the verdict
 * said "VRRP adverts of conntrack", three masters in a two-box pair, the rule in force and clock offsets gone).
 * seed-snat is laid out as users' archives are and must give the tidy layout's report.
 */
const SAMPLE = path.join(ROOT, 'samples/seed-snat');

/** Copies seed-snat into a new folder, each file to where `place(host, name)` puts it. */
function layout(place: (host: string, name: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vf-layout-'));
  for (const host of ['gw-a', 'gw-b']) {
    for (const name of readdirSync(path.join(SAMPLE, host))) {
      const to = path.join(dir, place(host, name));
      mkdirSync(path.dirname(to), { recursive: true });
      copyFileSync(path.join(SAMPLE, host, name), to);
    }
  }
  return dir;
}

const kindFolder = (name: string) =>
  name.endsWith('pcap') ? 'pcaps' : name.startsWith('syslog') ? 'logs' : name.startsWith('iptables') || name.endsWith('.conf') ? 'config' : 'conntrack';

/** The report's structure without paths: who did what, the routers, the rule in force, the clock offsets. */
function shape(r: Report) {
  return {
    findings: r.findings.map(fieldsOf).map((f) => ({
      kind: f.kind, severity: f.severity, vrid: f.vrid, router: f.router, hosts: f.hosts, originalSource: f.originalSource,
      translatedSource: f.translatedSource, adverts: f.adverts, firstSeen: f.firstSeen, revertedAt: f.revertedAt,
      rule: f.conntrack?.rule && { line: f.conntrack.rule.line, text: f.conntrack.rule.text, decision: f.conntrack.rule.decision },
      transitions: f.transitions?.map((t) => [t.at, t.host, t.instance, t.from, t.to]),
      // the steps and commands, and the line of the rule each is already in (its file's path differs by layout)
      remedy: f.remedy?.steps.map((s) => [s.action, s.commands.map((c) => [c.command, c.alreadyIn?.line])]),
    })),
    routers: r.routers.map((x) => ({ ...x, macs: [...x.macs].sort(), addresses: [...x.addresses].sort() })).sort((a, b) => a.name.localeCompare(b.name)),
    clocks: r.clocks.map((c) => [c.host, c.offsetNs, c.samples]),
    hosts: [...new Set(r.inputs.filter((i) => i.kind !== 'unknown').map((i) => i.host))].sort(),
  };
}

const VIEW = { tz: 'UTC', style: 'tttt' as const, context: 5, colour: false };

describe('hosts of archives as users lay them out (seed-snat)', () => {
  it('host/subfolders (gw-a/conntrack/…, gw-a/logs/…, gw-a/pcap/…), flat host-named files, one folder per evidence type: the tidy layout\'s report', async () => {
    const tidy = shape(await analyze([SAMPLE], { tz: 'UTC' }));
    expect(tidy.hosts).toEqual(['gw-a', 'gw-b']);
    expect(tidy.routers.map((r) => r.name)).toEqual(['gw-a', 'gw-b']);
    expect(tidy.findings[0].rule).toMatchObject({ decision: 'translated' });
    expect(tidy.clocks.length).toBeGreaterThan(0);

    const nested = layout((h, n) => path.join(h, n.endsWith('pcap') ? 'pcap' : n.startsWith('syslog') ? 'var/log' : kindFolder(n), n));
    const flat = layout((h, n) => path.join('evidence', n.endsWith('pcap') ? `${h}.pcap` : `${h}-${n}`));
    const byType = layout((h, n) => path.join(kindFolder(n), n.endsWith('pcap') ? `${h}.pcap` : `${h}-${n}`));
    for (const dir of [nested, flat, byType]) {
      const r = await analyze([dir], { tz: 'UTC' });
      expect(shape(r), dir).toEqual(tidy);
      // no generic folder became a host, and no host stands on a folder name alone
      expect(r.hostFolders!.every((h) => h.host === 'gw-a' || h.host === 'gw-b')).toBe(true);
      expect(r.incidents).toBeUndefined();
    }
  });

  it('the folder → host table says where each name came from', async () => {
    const nested = layout((h, n) => path.join(h, kindFolder(n), n));
    const r = await analyze([nested], { tz: 'UTC' });
    const row = (rel: string) => r.hostFolders!.find((h) => h.folder === path.join(nested, rel));
    expect(row('gw-a/logs')).toMatchObject({ host: 'gw-a', from: 'syslog', weak: false, files: 2 });
    expect(row('gw-a/config')).toMatchObject({ host: 'gw-a', from: 'router_id' });
    expect(row('gw-a/pcaps')).toMatchObject({ host: 'gw-a', from: 'address' });
    expect(row('gw-a/conntrack')).toMatchObject({ host: 'gw-a', from: 'neighbour', weak: false });
    expect(row('gw-b/pcaps')).toMatchObject({ host: 'gw-b', from: 'neighbour' });
  });

  it('a host inferred from a folder name alone is warned about', async () => {
    // only conntrack files, no log, conf or capture that names a host
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-layout-'));
    for (const host of ['edge-1', 'edge-2']) {
      mkdirSync(path.join(dir, host, 'conntrack'), { recursive: true });
      copyFileSync(path.join(SAMPLE, 'gw-a/conntrack-events.log'), path.join(dir, host, 'conntrack', 'events.log'));
    }
    const r = await analyze([dir], { tz: 'UTC' });
    expect(r.inputs.map((i) => [i.host, i.hostFrom, i.hostWeak])).toEqual([['edge-1', 'folder', true], ['edge-2', 'folder', true]]);
    expect(buildBrief(r).guessedHosts).toEqual([
      { host: 'edge-1', folder: path.join(dir, 'edge-1/conntrack'), from: 'folder' }, { host: 'edge-2', folder: path.join(dir, 'edge-2/conntrack'), from: 'folder' },
    ]);
    // worded once, at the edge, with the folders as the report shows them (relative to the inputs' common folder)
    expect(briefSections(buildBrief(rebasePaths(r, { absolute: false })), VIEW)[0].items[0]).toBe(
      'Warning: hosts edge-1 (edge-1/conntrack), edge-2 (edge-2/conntrack) inferred from a folder name only: no log, keepalived.conf or capture of them says so — give --host PATH=NAME if that is wrong');
  });
});
