import type { TimelineEntry } from '../../model/report.js';
import { readWhole, statInput } from '../../sources/archive/members.js';
import { parseDateLine, timeFromName } from '../../sources/conntrack/dump-time.js';
import { generatedOnToNs, natRules, parseRuleset } from '../../sources/config/firewall.js';
import type { RuleSnapshot } from '../findings.js';
import { rulesetChange } from '../ruleset-diff.js';
import type { Loader } from './loader.js';

/** Saved rulesets: SNAT targets, and which rule was in force when (each snapshot on the timeline, as a diff). */
export const loadFirewall: Loader = {
  async load(inputs, ctx) {
    const saved = new Map<string, TimelineEntry>();
    for (const p of inputs) {
      const s = ctx.summary(p, p.format ?? null);
      const toEpochMs = ctx.clockOf(p.host);
      try {
        // a file, or a member of an archive read in place (whose time is its bundle's collection time)
        const st = await statInput(p.path);
        const text = (await readWhole(p.path, 64 * 1024 * 1024)).toString('utf8');
        const rs = parseRuleset(text);
        if (!rs) throw new Error('no ruleset found');
        s.records = rs.rules.length;
        // when it was saved: iptables-save's own header, a `date` line an operator put first, a time in the file's name,
        // and only then its mtime (weak: copying or a git checkout changes it)
        const gen = rs.generatedOn ? generatedOnToNs(rs.generatedOn, toEpochMs) : null;
        if (gen !== null) s.zone = ctx.zoneOf(p.host);
        const firstLine = text.split('\n', 1)[0];
        const dated = firstLine.startsWith('#') ? null : parseDateLine(firstLine);
        const named = gen === null && dated === null ? timeFromName(p.path) : null;
        const at = gen ?? dated ?? named ?? BigInt(Math.floor(st.mtimeMs)) * 1_000_000n;
        if (gen === null) s.notes = [{ kind: 'saved-at', from: dated !== null ? 'first-line' : named !== null ? 'file-name' : 'mtime' }];
        s.first = s.last = at;
        ctx.rules.push({ host: p.host, file: p.path, at, rules: rs });
        for (const r of rs.rules) {
          if (r.target === 'SNAT' && r.toSource && p.host) {
            const addr = r.toSource.split(/[-:]/)[0];
            ctx.topo.addTranslated(addr, { router: p.host, learned: { how: 'firewall', evidence: { file: p.path, locator: `line ${r.line}`, at, text: r.text } } });
          }
        }
        saved.set(p.path, ctx.timeline.add({ at, host: p.host, source: 'config', kind: 'ruleset', fact: { kind: 'ruleset', rules: rs.rules.length, nat: natRules(rs).map((r) => r.text) }, file: p.path, locator: 'line 1' }));
      } catch (err) {
        ctx.problems(s, [], err as Error);
      }
    }
    // snapshots in time order; equal or unknown times keep the order of their names (iptables-save.1, .2, …)
    ctx.rules.sort((a, b) => (a.at === b.at ? a.file.localeCompare(b.file, undefined, { numeric: true }) : a.at < b.at ? -1 : 1));
    const previous = new Map<string | null, RuleSnapshot>();
    for (const r of ctx.rules) {
      const e = saved.get(r.file);
      if (e) {
        e.change = rulesetChange(previous.get(r.host)?.rules ?? null, r.rules);
      }
      previous.set(r.host, r);
    }
  },
};
