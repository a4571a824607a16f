import type { ConntrackCause, RuleChangeEffect } from '../../model/report.js';
import type { FlowHistory } from '../../model/conntrack.js';
import { verdictFor } from '../../sources/config/packet-path.js';
import { PROTO } from '../../sources/conntrack/entry.js';
import type { FindingInputs } from '../findings.js';
import { SEC } from './util.js';

/** 2: the conntrack entry behind the translation, when it was born, the rule in force then, and why it persists. */
export function conntrackCause(x: FindingInputs, original: string, translated: string, router: string | null, firstSeen: bigint, lastSeen: bigint): ConntrackCause | null {
  const lives = x.flows.filter((f) => (f.protoNum === PROTO.VRRP || f.protoNum === PROTO.AH) && f.orig.src === original && f.nat.translatedSource === translated);
  if (!lives.length) return null;
  // the life that was alive at the first translated advert: born before it (+1 s for delta-time resolution), latest such
  const bornAt = (f: FlowHistory) => f.born?.at ?? f.first.at;
  const candidates = lives.filter((f) => bornAt(f) === undefined || bornAt(f)! <= firstSeen + 2n * SEC);
  const life = (candidates.length ? candidates : lives).sort((a, b) => Number((bornAt(b) ?? 0n) - (bornAt(a) ?? 0n)))[0];
  const b = life.born;
  let relation = 'unknown';
  if (b) {
    const lo = (b.earliest ?? b.at) - (b.from === 'event' ? 100_000_000n : 0n);
    // a ktimestamp ctime is a whole second: an advert in that second was born with it, not after
    const wholeSecond = b.from === 'ktimestamp' && b.earliest === b.at;
    const hi = b.at + (wholeSecond ? SEC : 100_000_000n);
    if (b.from !== 'bounds' && firstSeen >= lo - SEC / 10n && firstSeen <= hi) relation = 'born-with-first-advert';
    else if (b.at < firstSeen) relation = b.from === 'bounds' ? 'born-no-later-than-first-sighting' : 'born-earlier';
    else relation = 'born-later';
  }
  const from = b ? ({ event: 'event', ktimestamp: 'ktimestamp', 'delta-time': 'delta-time', 'destroy-lifetime': 'delta-time', bounds: 'estimate' } as const)[b.from] : null;
  const cite = b ?? life.first;
  const c: ConntrackCause = {
    file: cite.file, line: cite.line, text: life.text ?? '',
    original: { src: life.orig.src, dst: life.orig.dst, protocol: life.protoNum },
    reply: { src: life.reply.src, dst: life.reply.dst },
    createdAt: b?.at ?? null, createdAtFrom: from, relation,
    lastSeen: { file: life.last.file, line: life.last.line, at: life.last.at ?? null },
  };
  if (b?.detail) c.createdAtDetail = b.detail;
  if (b && b.from !== 'bounds') c.relationPrecision = b.from === 'event' || b.earliest === undefined ? 'exact' : 'second';
  if (life.destroyed) c.destroyed = destroyedOf(life.destroyed);
  c.persistence = life.staleness !== undefined ? { kind: 'reader', stale: life.staleness } : { kind: 'refreshed', timeoutS: life.timeoutS };
  // deleting the entry while the rule still matches only makes the next advert create it again, translated the same way
  const renewals = lives.filter((f) => f !== life && f.key === life.key && bornAt(f) !== undefined && life.destroyed?.at !== undefined &&
    bornAt(f)! >= life.destroyed.at && bornAt(f)! <= lastSeen).sort((a, b) => Number(bornAt(a)! - bornAt(b)!));
  if (renewals.length && life.destroyed) {
    c.renewals = renewals.map((f) => {
      const cite = f.born ?? f.first;
      return { file: cite.file, line: cite.line, at: bornAt(f) ?? null, ...(f.destroyed ? { destroyed: destroyedOf(f.destroyed) } : {}) };
    });
    const next = renewals[0];
    const end = renewals.at(-1)!.destroyed;
    c.persistence = {
      kind: 'renewed', deleted: { file: life.destroyed.file, line: life.destroyed.line }, gapNs: bornAt(next)! - life.destroyed.at!,
      next: { file: (next.born ?? next.first).file, line: (next.born ?? next.first).line }, times: renewals.length,
      ...(end ? { end: { file: end.file, line: end.line, byUser: Boolean(end.byUser) } } : {}),
    };
  }
  const snaps = x.rules.filter((r) => r.host === router);
  if (snaps.length) {
    const pkt = { src: original, dst: life.orig.dst, proto: life.protoNum };
    const at = b?.at ?? firstSeen;
    // "Generated … on" has 1 s resolution: a snapshot stamped in the second of the birth counts as before it
    const before = snaps.filter((s) => s.at <= at);
    const inForce = before.at(-1) ?? snaps[0];
    const v = verdictFor(inForce.rules, pkt);
    if (v.rule) c.rule = { file: inForce.file, line: v.rule.line, text: v.rule.text, decision: v.decision };
    c.ruleChanges = [];
    for (const s of snaps.slice(snaps.indexOf(inForce) + 1)) {
      const w = verdictFor(s.rules, pkt);
      // auth_type AH: the adverts are protocol 51, and rules written for `-p vrrp` do not see them
      const vrrpOnly = life.protoNum === PROTO.AH && w.decision === 'translated' && verdictFor(s.rules, { ...pkt, proto: PROTO.VRRP }).decision !== 'translated';
      const effect: RuleChangeEffect = vrrpOnly || w.decision === 'translated' ? { kind: 'still-translates', ahOnly: vrrpOnly }
        : s.at < lastSeen ? { kind: 'too-late', untracked: w.decision === 'untracked', ruleLine: w.rule?.line ?? null, until: lastSeen }
          : { kind: 'from-here', ruleLine: w.rule?.line ?? null };
      c.ruleChanges.push({ file: s.file, line: w.rule?.line ?? null, at: s.at, decision: w.decision, effect });
    }
  }
  return c;
}

/** A flow's end as the report states it (null, not undefined, for an unknown time). */
function destroyedOf(d: NonNullable<FlowHistory['destroyed']>): NonNullable<ConntrackCause['destroyed']> {
  return { file: d.file, line: d.line, at: d.at ?? null, ...(d.byUser ? { byUser: d.byUser } : {}) };
}

