import { deafTakeovers } from '../deaf-takeover.js';
import type { Board, Detector } from './detector.js';

/** A host taking MASTER on an advert timeout while its own capture shows a higher-priority master's adverts. */
export const deafDetector = (): Detector => ({
  finish(board: Board) {
    const { logs, ctx } = board;
    board.deaf = deafTakeovers({ transitions: logs.transitions, rejections: logs.rejections, timeline: ctx.timeline.entries, topo: ctx.topo, exhaustion: board.exhausted });
  },
});
