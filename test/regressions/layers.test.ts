import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers stand on each other in one direction: model ← sources ← correlate (the engine) ← report, batch,
 * commands. A lower layer that imports a higher one makes a loop, and an engine that imports report/ writes words
 * the renderers should; this scan of every import in src/ keeps them apart.
 */
const SRC = path.resolve('src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}

/** Each relative import of a file (static, re-export or dynamic), as the top folder of src/ it lands in. */
function importedLayers(file: string): { spec: string; layer: string }[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)'(\.[^']+)'/g)].map((m) => m[1]);
  return specs.map((spec) => {
    const rel = path.relative(SRC, path.resolve(path.dirname(file), spec));
    return { spec, layer: rel.split(path.sep)[0] };
  });
}

const FORBIDDEN: Record<string, string[]> = {
  model: ['sources', 'correlate', 'report', 'batch', 'commands', 'cli'],
  sources: ['correlate', 'report', 'batch', 'commands', 'cli'],
  correlate: ['report', 'batch', 'commands', 'cli'],
  // renderers word the model; they never reach into a reader (its types live in model/) or the engine's workings
  report: ['sources', 'batch', 'commands', 'cli'],
};

describe('layers', () => {
  it('the scan sees imports (a file known to import the model is found doing so)', () => {
    expect(importedLayers(path.join(SRC, 'correlate', 'analyze.ts')).map((i) => i.layer)).toContain('model');
  });

  for (const [layer, banned] of Object.entries(FORBIDDEN)) {
    it(`src/${layer} imports nothing from ${banned.join(', ')}`, () => {
      const bad = files(path.join(SRC, layer)).flatMap((f) => importedLayers(f).filter((i) => banned.includes(i.layer)).map((i) => `${path.relative(SRC, f)} → ${i.spec}`));
      expect(bad).toEqual([]);
    });
  }

  it('no input kind is switched on outside the source registry (sources/kinds/, correlate/load/)', () => {
    // each kind's sniff, peek, span and load live in its own files; a comparison with a kind name elsewhere is a switch
    // a new kind would have to be added to
    const LEFT: Record<string, string> = {
      // the model cannot import the registry: snapshots and rulesets (points in time) do not end the evidence
      'model/evidence-end.ts': 'iptables conntrack',
      // the logs command takes the keepalived.conf files among its inputs: one kind used, not a dispatch over kinds
      'commands/logs.ts': 'keepalived-conf',
    };
    const found: Record<string, string> = {};
    for (const f of files(SRC)) {
      const rel = path.relative(SRC, f);
      const hits = [...readFileSync(f, 'utf8').matchAll(/\bkind\s*[!=]==\s*'(capture|conntrack|syslog|keepalived-conf|firewall|iptables)'/g)].map((m) => m[1]);
      if (hits.length) found[rel] = [...new Set(hits)].join(' ');
    }
    expect(found).toEqual(LEFT);
  });
});
