// npm run fuzz [-- --runs N]: a long fuzz campaign over every reader. Failing inputs are saved under
// test/regressions/fuzz/ (replayed by test/regressions/fuzz-replay.test.ts on every npm test).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const i = args.indexOf('--runs');
const runs = i >= 0 ? Number(args[i + 1]) : 10_000;
const r = spawnSync('npx', ['vitest', 'run', 'test/fuzz'], { stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SAVE: '1' } });
process.exit(r.status ?? 1);
