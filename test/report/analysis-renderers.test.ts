import { describe, expect, it } from 'vitest';
import { reportHtml } from '../../src/report/analysis-html.js';
import { reportJson } from '../../src/report/analysis-json.js';
import { mdCode, mdText, reportMarkdown } from '../../src/report/analysis-markdown.js';
import { timelineCsv } from '../../src/report/analysis-csv.js';
import { reportText } from '../../src/report/analysis-text.js';
import { SCHEMA, exitStatus, type Report } from '../../src/model/report.js';

const T = 1795586141743041408n;
const HOSTILE = 'gw\u001b]8;;http://evil\u0007x</td><script>alert(1)</script>|`';
function report(): Report {
  return {
    schema: SCHEMA, timezone: 'UTC', clocks: [], states: [], timelineDropped: 0, secretsShown: false,
    inputs: [{ path: 'a.pcap', kind: 'capture', format: 'pcap', host: HOSTILE, records: 1, first: T, last: T, problems: [] }],
    routers: [{ name: HOSTILE, addresses: ['198.51.100.175'], macs: [], vrids: [150], translatedTo: [] }],
    findings: [{ id: 'F1', kind: 'vrrp-source-translated', severity: 'critical', vrid: 150, router: HOSTILE, originalSource: '198.51.100.175', translatedSource: '203.0.113.1', firstSeen: T, lastSeen: T, revertedAt: null, election: 'changed', transitions: [], sighting: { by: 'wire' }, evidence: [{ file: 'a.pcap', locator: 'frame 7', at: T, text: '```\nescape' }], remedy: { for: { kind: 'translation', router: 'gw-a', original: '198.51.100.175', translated: '203.0.113.1' }, steps: [{ n: 1, action: 'notrack', protocol: 'vrrp', syntax: 'iptables', commands: [{ command: 'iptables -t raw -I OUTPUT -p vrrp -j NOTRACK' }] }] } }],
    timeline: [{ at: T, host: HOSTILE, source: 'syslog', kind: 'raw', summary: '=HYPERLINK("http://evil")', file: 'l', locator: 'line 1' }],
  };
}
const view = { tz: 'UTC', style: 'tttt' as const, context: 5, colour: false };

describe('analysis renderers', () => {
  it('evidence cited for a reason: every renderer prints its caption, the JSON gives the caption as text and the role beside', () => {
    const r = report();
    const f = r.findings[0];
    f.evidence = [{ file: 'a.pcap', locator: 'frame 9', at: T, text: '198.51.100.175 > 224.0.0.18: VRRPv2', role: { kind: 'source-reverted' } }];
    const caption = 'source reverted: 198.51.100.175 > 224.0.0.18: VRRPv2';
    expect(reportText(r, view)).toContain(`a.pcap frame 9: ${caption}`);
    expect(reportMarkdown(r, view)).toContain(`a.pcap frame 9: ${caption}`);
    expect(reportHtml(r, view)).toContain(`a.pcap frame 9: ${caption.replace(/>/g, '&gt;')}`);
    const ev = JSON.parse(reportJson(r)).findings[0].evidence[0];
    expect(ev).toEqual({ file: 'a.pcap', locator: 'frame 9', at: '2026-11-25T05:55:41.743041408Z', text: caption, role: { kind: 'source-reverted' } });
    // the model itself keeps the evidence's own words
    expect(f.evidence[0].text).toBe('198.51.100.175 > 224.0.0.18: VRRPv2');
  });

  it('JSON: the contract: schema, RFC 3339 times with nine digits, null for unknown', () => {
    const j = JSON.parse(reportJson(report()));
    expect(j.schema).toBe('vrrp-forensics/report@1');
    expect(j.findings[0]).toMatchObject({ firstSeen: '2026-11-25T05:55:41.743041408Z', revertedAt: null, kind: 'vrrp-source-translated' });
    expect(j.timeline[0].at).toBe('2026-11-25T05:55:41.743041408Z');
  });

  it('text: input-derived control characters are shown, never executed; no colour unless asked', () => {
    const out = reportText(report(), view);
    // eslint-disable-next-line no-control-regex -- asserting that no control character survives
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(out).toContain('\\x1b]8;;http://evil\\x07');
    expect(out).toMatch(/^Verdict\n {2}F1 \[critical\]/);
    expect(reportText(report(), { ...view, colour: true })).toContain('\u001b[1;31m');
  });

  it('markdown: no raw HTML or table breaks from inputs, evidence fences cannot be closed by the content', () => {
    const md = reportMarkdown(report(), view);
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;');
    expect(mdText('a|b')).toBe('a\\|b');
    const block = mdCode(['x ``` y']);
    expect(block.startsWith('````text\n')).toBe(true);
    expect(md).toMatch(/^# VRRP forensics report/);
  });

  it('CSV: a cell that would start a formula is neutralised; findings are tagged on their entries', async () => {
    const csv = await timelineCsv(report(), view);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(csv.split('\n')[1]).toMatch(/,F1$/);
  });

  it('a finding whose timeline window equals an earlier one points to it instead of repeating the entries', () => {
    const r = report();
    r.findings.push({ id: 'F2', kind: 'split-brain', severity: 'critical', vrid: 150, router: null, start: T, end: T, hosts: [HOSTILE], evidence: r.findings[0].evidence });
    r.timeline[0].kind = 'state';
    const out = reportText(r, view);
    expect(out.match(/=HYPERLINK/g)).toHaveLength(1);
    expect(out).toContain('Timeline (±5 s): as for F1 above.');
    expect(reportMarkdown(r, view)).toContain('Timeline (±5 s): as for F1.');
  });

  it('exit status: 1 with a finding above info, 0 with info only, 2 when an input gave nothing and an error', () => {
    const r = report();
    expect(exitStatus(r)).toBe(1);
    r.findings[0].severity = 'info';
    expect(exitStatus(r)).toBe(0);
    r.inputs.push({ path: 'bad', kind: 'capture', format: null, host: null, records: 0, first: null, last: null, problems: [{ locator: 'byte 0', message: 'not a capture', severity: 'error', code: 'E_NOT_CAPTURE' }] });
    expect(exitStatus(r)).toBe(2);
  });

  it('CARP speakers: their own section in text and Markdown (JSON keeps the field); a file name from the inputs stays inert', () => {
    const r = report();
    const ev = (frame: number) => ({ file: HOSTILE, locator: `frame ${frame}`, at: T, text: 'CARPv2' });
    r.carp = [{ file: HOSTILE, host: null, vhid: 1, src: '203.0.113.1', dst: '224.0.0.18', adverts: 4, advbase: [1], advskew: [0], demotion: [0], badChecksums: 0, first: ev(3), last: ev(9), translatedFrom: '198.51.100.2' }];
    const text = reportText(r, view);
    expect(text).toContain('CARP speakers (IP protocol 112 but not VRRP: never counted in a VRRP election)');
    expect(text).toMatch(/source 203\.0\.113\.1 > 224\.0\.0\.18; vhid 1; advbase 1; advskew 0; adverts 4; evidence .* frame 3 … frame 9; translated from 198\.51\.100\.2/);
    const md = reportMarkdown(r, view);
    expect(md).toContain('| source | vhid | advbase | advskew | adverts | evidence | translated from |');
    expect(md).not.toContain('<script>');
    expect(JSON.parse(reportJson(r)).carp[0]).toMatchObject({ vhid: 1, src: '203.0.113.1', translatedFrom: '198.51.100.2' });
    expect(JSON.parse(reportJson(report())).carp).toBeUndefined();
  });
});
