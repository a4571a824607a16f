import type { Finding, SplitBrainFinding, TranslationFinding } from '../model/report.js';
import type { FlowHistory } from '../model/conntrack.js';
import type { Ruleset } from '../sources/config/firewall.js';
import { carpTranslations } from './findings/carp.js';
import { masterChanges } from './findings/master-change.js';
import { resignations } from './findings/resignation.js';
import { splitBrains } from './findings/split-brain.js';
import { storms } from './findings/storm.js';
import { conntrackTranslations } from './findings/translation-conntrack.js';
import { peerLogTranslations } from './findings/translation-peer-log.js';
import { wireTranslations } from './findings/translation-wire.js';
import type { LogDetector } from './states.js';
import type { Topology } from './topology.js';
import type { WireDetector } from './wire.js';

/** A saved ruleset and when it was true (its "Generated … on" line, else the file's mtime). */
export interface RuleSnapshot {
  host: string | null;
  file: string;
  at: bigint;
  rules: Ruleset;
}

export interface FindingInputs {
  topo: Topology;
  wire: WireDetector;
  logs: LogDetector;
  flows: (FlowHistory & { host: string | null; text?: string })[];
  /** in time order */
  rules: RuleSnapshot[];
  hasLogsFor: (vrid: number) => boolean;
  /** findings of causes other than NAT (conntrack exhaustion), built apart, numbered with the rest */
  extra?: Finding[];
  /** more of the story told from the translations once built (their entry's life, birth cause, contradictions) */
  story?: (translated: TranslationFinding[]) => Finding[];
  /** findings that stand where no other finding accounts for an event (an unplanned failover), given all the others */
  unexplained?: (built: readonly Finding[]) => Finding[];
}

/**
 * Every finding, in time order, ids F1…: each kind built by its own module (correlate/findings/), then numbered and
 * linked by id. No words: report/finding-words.ts writes them.
 */
export function buildFindings(x: FindingInputs): Finding[] {
  const wireSeen = wireTranslations(x);
  // each source alone can prove a translation: a conntrack entry, a peer's log — where no capture showed it
  const translated = [...wireSeen.findings];
  // a protocol 112 entry the captures show to be CARP's is explained by the CARP finding, not a VRRP one
  const carp = carpTranslations(x);
  translated.push(...conntrackTranslations(x, [...translated, ...carp]));
  translated.push(...peerLogTranslations(x, translated));
  const causes = new Map<SplitBrainFinding, TranslationFinding[]>();
  const splits = splitBrains(x, translated, causes, wireSeen.aliases);
  const story = x.story?.(translated) ?? [];
  const all: Finding[] = [...translated, ...splits, ...storms(x), ...masterChanges(x, wireSeen.aliases), ...resignations(x), ...carp, ...(x.extra ?? []), ...story];
  all.push(...(x.unexplained?.(all) ?? []));
  const at = (f: Finding) => ('firstSeen' in f ? f.firstSeen : undefined) ?? ('start' in f ? f.start : undefined) ?? 0n;
  all.sort((a, b) => (rank(a) - rank(b)) || (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
  all.forEach((f, i) => (f.id = `F${i + 1}`));
  // ids are known only now: a split brain names its causes, and each cause what it led to
  for (const [split, all] of causes) {
    split.causedBy = all[0].id;
    if (all.length > 1) split.alsoCausedBy = all.slice(1).map((c) => c.id);
    for (const cause of all) {
      if (cause.election !== 'split-brain') cause.electionBeforeSplit = cause.election;
      cause.election = 'split-brain';
      if (!cause.led?.includes(split.id)) (cause.led ??= []).push(split.id);
    }
  }
  return all;
}

function rank(f: Finding): number {
  return f.severity === 'critical' ? 0 : f.severity === 'warning' ? 1 : 2;
}
