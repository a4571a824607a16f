// Writes oclif.manifest.json (oclif's own command cache, as `oclif manifest` does): with it, start-up reads one JSON
// file instead of importing every command to learn its flags, and --version/help load no command at all.
// Run by `npm run build`; the manifest is a build output (git-ignored), checked against package.json's version by oclif.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Plugin } from '@oclif/core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const plugin = new Plugin({ root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
await plugin.load();
writeFileSync(path.join(root, 'oclif.manifest.json'), `${JSON.stringify(plugin.manifest, null, 1)}\n`);
console.log(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands`);
