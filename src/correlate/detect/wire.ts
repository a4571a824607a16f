import type { Board, Detector } from './detector.js';

/** The capture records of the stream, into the wire's state machine (wire.ts: runs, senders, splits, storms). */
export function wireDetector(board: Board): Detector {
  const { wire } = board;
  return {
    item(it) {
      const rec = it.rec;
      if (!rec) return;
      if (rec.kind === 'vrrp') wire.advert(rec, it.at, it.host);
      else if (rec.kind === 'carp') wire.carp(rec, it.at, it.host);
      else wire.garp(rec, it.at, it.host);
    },
    finish: () => wire.finish(),
  };
}
