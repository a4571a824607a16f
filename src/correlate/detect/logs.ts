import type { Board, Detector } from './detector.js';

/** keepalived's log events of the stream, into the log state machine (states.ts: transitions, drops, stops). */
export function logDetector(board: Board): Detector {
  const { logs } = board;
  return {
    item(it) {
      if (it.ev) logs.event(it.ev, it.at, it.host);
    },
    finish: () => logs.finish(),
  };
}
