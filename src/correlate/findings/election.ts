import type { Transition } from '../../model/report.js';
import { dropOf, peerIn } from '../explain.js';
import type { FindingInputs } from '../findings.js';
import { SEC } from './util.js';

/**
 * What the transitions around a translation say about it: keepalived compares priorities first; the source address
 * decides only a tie, and a peer that drops the adverts (v3 checksum, AH, unicast peer check) never hears them.
 * Anything else would have gone the same way untranslated.
 */
export function electionEffect(x: FindingInputs, router: string | null, firstSeen: bigint, end: bigint): { transitions: Transition[]; elected: boolean; seenWrong: boolean } {
  const transitions = x.logs.transitions.filter((tr) => tr.at >= firstSeen - 5n * SEC && tr.at <= end + 10n * SEC);
  const after = transitions.filter((tr) => tr.host !== router && tr.at >= firstSeen);
  // a peer that dropped the adverts never heard them; a tie broken on a translated address went the other way
  const elected = after.some((tr) => dropOf(tr.reason) !== undefined || (tr.reason?.kind === 'tie-break' && peerIn(tr.reason)?.translated !== undefined));
  const seenWrong = !elected && after.some((tr) => peerIn(tr.reason)?.translated !== undefined);
  return { transitions, elected, seenWrong };
}
