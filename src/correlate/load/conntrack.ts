import type { Evidence } from '../../model/report.js';
import { ConntrackHistory } from '../../sources/conntrack/history.js';
import { readConntrack, VRRP_OR_AH, VRRP_OR_AH_LINE } from '../../sources/conntrack/reader.js';
import type { Loader } from './loader.js';

/** conntrack: only VRRP and AH entries are kept (everything else is counted by the reader); translated flows teach the topology. */
export const loadConntrack: Loader = {
  async load(inputs, ctx) {
    const ctime = ctx.clockOf(null);
    const history = new ConntrackHistory({ genericTimeout: ctx.opts.genericTimeout, ctimeToEpochMs: (y, mo, d, H, M, S) => ctime({ year: y, month: mo, day: d, hour: H, minute: M, second: S }) });
    const texts = new Map<string, string>();
    const flowHost = new Map<string, string | null>();
    for (const p of inputs) {
      const it = readConntrack(p.path, { at: ctx.opts.at, prefilter: VRRP_OR_AH_LINE, protocols: VRRP_OR_AH });
      let step = await it.next();
      const s = ctx.summary(p, null);
      while (!step.done) {
        for (const e of step.value) {
          if (!VRRP_OR_AH(e.protoNum)) continue;
          s.records++;
          if (e.observedAt !== undefined) ctx.seen(s, e.observedAt);
          history.add(e);
          texts.set(`${e.file}:${e.line}`, e.text);
          flowHost.set(e.file, p.host);
        }
        step = await it.next();
      }
      s.format = step.value.format;
      const dump = step.value.dumpTime;
      if (s.records === 0 && dump && !step.value.format?.startsWith('conntrack -E')) {
        // a snapshot without VRRP is evidence too: no VRRP flow was tracked on this host at that moment
        ctx.seen(s, dump.ns);
        s.notes = [{ kind: 'snapshot-without-vrrp', entries: step.value.entries }];
      }
      ctx.problems(s, step.value.problems, step.value.error);
    }
    const { topo, timeline } = ctx;
    ctx.flows = history.flows().map((f) => ({ ...f, host: flowHost.get(f.first.file) ?? null, text: texts.get(`${(f.born ?? f.first).file}:${(f.born ?? f.first).line}`) }));
    for (const f of ctx.flows) {
      const T = f.nat.translatedSource;
      if (!T || f.nat.kind === 'dnat' || f.nat.kind === 'none') continue;
      const cite = f.born ?? f.first;
      const ev: Evidence = { file: cite.file, locator: `line ${cite.line}`, at: f.born?.at ?? f.first.at ?? null, text: texts.get(`${cite.file}:${cite.line}`) ?? '' };
      if (f.host) topo.addAddress(f.host, f.orig.src, { how: 'conntrack', evidence: ev });
      topo.addTranslated(T, { original: f.orig.src, router: f.host ?? topo.ownerOf(f.orig.src), learned: { how: 'conntrack', evidence: ev } });
      const flow = { kind: 'flow', protocol: f.protoName, src: f.orig.src, dst: f.orig.dst, leavesAs: T } as const;
      if (f.born) timeline.add({ at: f.born.at, host: f.host, source: 'conntrack', kind: 'conntrack-born', fact: { ...flow, event: 'born', from: f.born.from }, file: f.born.file, locator: `line ${f.born.line}` });
      if (f.destroyed?.at !== undefined) {
        const by = f.destroyed.byUser ? { byUser: f.destroyed.byUser } : {};
        timeline.add({ at: f.destroyed.at, host: f.host, source: 'conntrack', kind: 'conntrack-destroyed', fact: { ...flow, event: 'destroyed', ...by }, file: f.destroyed.file, locator: `line ${f.destroyed.line}` });
      }
    }
  },
};
