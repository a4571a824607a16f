import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests that run the built CLI on recorded samples take a few seconds on an idle machine; a loaded CI runner can
// take several times that. The bound is there to catch hangs, not to time anything (speed is `npm run bench`).
// Most test time is spent in child processes (the CLI, Chromium), so one test file per core, not vitest's
// cores − 1 (one worker on a 2-core runner: every file in turn).
export default defineConfig({
  test: { testTimeout: 30_000, hookTimeout: 60_000, maxWorkers: Math.max(2, os.availableParallelism()), minWorkers: 1 },
});
