import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { findingSentence } from '../../src/report/brief-words.js';
import { findingSummary } from '../../src/report/finding-words.js';
import type { TranslationFinding } from '../../src/model/report.js';
import { ROOT } from '../helpers/capture.js';

// A translation's effect on elections is a typed field (election, led), so the brief never claims what the evidence
// could not show: a single pasted conntrack line said "the election went by priority" and "vrid null".
const view = { tz: 'UTC', style: 'tttt' as const, context: 5, colour: false };

describe('a translation says what it did to elections only as far as the evidence shows', () => {
  it('a pasted conntrack line alone: no election seen, no vrid invented, no advert count', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-election-'));
    const file = path.join(dir, 'ip_conntrack');
    writeFileSync(file, 'unknown  112 599 src=192.168.8.175 dst=224.0.0.18 packets=11662 bytes=1072904 [UNREPLIED] src=1.1.1.1 dst=224.0.0.18 packets=0 bytes=0 mark=0 secmark=0 use=2\n');
    const r = await analyze([file], { tz: 'UTC' });
    const f = r.findings.find((x) => x.kind === 'vrrp-source-translated')!;
    expect(f).toMatchObject({ election: 'not-seen', vrid: null, originalSource: '192.168.8.175', translatedSource: '1.1.1.1' });
    expect(f.adverts).toBeUndefined();
    const s = findingSentence(f, view, r.findings);
    expect(s).not.toMatch(/null|undefined|\?/);
    expect(s).not.toContain('went by priority');
  });

  it('split-brain: the translation led to the split (typed link), and the sentence says so', async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/split-brain'], { tz: 'UTC' });
    const f = r.findings.find((x) => x.kind === 'vrrp-source-translated')!;
    const split = r.findings.find((x) => x.kind === 'split-brain')!;
    expect(f.election).toBe('split-brain');
    expect(f.led).toEqual([split.id]);
    expect(split.causedBy).toBe(f.id);
    expect(f.electionBeforeSplit).toBe('not-seen');
    // the words are written at the edge from those links: both summaries name the other's id
    const w = { tz: 'UTC', findings: r.findings };
    expect(findingSummary(f, w)).toMatch(new RegExp(`; it split the brain \\(${split.id}\\)\\.$`));
    expect(findingSummary(split, w)).toMatch(new RegExp(`, caused by the translated source 192\\.0\\.2\\.1 of gw-a \\(${f.id}\\)\\.$`));
    expect(findingSentence(f, view, r.findings)).toContain(`it split the brain (${split.id})`);
  });

  it('seed-snat: the peer saw the translated address but the election went by priority', async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/seed-snat'], { tz: 'UTC' });
    expect(r.findings.find((x) => x.kind === 'vrrp-source-translated')!.election).toBe('by-priority');
  });

  it('a peer\'s log alone (no real source, no entry): the sentence is the finding\'s own, never "adverts of undefined"', async () => {
    process.chdir(ROOT);
    const r = await analyze(['samples/both-snat/gw-a'], { tz: 'UTC' });
    const f = r.findings.find((x): x is TranslationFinding => x.kind === 'vrrp-source-translated' && Boolean(x.basis?.includes('peer-log')))!;
    expect(f).toMatchObject({ router: null, translatedSource: '203.0.113.2', confidence: 'suggestive' });
    expect(f.originalSource).toBeUndefined();
    const s = findingSentence(f, view, r.findings);
    expect(f.sighting).toEqual({ by: 'peer-log', host: 'gw-a', dropped: false });
    expect(s.startsWith(`${f.id} [${f.severity}] ${findingSummary(f, { tz: 'UTC', findings: r.findings })}`)).toBe(true);
    expect(s).not.toMatch(/undefined|per the conntrack evidence/);
  });
});
