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
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.[^'"]+)\1/g)].map((m) => m[2]);
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
  report: ['sources', 'correlate', 'batch', 'commands', 'cli'],
  // batch drives the engine and the renderers; the commands drive batch
  batch: ['commands', 'cli'],
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
      const hits = kindSwitches(readFileSync(f, 'utf8'));
      if (hits.length) found[path.relative(SRC, f)] = [...new Set(hits)].join(' ');
    }
    expect(found).toEqual(LEFT);
  });

  it('the kind scan sees a comparison either way round and a switch over a kind, not a switch over something else', () => {
    expect(kindSwitches(`if ('syslog' === p.kind) x(); if (i.kind !== 'capture') y();`)).toEqual(['syslog', 'capture']);
    expect(kindSwitches(`switch (p.kind) {\n case 'conntrack': { a(); break; }\n case 'iptables': b(); }`)).toEqual(['conntrack', 'iptables']);
    expect(kindSwitches(`switch (from) { case 'syslog': return 'its syslog hostname'; }`)).toEqual([]);
  });

  // Facts cross the layers as types: no module reads back words another module wrote. Above the readers every caption,
  // summary, note, message, reason or text is someone else's words (or a raw line a reader already parsed into
  // fields); in sources/ a record's `text` and a frame's `message` are the raw line the reader itself is parsing, so
  // there only the worded fields are barred.
  const READ_BACK: Record<string, string[]> = {
    model: READ_BACK_ALL,
    sources: ['summary', 'note', 'reason', 'caption'],
    correlate: READ_BACK_ALL,
    report: READ_BACK_ALL,
    batch: READ_BACK_ALL,
    commands: READ_BACK_ALL,
    cli: READ_BACK_ALL,
  };
  const READ_BACK_LEFT: Record<string, string[]> = {
    // oclif's own exit error, known by its message (a library's words, not a module of ours)
    'cli/base.ts': ["err.message.startsWith("],
  };
  it('the read-back scan covers every folder of src/', () => {
    expect(readdirSync(SRC, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()).toEqual(Object.keys(READ_BACK).sort());
  });
  for (const [layer, fields] of Object.entries(READ_BACK)) {
    it(`src/${layer} runs no regex or string search over ${fields.join(', ')}`, () => {
      const found: Record<string, string[]> = {};
      for (const f of files(path.join(SRC, layer))) {
        const hits = readsBack(readFileSync(f, 'utf8'), fields);
        if (hits.length) found[path.relative(SRC, f)] = hits;
      }
      expect(found).toEqual(Object.fromEntries(Object.entries(READ_BACK_LEFT).filter(([f]) => f.startsWith(`${layer}/`))));
    });
  }

  it('the read-back scan sees a search on a field or over it, and leaves a reader matching its own raw line alone', () => {
    const sample = [
      `if (f.summary.match(/timeout/)) x();`,
      `const hot = /dropped/.test(t.reason?.text ?? '');`,
      `if (ev.caption?.startsWith('first')) y();`,
      `if (REASON.exec(e.note)) z();`,
      `if (line.includes('VRRP_Instance')) w();`,
      `if (TABLE_FULL.test(f.message)) v();`,
      `const at = e.text.indexOf(' src=');`,
      `if (t.reason === 'advert timeout') u();`,
      `switch (f.summary) { default: }`,
      `if (s.note !== undefined && n.caption) t();`,
    ].join('\n');
    expect(readsBack(sample, READ_BACK_ALL)).toEqual(['f.summary.match(', '/dropped/.test(t.reason?.text', 'ev.caption?.startsWith(', 'REASON.exec(e.note', 'TABLE_FULL.test(f.message', 'e.text.indexOf(', "t.reason === '", 'switch (f.summary)']);
    expect(readsBack(sample, READ_BACK.sources)).toEqual(['f.summary.match(', '/dropped/.test(t.reason?.text', 'ev.caption?.startsWith(', 'REASON.exec(e.note', "t.reason === '", 'switch (f.summary)']);
  });
});

/** The input kind names compared with a `kind` (either way round) or used as a case of a switch over a `kind`. */
function kindSwitches(text: string): string[] {
  const KINDS = '(capture|conntrack|syslog|keepalived-conf|firewall|iptables)';
  const hits = [...text.matchAll(new RegExp(`\\bkind\\s*[!=]==\\s*'${KINDS}'|'${KINDS}'\\s*[!=]==\\s*[\\w$.?]*\\bkind\\b`, 'g'))].map((m) => m[1] ?? m[2]);
  for (const sw of text.matchAll(/\bswitch\s*\([^)]*\bkind\s*\)\s*\{/g)) {
    hits.push(...[...block(text, sw.index + sw[0].length).matchAll(new RegExp(`\\bcase\\s+'${KINDS}'`, 'g'))].map((m) => m[1]));
  }
  return hits;
}

/** The text from `start` (just inside a `{`) to its matching `}`. */
function block(text: string, start: number): string {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(start, i);
  }
  return text.slice(start);
}

const READ_BACK_ALL = ['summary', 'note', 'reason', 'caption', 'message', 'text'];

/**
 * Each string search or regex over one of `fields`: `x.field.match(`/`.test(`/`.includes(`/`.startsWith(`/`.indexOf(`
 * (and their kin) on the field, or `RE.test(x.field)`/`RE.exec(…)`/`s.includes(x.field)` over it, or the field compared
 * with a string literal or switched on.
 */
function readsBack(text: string, fields: string[]): string[] {
  const F = `(?:${fields.join('|')})`;
  const SEARCH = '(?:match|matchAll|test|exec|includes|startsWith|endsWith|indexOf|lastIndexOf|search)';
  const on = new RegExp(`[\\w$.?\\]]*\\.${F}\\??\\.${SEARCH}\\(`, 'g');
  const over = new RegExp(`[\\w$/\\]]*\\.${SEARCH}\\(\\s*[\\w$.?!\\]\\[]*\\.${F}\\b(?:\\?\\.[\\w$]+)*`, 'g');
  // a worded field compared with words, or switched on: the same read-back without a regex
  const cmp = new RegExp(`[\\w$.?\\]]*\\.${F}\\s*[!=]==?\\s*['\`]|['\`]\\s*[!=]==?\\s*[\\w$.?\\]]*\\.${F}\\b|\\bswitch\\s*\\([^)]*\\.${F}\\s*\\)`, 'g');
  return [...text.matchAll(on), ...text.matchAll(over), ...text.matchAll(cmp)].sort((a, b) => a.index - b.index).map((m) => m[0]);
}
