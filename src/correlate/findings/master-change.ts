import { transitionEvidence } from '../cite.js';
import type { MasterChangeFinding, Transition } from '../../model/report.js';
import type { FindingInputs } from '../findings.js';
import { SEC } from './util.js';

/** 6: ordinary master changes (info) — from the logs where a host logged them, else from who advertised. */
export function masterChanges(x: FindingInputs, aliases: Map<string, string>): MasterChangeFinding[] {
  const out: MasterChangeFinding[] = [];
  for (const tr of x.logs.transitions) {
    if (tr.to !== 'MASTER') continue;
    out.push(changeFinding(tr));
  }
  for (const wc of x.wire.changes) {
    if (x.hasLogsFor(wc.vrid)) continue;
    const alias = (id: string) => aliases.get(`${wc.file}|${wc.vrid}|${id}`) ?? id;
    const c = { ...wc, from: alias(wc.from), to: alias(wc.to) };
    // from a router to itself under its translated address: no change of master
    if (c.from === c.to) continue;
    const f: MasterChangeFinding = {
      id: '', kind: 'master-change', severity: 'info', vrid: c.vrid, router: c.to, start: c.at, end: null,
      evidence: [c.evidence, ...(c.lastOfOld ? [c.lastOfOld] : [])],
      ...(c.rule ? { changeRule: c.rule } : {}),
      ...(c.fromPriority !== undefined ? { fromPriority: c.fromPriority } : {}),
      ...(c.toPriority !== undefined ? { toPriority: c.toPriority } : {}),
      seen: { by: 'wire', from: c.from, to: c.to },
    };
    out.push(f);
  }
  return capChanges(dedupeChanges(out));
}

/** Info findings listed at most; a flapping pair can change master 10,000s of times, and that is one fact. */
const MAX_CHANGES = 400;

function capChanges(fs: MasterChangeFinding[]): MasterChangeFinding[] {
  if (fs.length <= MAX_CHANGES) return fs;
  fs.sort((a, b) => (a.start < b.start ? -1 : 1));
  const head = fs.slice(0, MAX_CHANGES / 2);
  const tail = fs.slice(-MAX_CHANGES / 2);
  const mid = fs.slice(MAX_CHANGES / 2, -MAX_CHANGES / 2);
  const gap: MasterChangeFinding = {
    id: '', kind: 'master-change', severity: 'info', vrid: null, router: null, start: mid[0].start, end: mid.at(-1)!.start,
    evidence: [mid[0].evidence[0], mid.at(-1)!.evidence[0]],
    seen: { by: 'flapping', omitted: mid.length, total: fs.length },
  };
  return [...head, gap, ...tail];
}

function changeFinding(tr: Transition): MasterChangeFinding {
  return {
    id: '', kind: 'master-change', severity: 'info', vrid: null, router: tr.host, start: tr.at, end: null,
    ...(tr.reason ? { reason: tr.reason } : {}),
    transitions: [tr],
    evidence: [transitionEvidence({ ...tr, to: 'MASTER' }), ...(tr.reasonEvidence ?? [])],
    seen: { by: 'log', host: tr.host, instance: tr.instance },
  };
}

/**
 * The same wire change seen in two captures is one change. Only wire changes of one vrid and router can be the same:
 * each is looked for among those (a flapping pair's 10,000 logged changes were compared with each other, pair by pair).
 */
function dedupeChanges(fs: MasterChangeFinding[]): MasterChangeFinding[] {
  const seen: MasterChangeFinding[] = [];
  // vrid → router → its wire changes kept (maps, not a joined key: a host may be named "null")
  const wire = new Map<number | null, Map<string | null, MasterChangeFinding[]>>();
  for (const f of fs) {
    if (f.seen.by !== 'wire') {
      seen.push(f);
      continue;
    }
    let byRouter = wire.get(f.vrid);
    if (!byRouter) wire.set(f.vrid, (byRouter = new Map()));
    const same = byRouter.get(f.router);
    const dup = same?.find((s) => (s.start > f.start ? s.start - f.start : f.start - s.start) < SEC);
    if (dup) dup.evidence.push(...f.evidence);
    else {
      seen.push(f);
      if (same) same.push(f);
      else byRouter.set(f.router, [f]);
    }
  }
  return seen;
}
