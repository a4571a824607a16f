import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave, parseRuleset, type Rule } from '../../../src/sources/config/firewall.js';
import { isIptablesListing, parseIptablesListing } from '../../../src/sources/config/iptables-listing.js';
import { classifyContent } from '../../../src/sources/detect.js';
import { ROOT } from '../../helpers/capture.js';

// `iptables -t TABLE -nvL` as iptables 1.8.9 (nf_tables) printed it for the seed-snat sample's three recorded
// iptables-save steps, restored in a private network namespace (unshare -n), and for a crafted user chain
const DIR = path.join(ROOT, 'test/fixtures/iptables-listing');
const facts = (r: Rule) => ({ table: r.table, chain: r.chain, target: r.target, proto: r.proto, src: r.src, dst: r.dst, outIf: r.outIf, toSource: r.toSource, notrack: r.notrack, ctstates: r.ctstates, dstMulticast: r.dstMulticast, jump: r.jump, unknown: r.unknownMatches.length > 0 });

function saved(file: string, table: string): Rule[] {
  return parseIptablesSave(readFileSync(file, 'utf8')).rules.filter((r) => r.table === table);
}

describe('iptables -nvL listings', () => {
  const cases = readdirSync(DIR).filter((f) => f.endsWith('-nvL'));
  for (const f of cases) {
    it(`${f}: the same rules as the iptables-save it was listed from, cited by the listing's own lines`, () => {
      const text = readFileSync(path.join(DIR, f), 'utf8');
      const [, base, table] = /^(.*)\.(\w+)-nvL$/.exec(f)!;
      const source = base === 'user-chain' ? path.join(DIR, 'user-chain.save') : path.join(ROOT, 'samples/seed-snat/gw-a', base);
      const want = saved(source, table);
      const rs = parseRuleset(text);
      expect(isIptablesListing(text)).toBe(true);
      if (!want.length) {
        // a listing of empty chains gives no rules (and its table cannot be told from its chains alone: nothing is lost)
        expect(rs?.rules ?? []).toEqual([]);
        return;
      }
      expect(rs!.rules.map(facts)).toEqual(want.map(facts));
      const lines = text.split('\n');
      for (const r of rs!.rules) expect(lines[r.line - 1].trim()).toBe(r.text);
    });
  }

  it('is sniffed as a firewall ruleset, and is no iptables-save', () => {
    const text = readFileSync(path.join(DIR, 'iptables-save.1-naive-snat.nat-nvL'), 'utf8');
    expect(classifyContent('x', Buffer.from(text), false)).toMatchObject({ kind: 'firewall', format: 'iptables-save' });
    expect(parseIptablesListing('*nat\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n')).toBeNull();
  });
});
