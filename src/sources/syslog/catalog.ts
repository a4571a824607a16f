import type { KaEventType, KaFields } from '../../model/keepalived.js';
/**
 * keepalived's messages (1.x and 2.x wording, ../shared/reference/keepalived.md) as one table: pattern → event type →
 * fields. A message not in the table is still kept, as a `raw` event.
 */
type Rule = [RegExp, KaEventType, (m: RegExpExecArray) => KaFields];

const n = (s: string | undefined) => (s === undefined ? undefined : Number(s));

/**
 * auth_type AH drops (recorded in samples/ah-auth with 2.2.7: "(VI_1) IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to
 * fields mutation or bad password !"; 1.x logs "IPSEC AH : …" without the instance). The HMAC covers the IP source.
 */
const AH_RULES: Rule[] = [
  [/^IPSEC[- ]AH ?: invalid IPSEC HMAC-MD5 value/, 'ah-rejected', () => ({ ahFailure: 'hmac' })],
  [/^IPSEC[- ]AH ?: sequence number (\d+) already \w+\. Packet dropped/, 'ah-rejected', (m) => ({ ahFailure: 'sequence', sequence: n(m[1]) })],
];

/** Rules for the part after an instance prefix `(VI_1) ` / `VRRP_Instance(VI_1) ` (2.x / 1.x). */
const INSTANCE_RULES: Rule[] = [
  [/^Entering (MASTER|BACKUP|FAULT) STATE( \(init\))?/i, 'state', (m) => ({ state: m[1].toUpperCase() as KaFields['state'], init: Boolean(m[2]) })],
  [/^Transition to MASTER STATE/i, 'state', () => ({ state: 'MASTER', transition: true })],
  [/^Now in FAULT state/, 'state', () => ({ state: 'FAULT', init: true })],
  [/^:? ?entering FAULT state/i, 'state', () => ({ state: 'FAULT' })],
  [/^Receive advertisement timeout/, 'advert-timeout', () => ({})],
  [/^(?:Master )?[Rr]eceived advert from (\S+) with higher priority (\d+), ours (\d+)/, 'higher-priority-advert', (m) => ({ peer: m[1], peerPriority: n(m[2]), ownPriority: n(m[3]) })],
  [/^(?:Master )?[Rr]eceived advert with higher priority (\d+), ours (\d+)/, 'higher-priority-advert', (m) => ({ peerPriority: n(m[1]), ownPriority: n(m[2]) })],
  [/^Received higher prio advert (\d+)/, 'higher-priority-advert', (m) => ({ peerPriority: n(m[1]) })],
  [/^Master received advert from (\S+) with same priority (\d+) but higher IP address than ours/, 'same-priority-higher-ip', (m) => ({ peer: m[1], peerPriority: n(m[2]), ownPriority: n(m[2]) })],
  [/^Master received advert with same priority (\d+) but higher IP address than ours(?: \((\S+)\))?/, 'same-priority-higher-ip', (m) => ({ peer: m[2], peerPriority: n(m[1]), ownPriority: n(m[1]) })],
  [/^Received advert from (\S+) with lower priority (\d+), ours (\d+)(, forcing new election)?/, 'lower-priority-advert', (m) => ({ peer: m[1], peerPriority: n(m[2]), ownPriority: n(m[3]), forcingElection: Boolean(m[4]) })],
  [/^Received advert with lower priority (\d+), ours (\d+)(, forcing new election)?/, 'lower-priority-advert', (m) => ({ peerPriority: n(m[1]), ownPriority: n(m[2]), forcingElection: Boolean(m[3]) })],
  [/^Received lower prio advert (\d+)(, forcing new election)?/, 'lower-priority-advert', (m) => ({ peerPriority: n(m[1]), forcingElection: Boolean(m[2]) })],
  [/^received lower priority \((\d+)\) advert from (\S+) - discarding/, 'lower-priority-discarded', (m) => ({ peerPriority: n(m[1]), peer: m[2] })],
  [/^Backup received priority 0 advertisement/, 'priority-zero-received', () => ({ role: 'backup' })],
  [/^Master received priority 0 message/, 'priority-zero-received', () => ({ role: 'master' })],
  [/^sent 0 priority/, 'sent-priority-zero', () => ({})],
  [/^Changing effective priority from (\d+) to (\d+)/, 'priority-changed', (m) => ({ from: n(m[1]), to: n(m[2]) })],
  [/^Effective priority = (\d+)/, 'priority-changed', (m) => ({ to: n(m[1]) })],
  [/^:? ?Invalid VRRPv([23]) checksum(?: from (\S+))?/, 'invalid-checksum', (m) => ({ checksumVersion: n(m[1]), peer: m[2] })],
  ...AH_RULES,
  [/^unicast source address (\S+) not a unicast peer/, 'not-unicast-peer', (m) => ({ peer: m[1] })],
  [/^ip address associated with VRID (\d+) not present in (?:MASTER )?advert(?: from (\S+))?/, 'vip-mismatch', (m) => ({ vrid: n(m[1]), peer: m[2]?.replace(/:$/, '') })],
  [/^(?:received an unexpected ip number count|expected \d+ VIPs but received)/, 'vip-mismatch', () => ({})],
  [/^:? ?received (?:an invalid passwd|a \d+ auth, expecting \d+)/, 'auth-mismatch', () => ({})],
  [/^(?:TTL\/HL \d+ not in range|invalid TTL\/HL)/, 'ttl-mismatch', () => ({})],
  [/^wrong version/, 'version-mismatch', () => ({})],
  [/^(setting|removing) (?:protocol )?(?:E-)?VIPs\./, 'vips', (m) => ({ action: m[1] === 'setting' ? 'set' : 'removed' })],
  [/^Sending\/queueing (?:gratuitous ARPs|Unsolicited Neighbour Adverts) on (\S+) for (\S+)/, 'garp-queued', (m) => ({ interface: m[1], address: m[2] })],
  [/^master changed from (\S+) to (\S+)/i, 'master-changed', (m) => ({ from: m[1], to: m[2] })],
];

