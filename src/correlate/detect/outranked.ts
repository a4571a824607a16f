import { OutrankedWatch } from '../outranked.js';
import type { Board, Detector } from './detector.js';

/** A MASTER whose own capture holds a peer's adverts that outrank it while its keepalived never acts on them. */
export function outrankedDetector(board: Board): Detector {
  const watch = new OutrankedWatch(board.ctx.topo);
  return {
    item(it) {
      if (it.rec?.kind === 'vrrp') watch.advert(it.rec, it.at, it.host);
      else if (it.ev) watch.event(it.ev, it.at, it.host);
    },
    finish(b: Board) {
      b.outranked = watch.findings({ rejections: b.logs.rejections, flows: b.ctx.flows, rules: b.ctx.rules, deaf: b.deaf, transitions: b.logs.transitions });
    },
  };
}
