import { evidenceEnd } from '../../model/evidence-end.js';
import type { Board, Detector } from './detector.js';

/** Where the evidence ends, taken once the stream's detectors have finished and before the side lines join the timeline. */
export const evidenceEndMark = (): Detector => ({
  finish(board: Board) {
    board.end = evidenceEnd(board.ctx.timeline.entries, [...board.ctx.summaries.values()]);
  },
});
