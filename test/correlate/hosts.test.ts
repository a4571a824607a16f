import { describe, expect, it } from 'vitest';
import { folderTable, hostFolder, resolveHosts, type HostEvidence } from '../../src/correlate/hosts.js';

const resolve = (files: HostEvidence[]) => Object.fromEntries([...resolveHosts(files)].map(([p, r]) => [p, [r.host, r.from ?? null]]));

describe('resolveHosts', () => {
  it('steps over generic folders to the folder that names the machine', () => {
    expect(hostFolder('case/gw-a/var/log/messages')).toBe('case/gw-a');
    expect(hostFolder('case/gw-a/sos_commands/networking/x')).toBe('case/gw-a');
    expect(resolve([
      { path: 'case/gw-a/var/log/messages', syslogHost: 'gw-a' },
      { path: 'case/gw-a/conntrack/events.log' },
      { path: 'case/gw-b/var/log/messages', syslogHost: 'gw-b' },
      { path: 'case/gw-b/pcaps/lan0.pcap' },
    ])).toEqual({
      'case/gw-a/var/log/messages': ['gw-a', 'syslog'], 'case/gw-a/conntrack/events.log': ['gw-a', 'neighbour'],
      'case/gw-b/var/log/messages': ['gw-b', 'syslog'], 'case/gw-b/pcaps/lan0.pcap': ['gw-b', 'neighbour'],
    });
  });

  it('a firewall folder (fw/, rules/) in a machine\'s folder is generic too: its saved rulesets are that machine\'s, not a host "fw"', () => {
    expect(resolve([
      { path: 'ticket/evidence/backup-node/logs/messages', syslogHost: 'gw-b' },
      { path: 'ticket/evidence/backup-node/fw/iptables-save.2-default-deny' },
      { path: 'ticket/evidence/backup-node/rules/ruleset.nft' },
      { path: 'ticket/evidence/backup-node/pcap/cap.pcapng' },
    ])).toEqual({
      'ticket/evidence/backup-node/logs/messages': ['gw-b', 'syslog'], 'ticket/evidence/backup-node/fw/iptables-save.2-default-deny': ['gw-b', 'neighbour'],
      'ticket/evidence/backup-node/rules/ruleset.nft': ['gw-b', 'neighbour'], 'ticket/evidence/backup-node/pcap/cap.pcapng': ['gw-b', 'neighbour'],
    });
  });

  it('one machine, two names: a router_id beside a syslog hostname folds into the hostname; the default router_id names nobody', () => {
    const r = resolveHosts([
      { path: 'a/messages', syslogHost: 'gw-a.example.net' },
      { path: 'a/keepalived.conf', routerId: 'GW_A', confAddresses: ['192.0.2.1'] },
      { path: 'a/any.pcap', sentAddresses: ['192.0.2.1'] },
      { path: 'b/keepalived.conf', routerId: 'LVS_DEVEL' },
      { path: 'c/keepalived.conf', routerId: 'LVS_DEVEL' },
    ]);
    expect(r.get('a/keepalived.conf')).toMatchObject({ host: 'gw-a.example.net', from: 'router_id', via: 'a/messages' });
    expect(r.get('a/any.pcap')).toMatchObject({ host: 'gw-a.example.net', from: 'address' });
    expect(r.get('b/keepalived.conf')).toMatchObject({ host: 'b', from: 'folder', weak: true });
  });

  it('flat folders: host names in file names; a name no evidence knows is taken from a host-named folder, as a guess', () => {
    expect(resolve([
      { path: 'x/gw-a-messages', syslogHost: 'gw-a' },
      { path: 'x/gw-a.pcap' },
      { path: 'x/gw-b.pcap' },
      { path: 'x/gw-b-conntrack.log' },
    ])).toEqual({ 'x/gw-a-messages': ['gw-a', 'syslog'], 'x/gw-a.pcap': ['gw-a', 'file-name'], 'x/gw-b.pcap': ['gw-b', 'file-name'], 'x/gw-b-conntrack.log': ['gw-b', 'file-name'] });
    // one folder of one host's evidence: its interface-named capture is that host's, not "lan0"
    expect(resolve([{ path: 'y/messages', syslogHost: 'gw-a' }, { path: 'y/lan0.pcap' }])['y/lan0.pcap']).toEqual(['gw-a', 'neighbour']);
    // --host wins over everything
    expect(resolve([{ path: 'z/messages', syslogHost: 'gw-a', flag: 'edge' }])['z/messages']).toEqual(['edge', 'flag']);
  });

  it('a folder holding two hosts gives neither to a file that names none', () => {
    expect(resolve([{ path: 'logs/a', syslogHost: 'gw-a' }, { path: 'logs/b', syslogHost: 'gw-b' }, { path: 'pcaps/lan0.pcap' }])['pcaps/lan0.pcap']).toEqual([null, null]);
  });

  it('folderTable: one row per folder and host, with the strongest reason', () => {
    expect(folderTable([
      { path: 'gw-a/logs/messages', host: 'gw-a', hostFrom: 'syslog' },
      { path: 'gw-a/logs/events.log', host: 'gw-a', hostFrom: 'neighbour', hostVia: 'gw-a/logs/messages' },
      { path: 'x/gw-b.pcap', host: 'gw-b', hostFrom: 'file-name', hostWeak: true },
    ])).toEqual([
      { folder: 'gw-a/logs', host: 'gw-a', from: 'syslog', weak: false, files: 2 },
      { folder: 'x', host: 'gw-b', from: 'file-name', weak: true, files: 1 },
    ]);
  });
});
