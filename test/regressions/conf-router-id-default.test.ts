import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { findingSentence } from '../../src/report/brief-words.js';
import { ROOT } from '../helpers/capture.js';

// analyze re-decided a keepalived.conf's host after the planner had refused it: keepalived's default router_id
// LVS_DEVEL (or the conf's generic folder name) became the router in the verdict ("VRRP adverts of LVS_DEVEL").
describe('a keepalived.conf whose router_id names nobody', () => {
  it('is known by its source address, never by LVS_DEVEL or its folder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vf-lvs-'));
    mkdirSync(path.join(dir, 'etc/keepalived'), { recursive: true });
    const conf = readFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/keepalived.conf'), 'utf8').replace(/^(\s*)router_id \S+/m, '$1router_id LVS_DEVEL');
    expect(conf).toMatch(/^\s*router_id LVS_DEVEL$/m);
    writeFileSync(path.join(dir, 'etc/keepalived/keepalived.conf'), conf);
    copyFileSync(path.join(ROOT, 'samples/seed-snat/gw-a/conntrack-events.log'), path.join(dir, 'conntrack-events.log'));
    const r = await analyze([dir], { tz: 'UTC' });
    expect(r.inputs.map((i) => i.host)).toEqual([null, null]);
    expect(r.routers.map((x) => x.name)).toEqual(['198.51.100.175']);
    const f = r.findings.find((x) => x.kind === 'vrrp-source-translated')!;
    expect(f).toMatchObject({ originalSource: '198.51.100.175', translatedSource: '203.0.113.1', vrid: 150 });
    const s = findingSentence(f, { tz: 'UTC', style: 'tttt', context: 5, colour: false }, r.findings);
    expect(f.router).toBe('198.51.100.175');
    // the verdict's words name it so too, never by the default router_id or the folder
    expect(s).not.toMatch(/LVS_DEVEL|keepalived \(/);
  });
});
