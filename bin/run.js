#!/usr/bin/env node
import v8 from 'node:v8';
import { execute } from '@oclif/core';

// analyze keeps a bounded working set but allocates per event; V8's default heap growth would let RSS rise with the
// input (220 MB at 800,000 log lines). Sizing the heap to what is live keeps it flat (measured in npm run bench).
if (['analyze', 'timeline', 'batch'].includes(process.argv[2])) v8.setFlagsFromString('--optimize-for-size');

// `vrrp-forensics adverts big.pcap | head` must end quietly, not with an EPIPE trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

await execute({ dir: import.meta.url });
