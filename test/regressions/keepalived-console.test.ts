import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { readSyslog } from '../../src/sources/syslog/reader.js';
import { ROOT } from '../helpers/capture.js';
import { drain } from '../helpers/drain.js';

/**
 * Issue 14: keepalived's own framing (console with --log-console/--log-detail, log file with -g) names no program, so
 * its lines were skipped as another program's; vrrp_sync_group lines stayed raw events. Recorded in samples/sync-group
 * (keepalived 2.2.7 -D -l -n, VI_1 and VI_2 in vrrp_sync_group VG1).
 */
const S = (f: string) => path.join(ROOT, 'samples/sync-group', f);

describe('keepalived console framing and sync groups (samples/sync-group)', () => {
  it('the console log is read: every keepalived line an event, the group lines typed', async () => {
    const { items, info } = await drain(readSyslog(S('gw-b/keepalived-console.log'), { tz: 'UTC', toEpochMs: (t) => Date.UTC(t.year, t.month, t.day, t.hour, t.minute, t.second) }));
    expect(info.framings).toEqual({ 'keepalived-log-file': expect.any(Number) });
    expect(info.events).toBe(87);
    expect(items.find((e) => e.line === 31)).toMatchObject({ type: 'group-state', fields: { group: 'VG1', state: 'MASTER' }, time: BigInt(Date.UTC(2026, 11, 1, 20, 34, 41)) * 1_000_000n });
    expect(items.filter((e) => e.type === 'group-state').map((e) => [e.line, e.fields.state])).toEqual([[31, 'MASTER'], [43, 'BACKUP'], [58, 'MASTER'], [82, 'BACKUP']]);
  });

  it('a group line moves every instance of the group (members from keepalived.conf), once', async () => {
    const r = await analyze([S('gw-b/keepalived-console.log'), S('gw-b/keepalived.conf')], { tz: 'UTC' });
    expect(r.inputs[0]).toMatchObject({ host: 'gw-b', hostFrom: 'neighbour', format: 'keepalived-log-file', records: 87, zone: 'UTC' });
    const band = (i: string) => r.states.filter((s) => s.instance === i).map((s) => [s.state, Number(s.start / 1_000_000_000n) - 1796157278]);
    // VI_2 times out first; the group takes VI_1 along in the same second, and back again
    expect(band('VI_1')).toEqual([['BACKUP', 0], ['MASTER', 3], ['BACKUP', 4], ['MASTER', 9], ['BACKUP', 17]]);
    expect(band('VI_2')).toEqual(band('VI_1'));
    const vi1 = r.findings.flatMap((f) => (f.kind === 'master-change' || f.kind === 'vrrp-source-translated' ? f.transitions ?? [] : [])).filter((t) => t.instance === 'VI_1' && t.to === 'MASTER');
    // the group's line moved VI_1; VI_1's own "Entering MASTER STATE" a moment later is the same change, not a second
    expect([...new Set(vi1.map((t) => t.line))]).toEqual([31, 58]);
  });
});
