// npm run build, after tsc: bundles the run path (dist/cli/main.js: @oclif/core + the commands) into dist/bundle/ with
// esbuild, then writes oclif.manifest.json. Lazily imported parts (the analysis engine, renderers, csv) stay lazy as
// split chunks; the batch worker and the capture slice reader's worker are entries of their own, next to the chunks
// that start them (sweep's new URL('./worker.js'), parallel.ts's new URL('./slice-worker.js')).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist/bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    main: path.join(root, 'dist/cli/main.js'),
    worker: path.join(root, 'dist/batch/worker.js'),
    'slice-worker': path.join(root, 'dist/sources/capture/slice-worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // oclif requires typescript only for ts-node development setups, never on this path; native addons (resvg, for
  // --format png) cannot be bundled and are loaded from node_modules when asked for
  external: ['typescript', '@resvg/*'],
  // CommonJS dependencies (oclif) call require() for Node built-ins; an ES module has none of its own
  banner: { js: "import { createRequire as __vfCreateRequire } from 'node:module'; const require = __vfCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
