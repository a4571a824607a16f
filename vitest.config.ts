import { defineConfig } from 'vitest/config';

// Tests that run the built CLI on recorded samples take a few seconds on an idle machine; a loaded CI runner can
// take several times that. The bound is there to catch hangs, not to time anything (speed is `npm run bench`).
export default defineConfig({
  test: { testTimeout: 30_000, hookTimeout: 60_000 },
});
