/**
 * A keepalived log line as an event, with the fields its message names: the syslog reader (sources/syslog) builds
 * them; the engine and the report's log view read them, so they live here, below both.
 */

export type KaEventType =
  | 'state' | 'advert-timeout' | 'higher-priority-advert' | 'same-priority-higher-ip' | 'lower-priority-advert'
  | 'lower-priority-discarded' | 'priority-zero-received' | 'sent-priority-zero' | 'priority-changed'
  | 'script-status' | 'script-result' | 'invalid-checksum' | 'ah-rejected' | 'not-unicast-peer' | 'vip-mismatch' | 'auth-mismatch'
  | 'ttl-mismatch' | 'version-mismatch' | 'vips' | 'garp-queued' | 'garp-sent' | 'interface' | 'address-assigned'
  | 'master-changed' | 'group-state' | 'start' | 'stop' | 'stopped' | 'reload' | 'child-start' | 'child-exit' | 'command-line' | 'raw';

export interface KaFields {
  instance?: string;
  /** vrrp_sync_group: the group whose instances all change state */
  group?: string;
  state?: 'MASTER' | 'BACKUP' | 'FAULT';
  init?: boolean;
  /** 1.x "Transition to MASTER STATE" (the step before Entering) */
  transition?: boolean;
  peer?: string;
  peerPriority?: number;
  ownPriority?: number;
  from?: number | string;
  to?: number | string;
  forcingElection?: boolean;
  role?: 'master' | 'backup';
  script?: string;
  exitCode?: number;
  result?: string;
  checksumVersion?: number;
  /** auth_type AH: why an advert was dropped — its HMAC failed, or its sequence number was already seen */
  ahFailure?: 'hmac' | 'sequence';
  sequence?: number;
  vrid?: number;
  action?: 'set' | 'removed';
  interface?: string;
  address?: string;
  up?: boolean;
  version?: string;
  pid?: number;
}

export interface KaEvent {
  file: string;
  line: number;
  /** ns since epoch */
  time: bigint;
  precision: number;
  /** exact: the framing had a zone; zoned: a wall-clock time read in --tz */
  timeFrom: 'exact' | 'zoned';
  /** the year was inferred, not written (rfc3164) */
  yearInferred?: boolean;
  /** a Dec → Jan step happened at or before this line */
  yearRollover?: boolean;
  /** far from every line around it and confirmed by none (a damaged time): listed, not analysed (OutlierGate) */
  timeOutlier?: boolean;
  host?: string;
  program: string;
  pid?: number;
  type: KaEventType;
  fields: KaFields;
  message: string;
}

