import { exhaustionFindings, sideTimeline } from '../exhaustion.js';
import type { Board, Detector } from './detector.js';

/** Conntrack exhaustion: the kernel's "table full" and keepalived's "send advert error" lines, onto the timeline and as findings. */
export const exhaustionDetector = (): Detector => ({
  finish(board: Board) {
    for (const e of sideTimeline(board.ctx.side)) board.ctx.timeline.add(e);
    board.exhausted = exhaustionFindings(board.ctx.side, board.logs.transitions);
  },
});
