import { parentPort, workerData } from 'node:worker_threads';
import { readSlice, type SliceTask } from './slice.js';

/**
 * A worker thread's entry for a parallel capture read (parallel.ts): reads the one slice it was started with. The
 * shared counter is how many of its records the reading thread has taken; the worker waits while it is more than
 * `window` records ahead, so a dense slice never piles up in memory.
 */
const { task, taken, window } = workerData as { task: SliceTask; taken: SharedArrayBuffer; window: number };
const counter = new Int32Array(taken);
readSlice(task, (m) => parentPort!.postMessage(m), (sent) => {
  for (;;) {
    const seen = Atomics.load(counter, 0);
    if (sent - seen < window) return;
    Atomics.wait(counter, 0, seen);
  }
});
