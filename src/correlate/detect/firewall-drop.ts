import { firewallDropFindings } from '../firewall-drop.js';
import type { Board, Detector } from './detector.js';

/** A saved firewall rule dropping the master's adverts when a host took over on the timeout: a cause other than NAT. */
export const firewallDropDetector = (): Detector => ({
  finish(board: Board) {
    const { ctx, logs } = board;
    board.dropped = firewallDropFindings({ transitions: logs.transitions, timeline: ctx.timeline.entries, topo: ctx.topo, rules: ctx.rules });
  },
});
