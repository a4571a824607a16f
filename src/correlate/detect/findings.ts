import { conntrackStory, linkQuestions } from '../conntrack-story.js';
import { linkDeaf } from '../deaf-takeover.js';
import { linkExhaustion } from '../exhaustion.js';
import { linkFirewallDrops } from '../firewall-drop.js';
import { linkOutranked } from '../outranked.js';
import { buildFindings } from '../findings.js';
import { unexplainedTakeovers } from '../unexplained-takeover.js';
import { vipClaims } from '../vip-claim.js';
import type { Board, Detector } from './detector.js';

/**
 * The findings: translations, split brains, storms, master changes (findings.ts), numbered with the causes found
 * apart, each translation's story told (conntrack-story.ts), and the links between them (caused by, led to).
 */
export const findingsDetector = (): Detector => ({
  finish(board: Board) {
    const { ctx, wire, logs } = board;
    const { topo, flows, rules, timeline, logVrids } = ctx;
    const findings = buildFindings({
      topo, wire, logs, flows, rules, hasLogsFor: (v) => logVrids.has(v) || (logVrids.size === 0 && logs.transitions.length > 0),
      extra: [...board.exhausted, ...board.linkDowns, ...board.dropped, ...board.deaf, ...board.outranked],
      story: (translated) => conntrackStory(translated, { flows, rules, stops: logs.stops, end: board.end, timeline }),
      unexplained: (built) => [
        ...unexplainedTakeovers({ transitions: logs.transitions, timeline: timeline.entries, topo, built }),
        ...vipClaims({ transitions: logs.transitions, stops: logs.stops, timeline: timeline.entries, topo, senders: wire.groups(), built }),
      ],
    });
    linkExhaustion(findings);
    linkQuestions(findings);
    linkDeaf(findings);
    linkFirewallDrops(findings);
    linkOutranked(findings);
    board.findings = findings;
  },
});
