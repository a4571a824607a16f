#!/usr/bin/env node
// Only built-in modules are imported before the settings below: they must run before libuv's thread pool starts.
import os from 'node:os';
import v8 from 'node:v8';

const command = process.argv[2];

// analyze keeps a bounded working set but allocates per event; V8's default heap growth would let RSS rise with the
// input (220 MB at 800,000 log lines). Sizing the heap to what is live keeps it flat (measured in npm run bench):
// the heap may grow to 1.5× what is live after a full collection, no more. --optimize-for-size did that once, but it
// also keeps the young generation at its smallest, so a storm's events waiting in the reorder windows were promoted by
// the thousand: without it, CPU 0.77× on the bench's storm, peak RSS +9 % (304 vs 278 MB); a 1 M- and a 3 M-line log
// both peak at 116 MB (flat). batch keeps it: its workers' heaps add up.
if (['analyze', 'timeline', 'batch'].includes(command)) {
  if (command === 'batch') v8.setFlagsFromString('--optimize-for-size');
  v8.setFlagsFromString('--heap-growing-percent=50');
}

// batch: libuv's thread pool (file reads, gunzip) is shared by every worker thread; with more pool threads than cores
// they preempt each other — 2 workers ran 1.46× faster than 1 on gzipped archives, 1.83× with the pool sized to the
// cores (measured in npm run bench). The size is read when the process starts, so batch runs itself again with it set,
// passing signals on (Ctrl-C must reach the sweep, which then writes its summary). The IPC channel is how the child
// learns that this process died, even by SIGKILL: it closes, and the child stops (see commands/batch.ts).
if (command === 'batch' && !process.env.UV_THREADPOOL_SIZE) {
  const { spawn } = await import('node:child_process');
  const env = { ...process.env, UV_THREADPOOL_SIZE: String(Math.max(2, os.availableParallelism())) };
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 1) : 1)));
} else {
  await main();
}

async function main() {
  // `vrrp-forensics analyze … | head`: standard output closed before the report was written ends quietly, with the
  // status grep and tcpdump leave when SIGPIPE kills them (128 + 13), never 0 (nothing found) nor 1 (findings): the
  // status of a report nobody received would be a claim about evidence it did not show.
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(141);
    throw err;
  });
  // the bundled run path (scripts/bundle.js): oclif and the commands in one module, not ~200 files
  const { execute } = await import('../dist/bundle/main.js');
  await execute({ dir: import.meta.url });
}
