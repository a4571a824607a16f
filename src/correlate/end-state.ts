import type { HostEndState } from '../model/story.js';
import type { ExhaustionFinding, Finding, StateBand, TranslationFinding } from '../model/report.js';
import { verdictFor } from '../sources/config/packet-path.js';
import { PROTO } from '../sources/conntrack/entry.js';
import type { RuleSnapshot } from './findings.js';

/** worst first: the status a host with several findings shows */
const ORDER: HostEndState['status'][] = ['still-translating', 'entry-idle', 'rules-still-translate', 'reverted', 'table-full', 'fixed', 'untranslated'];

/**
 * Where each host stood when the evidence ends: keepalived's state, and whether its adverts still leave translated,
 * its translated entry sits idle (reused if its adverts are tracked again before it expires), its rules would
 * translate the next new entry, or it is fixed — so the verdict gives a fix for every host that still needs one, and
 * none for a host already fixed.
 */
export function hostEndStates(findings: Finding[], bands: StateBand[], rules: RuleSnapshot[], hosts: string[]): HostEndState[] {
  const names = new Set<string>([...hosts, ...bands.map((b) => b.host)]);
  for (const f of findings) if ((f.kind === 'vrrp-source-translated' || f.kind === 'conntrack-exhaustion') && f.router) names.add(f.router);
  return [...names].sort().map((host) => {
    const mine = findings.filter((f): f is TranslationFinding | ExhaustionFinding => f.router === host && (f.kind === 'vrrp-source-translated' || f.kind === 'conntrack-exhaustion'));
    const newest = rules.filter((r) => r.host === host).at(-1);
    const per = mine.map((f) => statusOf(f, newest));
    const worst = per.sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status))[0];
    const out: HostEndState = {
      host, keepalived: keepalivedAtEnd(host, bands), status: worst?.status ?? 'untranslated', needsFix: per.some((p) => p.needsFix), findings: mine.map((f) => f.id),
    };
    if (worst?.idleUntil !== undefined) out.entryIdleUntil = worst.idleUntil;
    const translation = mine.find((f): f is TranslationFinding => f.kind === 'vrrp-source-translated');
    if (newest && translation?.originalSource) {
      out.rules = { file: newest.file, decision: verdictFor(newest.rules, advertOf(translation)).decision };
    }
    return out;
  });
}

function advertOf(f: TranslationFinding): { src: string; dst: string; proto: number } {
  const c = f.conntrack;
  return { src: f.originalSource!, dst: c?.original.dst ?? '224.0.0.18', proto: c?.original.protocol ?? PROTO.VRRP };
}

function statusOf(f: TranslationFinding | ExhaustionFinding, newest: RuleSnapshot | undefined): { status: HostEndState['status']; needsFix: boolean; idleUntil?: bigint } {
  if (f.kind === 'conntrack-exhaustion') return { status: 'table-full', needsFix: true };
  const life = f.conntrack?.life;
  const idleUntil = life?.state === 'idle' ? life.expiresAt : undefined;
  const decision = newest && f.originalSource ? verdictFor(newest.rules, advertOf(f)).decision : null;
  // no advert seen reverting (its router fell silent) but the entry ended: the next entry follows the rules in force
  const reverted = f.revertedAt !== null || life?.state === 'ended';
  if (!reverted) {
    // the adverts still leave translated, or would the moment their router advertises again through the idle entry
    if (life?.state === 'idle') return { status: 'entry-idle', needsFix: decision !== 'untracked', idleUntil };
    return { status: 'still-translating', needsFix: true };
  }
  if (decision === 'untracked') return { status: 'fixed', needsFix: false, ...(idleUntil !== undefined ? { idleUntil } : {}) };
  if (decision === 'translated') return { status: 'rules-still-translate', needsFix: true };
  // exempt from SNAT: holds for new entries only — an idle translated entry is reused by the next tracked advert
  if (life?.state === 'idle') return { status: 'entry-idle', needsFix: true, idleUntil };
  if (decision === null) return { status: 'reverted', needsFix: true };
  return { status: 'fixed', needsFix: false };
}

function keepalivedAtEnd(host: string, bands: StateBand[]): string | null {
  const mine = bands.filter((b) => b.host === host);
  if (!mine.length) return null;
  const open = mine.filter((b) => b.end === null);
  if (open.length) return open.sort((a, b) => (a.start < b.start ? 1 : -1))[0].state;
  return 'STOPPED';
}
