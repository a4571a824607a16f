import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/correlate/analyze.js';
import { linkDownFindings, LinkWatch, type HostSideRun, type LinkEvent } from '../../src/correlate/link-down.js';
import { findingsOf, type Transition } from '../../src/model/report.js';
import type { KaEvent } from '../../src/model/keepalived.js';
import { buildBrief } from '../../src/report/brief.js';
import { ROOT } from '../helpers/capture.js';

const SEC = 1_000_000_000n;
const rel = (f: string) => f.replace('samples/link-down/', '');

describe('link-down on the recording', () => {
  it('gw-a: "Netlink reports lan0 down" → FAULT from MASTER; gw-b MASTER on the advert timeout, its reason typed with the cause; the link back; a fix for the link', async () => {
    process.chdir(ROOT);
    const r = await analyze([path.join('samples', 'link-down')], { tz: 'UTC' });
    const [f, ...more] = r.findings.filter((x) => x.kind === 'link-down');
    expect(more).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', router: 'gw-a', hosts: ['gw-a', 'gw-b'] });
    const l = f.linkDown!;
    expect(l).toMatchObject({ host: 'gw-a', interface: 'lan0', wasMaster: true, kernelLines: 0, takeover: { host: 'gw-b' } });
    expect(f.evidence.map((e) => [rel(e.file), e.locator])).toEqual([
      ['gw-a/syslog.rfc3339', 'line 30'], ['gw-a/syslog.rfc3339', 'line 31'], ['gw-b/syslog.rfc3339', 'line 33'], ['gw-a/syslog.rfc3339', 'line 34'],
    ]);
    expect([l.downAt, l.faultAt, l.takeover!.at, l.upAt]).toEqual(f.evidence.map((e) => e.at));
    // the takeover waited the master-down interval: 3 s after the link went down
    expect(Number(l.takeover!.at - l.downAt) / 1e9).toBeCloseTo(2.99, 1);
    const takeover = findingsOf(r.findings, 'master-change').find((x) => x.router === 'gw-b' && x.start === l.takeover!.at);
    expect(takeover?.reason).toEqual({ kind: 'advert-timeout', after: { kind: 'peer-link-down', host: 'gw-a', interface: 'lan0' } });
    const b = buildBrief(r);
    expect(b.causes.map((c) => [c.finding.id, rel(c.file), c.locator])).toEqual([[f.id, 'gw-a/syslog.rfc3339', 'line 30']]);
    expect(b.fixes.map((x) => [x.host, x.finding])).toEqual([['gw-a', f.id]]);
  });
});

describe('linkDownFindings, crafted', () => {
  const ev = (up: boolean, s: bigint, line: number): LinkEvent => ({ host: 'gw-a', interface: 'eth0', up, at: s * SEC, file: 'syslog', line, text: `Netlink reports eth0 ${up ? 'up' : 'down'}` });
  const tr = (host: string, to: string, s: bigint, line: number, reason?: Transition['reason']): Transition =>
    ({ at: s * SEC, host, instance: 'VI_1', from: 'BACKUP', to, file: `${host}.log`, line, ...(reason ? { reason } : {}) });
  const kernel: HostSideRun = { kind: 'link-down', interface: 'eth0', file: 'syslog', host: 'gw-a', first: { line: 2, at: 10n * SEC, text: 'e1000e 0000:00:19.0 eth0: NIC Link is Down' }, precision: 0, last: { line: 3, at: 10n * SEC }, lines: 2 };

  it('the kernel\'s NIC line is counted and cited after keepalived\'s; a second "down" in the same outage is one finding', () => {
    const fs = linkDownFindings([ev(false, 10n, 4), ev(false, 11n, 5), ev(true, 20n, 9)], [tr('gw-a', 'MASTER', 1n, 1), tr('gw-a', 'FAULT', 10n, 6), tr('gw-b', 'MASTER', 13n, 7, { kind: 'advert-timeout' })], [kernel]);
    expect(fs).toHaveLength(1);
    expect(fs[0].linkDown).toMatchObject({ kernelLines: 2, wasMaster: true, takeover: { host: 'gw-b', at: 13n * SEC }, upAt: 20n * SEC });
    expect(fs[0].evidence.map((e) => e.locator)).toEqual(['line 4', 'line 2', 'line 6', 'line 7', 'line 9']);
  });

  it('a link down on a host that was not MASTER and did not go to FAULT is no finding; a takeover explained by dropped adverts is not given the link as cause', () => {
    expect(linkDownFindings([ev(false, 10n, 4)], [tr('gw-a', 'BACKUP', 1n, 1)], [])).toEqual([]);
    const dropped = tr('gw-b', 'MASTER', 13n, 7, { kind: 'advert-timeout', dropped: { by: 'ah' } });
    const [f] = linkDownFindings([ev(false, 10n, 4)], [tr('gw-a', 'MASTER', 1n, 1), dropped], []);
    expect(f.linkDown!.takeover).toBeNull();
    expect(dropped.reason).toEqual({ kind: 'advert-timeout', dropped: { by: 'ah' } });
  });

  it('LinkWatch keeps keepalived\'s interface lines only, typed', () => {
    const w = new LinkWatch();
    const k = (type: string, fields: object): KaEvent => ({ file: 'f', line: 1, time: 0n, precision: 0, timeFrom: 'exact', program: 'Keepalived_vrrp', type, fields, message: 'm' }) as KaEvent;
    w.event(k('interface', { interface: 'eth0', up: false }), 5n, 'gw-a');
    w.event(k('state', { state: 'FAULT', instance: 'VI_1' }), 6n, 'gw-a');
    w.event(k('interface', { interface: 'eth0', up: true }), 7n, null);
    expect(w.events.map((e) => [e.interface, e.up, e.at])).toEqual([['eth0', false, 5n]]);
  });
});
