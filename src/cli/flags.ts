import { Flags } from '@oclif/core';

/** Flags several commands share, defined once so they read and behave the same everywhere. */
export const timeFlags = {
  tz: Flags.string({ description: 'IANA time zone for printed times (and for zone-less log times)', default: 'UTC' }),
  'time-format': Flags.string({
    description: 'tttt = "2026-11-25 00:34:03.542611" (tcpdump -tttt), iso = RFC 3339 with offset, epoch = seconds',
    options: ['tttt', 'iso', 'epoch'],
    default: 'tttt',
  }),
};

export const outputFlags = {
  json: Flags.boolean({ description: 'print JSON instead of text', exclusive: ['csv'] }),
  csv: Flags.boolean({ description: 'print CSV (formula-safe cells)', exclusive: ['json'] }),
  output: Flags.string({ char: 'o', description: 'write to FILE instead of standard output' }),
  'show-secrets': Flags.boolean({ description: 'print VRRP auth strings and passwords instead of [redacted]' }),
};