/** Rules for lines with no instance prefix. */
const GLOBAL_RULES: Rule[] = [
  ...AH_RULES,
  // vrrp_sync_group: 2.x "Syncing instances to MASTER state" (vrrp_sync.c), 1.x also "Transition to MASTER state"
  [/^VRRP_Group\(([^)\s]+)\) Syncing instances to (MASTER|BACKUP|FAULT) state/i, 'group-state', (m) => ({ group: m[1], state: m[2].toUpperCase() as KaFields['state'] })],
  [/^VRRP_Group\(([^)\s]+)\) Transition to (MASTER|BACKUP|FAULT) state/i, 'group-state', (m) => ({ group: m[1], state: m[2].toUpperCase() as KaFields['state'], transition: true })],
  [/^Script `([^`]+)` now returning (\d+)/, 'script-status', (m) => ({ script: m[1], exitCode: n(m[2]) })],
  [/^VRRP_Script\(([^)]+)\) (succeeded|failed|timed_out|timed out)(?: \((?:exited with status|due to signal) (\d+)\))?/, 'script-result', (m) => ({ script: m[1], result: m[2].replace(' ', '_'), exitCode: n(m[3]) })],
  [/^Sending (?:gratuitous ARP|unsolicited Neighbour Advert) on (\S+) for (\S+)/, 'garp-sent', (m) => ({ interface: m[1], address: m[2] })],
  [/^Netlink reports (\S+) (up|down)/, 'interface', (m) => ({ interface: m[1], up: m[2] === 'up' })],
  [/^Kernel is reporting: interface (\S+) (UP|DOWN)/, 'interface', (m) => ({ interface: m[1], up: m[2] === 'UP' })],
  [/^Assigned address (\S+) for interface (\S+)/, 'address-assigned', (m) => ({ address: m[1], interface: m[2] })],
  [/^Starting Keepalived v(\S+)/, 'start', (m) => ({ version: m[1] })],
  [/^Starting VRRP child process, pid=(\d+)/, 'child-start', (m) => ({ pid: n(m[1]) })],
  [/^Stopping/, 'stop', () => ({})],
  [/^Stopped(?: Keepalived v(\S+))?/, 'stopped', (m) => ({ version: m[1] })],
  [/^Reloading/, 'reload', () => ({})],
  [/exited (?:with status|due to)|died: Respawning/, 'child-exit', () => ({})],
  [/^Command line: /, 'command-line', () => ({})],
];

const INSTANCE = /^(?:VRRP_Instance)?\(([^)\s]+)\):? ?(.*)$/;

export interface Classified {
  type: KaEventType;
  fields: KaFields;
}

/** Classifies one keepalived message. Pure and cheap; callers cache it for storms of identical lines. */
export function classify(message: string): Classified {
  const im = INSTANCE.exec(message);
  if (im) {
    for (const [re, type, f] of INSTANCE_RULES) {
      const m = re.exec(im[2]);
      if (m) return { type, fields: { instance: im[1], ...clean(f(m)) } };
    }
    return { type: 'raw', fields: { instance: im[1] } };
  }
  for (const [re, type, f] of GLOBAL_RULES) {
    const m = re.exec(message);
    if (m) return { type, fields: clean(f(m)) };
  }
  return { type: 'raw', fields: {} };
}

function clean(f: KaFields): KaFields {
  for (const k of Object.keys(f) as (keyof KaFields)[]) if (f[k] === undefined) delete f[k];
  return f;
}
