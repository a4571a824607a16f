// The run path as one module: oclif's execute and the command map. scripts/bundle.js bundles it (with @oclif/core and
// everything the commands import) into dist/bundle/main.js, which bin/run.js loads and package.json names as oclif's
// explicit command target, so one copy of oclif serves both. Loading ~160 small CommonJS files of @oclif/core and its
// dependencies one by one cost ~45 ms CPU of every run (measured by paired whole-process timing; see README "Speed").
export { execute } from '@oclif/core';
export { default } from '../commands/index.js';
