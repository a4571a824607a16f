import { clockOffsets } from '../clocks.js';
import type { Board, Detector } from './detector.js';

/** Each host's clock against the captures ("Entering MASTER STATE" vs its first advert on the wire). */
export const clockDetector = (): Detector => ({
  finish(board: Board) {
    board.clocks = clockOffsets(board.wire, board.logs);
  },
});
