#!/usr/bin/env node
import { execute } from '@oclif/core';

// `vrrp-forensics adverts big.pcap | head` must end quietly, not with an EPIPE trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

await execute({ dir: import.meta.url });
