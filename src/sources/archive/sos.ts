import { parseDateLine } from '../conntrack/dump-time.js';

/**
 * What a sos report says of itself. The file names are sos's, checked against its plugin sources (sos/report/plugins/
 * host.py: `hostname` with root_symlink='hostname'; date.py: `date` with root_symlink='date' and `date --utc`;
 * conntrack.py: `conntrack -L -o extended`; keepalived.py: /etc/keepalived/keepalived.conf): `hostname` at the top
 * and `sos_commands/host/hostname` (host plugin); the collection time from `sos_commands/date/date` (`date` output, e.g. `Tue Nov 25 05:56:10 UTC 2026`) or, when that is in a local
 * zone, `sos_commands/date/date_--utc`. Evidence members need no names: they are sniffed by content like any file
 * (`var/log/messages*`, `sos_commands/logs/journalctl_*`, `sos_commands/conntrack/conntrack_-L_-o_extended`,
 * `sos_commands/firewall_tables/iptables-save`, `nft_list_ruleset`, `etc/keepalived/keepalived.conf`).
 */
export interface SosFacts {
  host: string | null;
  /** when the report was collected (epoch ns): the time of its snapshots (conntrack -L, iptables-save, …) */
  collectedAt: bigint | null;
}

const HOSTNAME = ['hostname', 'sos_commands/host/hostname', 'sos_commands/general/hostname'];
const DATE = ['sos_commands/date/date', 'sos_commands/date/date_--utc', 'sos_commands/general/date'];

/** Names (inside the top folder) whose content the listing walk keeps for sosFacts. */
export const SOS_META_SUFFIXES = [...HOSTNAME, ...DATE];

/** The bundle's own facts (hostname, date): read for what they say of the bundle, never as evidence of their own. */
export function isSosMeta(name: string): boolean {
  return HOSTNAME.includes(name) || DATE.includes(name);
}

/** Hostname and collection time from the members kept by the listing walk (names without the top folder). */
export function sosFacts(members: { name: string; content?: Buffer }[]): SosFacts {
  const text = (names: string[]) => {
    for (const n of names) {
      const m = members.find((x) => x.name === n && x.content);
      if (m) return m.content!.subarray(0, 4096).toString('utf8');
    }
    return null;
  };
  const host = text(HOSTNAME)?.split('\n')[0].trim() ?? null;
  let collectedAt: bigint | null = null;
  for (const n of DATE) {
    const t = text([n]);
    const ns = t === null ? null : parseDateLine(t.split('\n')[0]);
    if (ns !== null) {
      collectedAt = ns;
      break;
    }
  }
  // a hostname is one DNS name: anything else (a blank file, a binary) is not taken as the host
  return { host: host && /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(host) ? host : null, collectedAt };
}
