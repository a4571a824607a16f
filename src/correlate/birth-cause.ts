import type { BirthCause, RulesetShift } from '../model/story.js';
import { verdictFor } from '../sources/config/packet-path.js';
import { PROTO } from '../sources/conntrack/entry.js';
import type { FlowHistory } from '../model/conntrack.js';
import type { RuleSnapshot } from './findings.js';
import { rulesetChange } from './ruleset-diff.js';

const SEC = 1_000_000_000n;
/** the untranslated entry must have ended at most this long before the translated one was born (a few adverts) */
const BEFORE = 5n * SEC;
/** event times are exact; a birth stamped a little before the destruction's line is the same moment */
const SLACK = 100_000_000n;
/** one command's destructions: within a millisecond of each other */
const SAME_COMMAND = 1_000_000n;

export type HostFlow = FlowHistory & { host: string | null };

/** The translated entry's birth: its flow and when. */
export interface Born {
  host: string | null;
  protoNum: number;
  src: string;
  dst: string;
  at: bigint;
}

/**
 * What let a translated entry be born: the untranslated entry of the same flow (same protocol, source and
 * destination, on the same host) destroyed just before — by a user command (`[DESTROY] … [USERSPACE]`: conntrack -D,
 * conntrack -F, a reload script) or by expiry. Without that ending, the old entry would have kept the adverts
 * untranslated whatever the rules said.
 */
export function birthCause(flows: HostFlow[], born: Born): BirthCause | null {
  const prior = flows.filter((f) => f.protoNum === born.protoNum && f.orig.src === born.src && f.orig.dst === born.dst && f.host === born.host &&
    f.nat.kind === 'none' && f.destroyed?.at !== undefined && f.destroyed.at <= born.at + SLACK && born.at - f.destroyed.at <= BEFORE)
    .sort((a, b) => (a.destroyed!.at! < b.destroyed!.at! ? 1 : -1));
  const p = prior[0];
  if (!p) return null;
  const d = p.destroyed!;
  const at = d.at!;
  const sameCommand = flows.filter((f) => (f.protoNum === PROTO.VRRP || f.protoNum === PROTO.AH) && f.host === born.host && f.destroyed?.at !== undefined && f.destroyed.byUser === d.byUser &&
    (f.destroyed.at > at ? f.destroyed.at - at : at - f.destroyed.at) <= SAME_COMMAND).length;
  return {
    kind: d.byUser ? 'user-deletion' : 'expiry',
    destroyed: { file: d.file, line: d.line, at, ...(d.byUser ? { byUser: d.byUser } : {}) },
    previousReplyDst: p.reply.dst, sameCommand, gapNs: born.at - at,
  };
}

/**
 * The saved ruleset in force when the entry was born (the newest snapshot no later than the birth) and the first later
 * snapshot whose verdict for the advert differs: the change between them, rule by rule. Null when no later snapshot
 * decides otherwise.
 */
export function rulesetShift(snapshots: RuleSnapshot[], born: Born): { inForce: RuleSnapshot; decision: string; shift: RulesetShift | null } | null {
  if (!snapshots.length) return null;
  const pkt = { src: born.src, dst: born.dst, proto: born.protoNum };
  const before = snapshots.filter((s) => s.at <= born.at);
  const inForce = before.at(-1) ?? snapshots[0];
  const decision = verdictFor(inForce.rules, pkt).decision;
  for (const s of snapshots.slice(snapshots.indexOf(inForce) + 1)) {
    const later = verdictFor(s.rules, pkt).decision;
    if (later === decision) continue;
    const diff = rulesetChange(inForce.rules, s.rules);
    return {
      inForce, decision,
      shift: { before: { file: inForce.file, at: inForce.at }, after: { file: s.file, at: s.at }, beforeDecision: decision, afterDecision: later, added: diff.added, removed: diff.removed },
    };
  }
  return { inForce, decision, shift: null };
}
