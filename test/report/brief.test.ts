import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { reportHtml } from '../../src/report/analysis-html.js';
import { reportJson } from '../../src/report/analysis-json.js';
import { reportMarkdown } from '../../src/report/analysis-markdown.js';
import { reportText } from '../../src/report/analysis-text.js';
import { buildBrief } from '../../src/report/brief.js';
import { rebasePaths } from '../../src/report/paths.js';
import { ROOT } from '../helpers/capture.js';

const SAMPLES = readdirSync(path.join(ROOT, 'samples'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const view = { tz: 'UTC', style: 'tttt' as const, context: 5, colour: false };
const brief = { ...view, brief: true };
const SEC = 1_000_000_000n;

async function load(name: string) {
  process.chdir(ROOT);
  return rebasePaths(await analyze([`samples/${name}`], { tz: 'UTC' }), { absolute: false });
}

/** Every token of a Markdown document, nested ones too (list items, table cells). */
function walk(tokens: Token[], out: Token[] = []): Token[] {
  for (const t of tokens) {
    out.push(t);
    const kids = (t as { tokens?: Token[] }).tokens;
    if (kids) walk(kids, out);
    if (t.type === 'list') walk((t as Tokens.List).items, out);
  }
  return out;
}

describe('the one-page brief', () => {
  it('covers every sample folder', () => expect(SAMPLES.length).toBeGreaterThanOrEqual(12));

  it.each(SAMPLES)('%s: Markdown brief ≤ 4 KB that parses as GFM — headings, a list per section, the state table, fenced fixes, no raw HTML', async (name) => {
    const r = await load(name);
    const b = buildBrief(r);
    const md = reportMarkdown(r, brief);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(4096);
    const tokens = walk(marked.lexer(md, { gfm: true }));
    expect(tokens.filter((t) => t.type === 'html')).toEqual([]);
    const headings = tokens.filter((t): t is Tokens.Heading => t.type === 'heading').map((t) => t.text);
    expect(headings.slice(0, 2)).toEqual(['VRRP forensics report', 'Verdict']);
    const tables = tokens.filter((t): t is Tokens.Table => t.type === 'table');
    expect(tables).toHaveLength(b.hosts.length ? 1 : 0);
    if (b.hosts.length) {
      // the VRRP source column when a host has a story (a translation, a full table)
      const told = b.endStates.some((e) => e.status !== 'untranslated');
      expect(tables[0].header.map((c) => c.text)).toEqual(['host', 'instance', 'state', 'since', ...(told ? ['VRRP source'] : [])]);
      expect(tables[0].rows.map((row) => row[0].text)).toEqual(b.hosts.map((h) => h.host));
    }
    const code = tokens.filter((t): t is Tokens.Code => t.type === 'code');
    expect(code.filter((c) => c.lang === 'sh').map((c) => c.text.split('\n')[0])).toEqual(b.fixes.map((f) => f.lines[0]));
    // one sentence per finding that matters, each its own list item
    // (the item's source text, its Markdown escapes undone)
    const items = tokens.filter((t): t is Tokens.ListItem => t.type === 'list_item').map((t) => t.text.replace(/\\(.)/g, '$1'));
    for (const f of b.happened) expect(items.some((i) => i.startsWith(`${f.id} [${f.severity}]`))).toBe(true);
  }, 30_000);

  it('seed-snat: the cause is cited by its conntrack entry; each host\'s end state; gw-a fixed in the evidence, so no fix left; no split brain; the VIP moved', async () => {
    const b = buildBrief(await load('seed-snat'));
    expect(b.happened.map((f) => f.id)).toEqual(['F1']);
    expect(b.cause).toMatchObject({ file: 'gw-a/conntrack-events.log', locator: 'line 3' });
    expect(b.cause!.text).toContain('[UNREPLIED] src=224.0.0.18 dst=203.0.113.1');
    expect(b.hosts.map((h) => [h.host, h.instance, h.state])).toEqual([['gw-a', 'VI_1', 'STOPPED'], ['gw-b', 'VI_1', 'STOPPED']]);
    expect(b.fixes).toEqual([]);
    expect(b.endStates.map((e) => [e.host, e.status])).toEqual([['gw-a', 'fixed'], ['gw-b', 'untranslated']]);
    expect(b.impact).toMatchObject({ splitBrainNs: null, vipMacChanges: 1, vipMacs: [{ address: '198.51.100.254', macs: ['52:54:00:00:b0:01', '52:54:00:00:a0:01'] }] });
    expect(b.impact.peakAdvertsPerSecond).toBeLessThan(3);
  });

  it('split-brain: the split\'s duration, and the storm\'s rate at peak (thousands a second, not averaged away)', async () => {
    const b = buildBrief(await load('split-brain'));
    expect(b.impact.splitBrainNs! > 3n * SEC && b.impact.splitBrainNs! < 4n * SEC).toBe(true);
    expect(b.impact.peakAdvertsPerSecond).toBeGreaterThan(1000);
    expect(b.happened.map((f) => f.kind)).toEqual(expect.arrayContaining(['vrrp-source-translated', 'split-brain', 'advert-storm']));
  });

  it('clean-failover: nothing to act on — no cause, no fix — but the hosts\' end states and the VIP moves', async () => {
    const b = buildBrief(await load('clean-failover'));
    expect(b.happened).toEqual([]);
    expect(b.cause).toBeNull();
    expect(b.fixes).toEqual([]);
    expect(b.hosts).toHaveLength(2);
    expect(b.impact.vipMacChanges).toBe(3);
  });

  it('both-snat: both gateways translate — a cause per host, each cited by its own entry; both fixed in the recording, so no fix left', async () => {
    const b = buildBrief(await load('both-snat'));
    expect(b.fixes).toEqual([]);
    expect(b.endStates.map((e) => [e.host, e.status])).toEqual([['gw-a', 'fixed'], ['gw-b', 'fixed']]);
    expect(b.causes.map((c) => c.file).sort()).toEqual(['gw-a/conntrack-events.log', 'gw-b/conntrack-events.log']);
    expect(b.cause).toBe(b.causes[0]);
  });

  it('both-snat without the fix\'s snapshots: nothing shows either host fixed — a fix for each (no nft spelling in the brief)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-brief-'));
    cpSync(path.join(ROOT, 'samples/both-snat'), dir, { recursive: true, filter: (f) => !f.endsWith('iptables-save.2-notrack') });
    const b = buildBrief(rebasePaths(await analyze([dir], { tz: 'UTC' }), { absolute: false }));
    expect(b.fixes.map((f) => f.host).sort()).toEqual(['gw-a', 'gw-b']);
    expect(b.fixes[0].lines.some((l) => l.startsWith('# or, with nft'))).toBe(false);
    expect(b.endStates.every((e) => e.needsFix)).toBe(true);
  });

  it('no readable evidence is said as such, never as an all-clear; thin evidence says what could not be checked', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-brief-'));
    writeFileSync(path.join(dir, 'notes.txt'), 'nothing to see\n');
    const none = reportText(rebasePaths(await analyze([dir], { tz: 'UTC' }), { absolute: false }), brief);
    expect(none).toContain('This is no all-clear.');
    expect(none).not.toContain('No VRRP source translation');
    process.chdir(ROOT);
    const thin = reportText(rebasePaths(await analyze(['samples/seed-snat/gw-b/lan0.pcap'], { tz: 'UTC' }), { absolute: false }), brief);
    expect(thin).toMatch(/Thin evidence \(capture; /);
    // no router known: the address is named once
    expect(thin).toContain('VRRP adverts of 198.51.100.175 (vrid 150) left with the translated source 203.0.113.1');
    expect(thin).toContain('Could not check: ');
  });

  it('first in every format, and alone with --brief', async () => {
    const r = await load('seed-snat');
    const text = reportText(r, view);
    expect(text.indexOf('Root cause')).toBeLessThan(text.indexOf('Findings ('));
    expect(text.indexOf('Findings (')).toBeLessThan(text.indexOf('Inputs ('));
    expect(reportText(r, brief)).not.toContain('Findings (');
    const md = reportMarkdown(r, view);
    expect(md.indexOf('### Root cause')).toBeLessThan(md.indexOf('## Findings'));
    expect(md.indexOf('## Findings')).toBeLessThan(md.indexOf('## Inputs'));
    const html = reportHtml(r, view);
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('<h2>Timeline</h2>'));
    expect(reportHtml(r, brief)).not.toContain('<h2>Timeline</h2>');
    const j = JSON.parse(reportJson(r));
    expect(Object.keys(j).slice(0, 2)).toEqual(['schema', 'brief']);
    expect(j.brief).toMatchObject({ happened: ['F1'], cause: { finding: 'F1', file: 'gw-a/conntrack-events.log', locator: 'line 3' } });
    expect(j.findings).toHaveLength(r.findings.length);
    const alone = JSON.parse(reportJson(r, { brief: true }));
    expect(Object.keys(alone)).toEqual(['schema', 'timezone', 'root', 'brief']);
  });
});

describe('the verdict counts info findings by kind', () => {
  it('clean-failover: master changes and resignations counted apart, in words with their plurals', async () => {
    const b = buildBrief(await load('clean-failover'));
    expect(b.infoKinds).toEqual({ 'master-change': 4, resignation: 2 });
    expect(reportText(await load('clean-failover'), brief)).toContain('  4 ordinary master changes and 2 resignations, listed with the findings as info.\n');
  });

  it('no split brain proven, but another station claimed a MASTER\'s address: the impact names that finding (conntrack-full, gw-a alone)', async () => {
    const r = await analyze([path.join(ROOT, 'samples', 'conntrack-full', 'gw-a')], { tz: 'UTC' });
    const i = buildBrief(r).impact;
    expect(i.splitBrainNs).toBeNull();
    expect(i.vipClaimedBy).toEqual(['F1']);
    expect(reportText(r, brief)).toContain('Split brain: none proven (two masters\' adverts or logs); F1 shows another station claiming a MASTER\'s address.');
  });
});
