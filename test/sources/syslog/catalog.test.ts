import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/sources/syslog/catalog.js';

describe('keepalived message catalog', () => {
  it.each([
    // 2.x wording (reference/keepalived.md §3–§9, lab lines from keepalived 2.2.7)
    ['(VI_1) Entering MASTER STATE', 'state', { instance: 'VI_1', state: 'MASTER', init: false }],
    ['(VI_1) Entering BACKUP STATE (init)', 'state', { instance: 'VI_1', state: 'BACKUP', init: true }],
    ['(VI_1) Entering FAULT STATE', 'state', { state: 'FAULT' }],
    ['(VI_1) Receive advertisement timeout', 'advert-timeout', { instance: 'VI_1' }],
    ['(VI_1) Master received advert from 198.51.100.174 with higher priority 150, ours 145', 'higher-priority-advert', { peer: '198.51.100.174', peerPriority: 150, ownPriority: 145 }],
    ['(VI_1) Master received advert from 203.0.113.1 with same priority 150 but higher IP address than ours', 'same-priority-higher-ip', { peer: '203.0.113.1', peerPriority: 150 }],
    ['(VI_1) received lower priority (145) advert from 203.0.113.1 - discarding', 'lower-priority-discarded', { peerPriority: 145, peer: '203.0.113.1' }],
    ['(VI_1) Received advert from 198.51.100.176 with lower priority 100, ours 150, forcing new election', 'lower-priority-advert', { peer: '198.51.100.176', peerPriority: 100, ownPriority: 150, forcingElection: true }],
    ['(VI_1) Backup received priority 0 advertisement', 'priority-zero-received', { role: 'backup' }],
    ['(VI_1) sent 0 priority', 'sent-priority-zero', { instance: 'VI_1' }],
    ['(VI_1) Changing effective priority from 150 to 145', 'priority-changed', { from: 150, to: 145 }],
    ['Script `check_run` now returning 1', 'script-status', { script: 'check_run', exitCode: 1 }],
    ['VRRP_Script(check_run) failed (exited with status 1)', 'script-result', { script: 'check_run', result: 'failed', exitCode: 1 }],
    ['VRRP_Script(check_run) succeeded', 'script-result', { script: 'check_run', result: 'succeeded' }],
    ['(VI_1) Invalid VRRPv3 checksum', 'invalid-checksum', { checksumVersion: 3 }],
    ['(VI_1) Invalid VRRPv3 checksum from 203.0.113.1', 'invalid-checksum', { checksumVersion: 3, peer: '203.0.113.1' }],
    ['(VI_1) unicast source address 203.0.113.1 not a unicast peer', 'not-unicast-peer', { peer: '203.0.113.1' }],
    // auth_type AH, recorded (samples/ah-auth, 2.2.7) and 1.x's wording (no instance, "IPSEC AH")
    ['(VI_1) IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields mutation or bad password !', 'ah-rejected', { instance: 'VI_1', ahFailure: 'hmac' }],
    ['(VI_1) IPSEC-AH : sequence number 12 already processed. Packet dropped. Local(12)', 'ah-rejected', { ahFailure: 'sequence', sequence: 12 }],
    ['IPSEC AH : invalid IPSEC HMAC-MD5 value. Due to fields mutation or bad password !', 'ah-rejected', { ahFailure: 'hmac' }],
    ['(VI_1) ip address associated with VRID 150 not present in MASTER advert: 198.51.100.254', 'vip-mismatch', { vrid: 150 }],
    ['(VI_1) received an invalid passwd!', 'auth-mismatch', {}],
    ['(VI_1) setting VIPs.', 'vips', { action: 'set' }],
    ['(VI_1) removing VIPs.', 'vips', { action: 'removed' }],
    ['(VI_1) Sending/queueing gratuitous ARPs on eth0 for 198.51.100.254', 'garp-queued', { interface: 'eth0', address: '198.51.100.254' }],
    ['Sending gratuitous ARP on eth0 for 198.51.100.254', 'garp-sent', { interface: 'eth0', address: '198.51.100.254' }],
    ['Netlink reports eth1 down', 'interface', { interface: 'eth1', up: false }],
    ['Assigned address 198.51.100.175 for interface eth0', 'address-assigned', { address: '198.51.100.175', interface: 'eth0' }],
    ['Starting Keepalived v2.2.7 (01/16,2022)', 'start', { version: '2.2.7' }],
    ['Starting VRRP child process, pid=17598', 'child-start', { pid: 17598 }],
    ['Stopping', 'stop', {}],
    ['Reloading ...', 'reload', {}],
    // 1.x wording
    ['VRRP_Instance(VI_1) Transition to MASTER STATE', 'state', { instance: 'VI_1', state: 'MASTER', transition: true }],
    ['VRRP_Instance(VI_1) Entering MASTER STATE', 'state', { instance: 'VI_1', state: 'MASTER' }],
    ['VRRP_Instance(VI_1) Received higher prio advert 200', 'higher-priority-advert', { peerPriority: 200 }],
    ['VRRP_Instance(VI_1) Received advert with higher priority 200, ours 100', 'higher-priority-advert', { peerPriority: 200, ownPriority: 100 }],
    ['VRRP_Instance(VI_1) Received lower prio advert 100, forcing new election', 'lower-priority-advert', { peerPriority: 100, forcingElection: true }],
    ['VRRP_Instance(VI_1) Effective priority = 145', 'priority-changed', { to: 145 }],
    ['VRRP_Instance(VI_1) sent 0 priority', 'sent-priority-zero', {}],
    ['VRRP_Script(check_run) failed', 'script-result', { script: 'check_run', result: 'failed' }],
    ['VRRP_Instance(VI_1): Invalid VRRPv3 checksum', 'invalid-checksum', { checksumVersion: 3 }],
    ['Kernel is reporting: interface eth0 DOWN', 'interface', { interface: 'eth0', up: false }],
  ])('%s', (message, type, fields) => {
    const c = classify(message);
    expect(c.type).toBe(type);
    expect(c.fields).toMatchObject(fields);
  });

  it('unknown messages are raw events, never dropped; a config-file note is not an instance', () => {
    expect(classify('(VI_1) something new in 2.5')).toEqual({ type: 'raw', fields: { instance: 'VI_1' } });
    expect(classify('(/etc/keepalived/keepalived.conf: Line 14) Truncating auth_pass to 8 characters')).toEqual({ type: 'raw', fields: {} });
  });
});
