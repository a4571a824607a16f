import { Flags } from '@oclif/core';
import { ForensicError } from '../errors.js';
import { prepareZone } from '../model/instant.js';

/** Flags several commands share, defined once so they read and behave the same everywhere. */
export const timeFlags = {
  tz: Flags.string({ description: 'IANA time zone every printed time is shown in (display only: see --input-tz)', default: 'UTC' }),
  'time-format': Flags.string({
    description: 'tttt = "2026-11-25 00:34:03.542611" (tcpdump -tttt), iso = RFC 3339 with offset, epoch = seconds',
    options: ['tttt', 'iso', 'epoch'],
    default: 'tttt',
  }),
};

/** The zone inputs without one are read in: syslog RFC 3164 lines, iptables-save "Generated on", ctime strings. */
export const zoneFlags = {
  'input-tz': Flags.string({ description: 'IANA time zone that times written without a zone (RFC 3164 logs, iptables-save "Generated on", conntrack ctime) are read in', default: 'UTC' }),
  'host-tz': Flags.string({ description: 'HOST=ZONE: read this host\'s zone-less times in ZONE instead (repeatable)', multiple: true }),
};

/** --input-tz and --host-tz, checked: an unknown zone or a malformed pair is a usage error. */
export async function inputZones(flags: { 'input-tz'?: string; 'host-tz'?: string[] }): Promise<{ inputTz: string; hostTz: Map<string, string> }> {
  const inputTz = await prepareZone(flags['input-tz'] ?? 'UTC');
  const hostTz = new Map<string, string>();
  for (const h of flags['host-tz'] ?? []) {
    const i = h.lastIndexOf('=');
    if (i <= 0 || i === h.length - 1) throw new ForensicError('E_USAGE', `--host-tz wants HOST=ZONE, got "${h}"`);
    hostTz.set(h.slice(0, i), await prepareZone(h.slice(i + 1)));
  }
  return { inputTz, hostTz };
}

export const outputFlags = {
  json: Flags.boolean({ description: 'print JSON instead of text', exclusive: ['csv'] }),
  csv: Flags.boolean({ description: 'print CSV (formula-safe cells)', exclusive: ['json'] }),
  output: Flags.string({ char: 'o', description: 'write to FILE instead of standard output' }),
  'show-secrets': Flags.boolean({ description: 'print VRRP auth strings and passwords instead of [redacted]' }),
};
