import { LinkWatch, linkDownFindings } from '../link-down.js';
import type { Board, Detector } from './detector.js';

/** A link going down (keepalived's netlink lines, the kernel's link lines): a cause other than NAT. */
export function linkDownDetector(): Detector {
  const links = new LinkWatch();
  return {
    item(it) {
      if (it.ev) links.event(it.ev, it.at, it.host);
    },
    finish(board: Board) {
      board.linkDowns = linkDownFindings(links.events, board.logs.transitions, board.ctx.side);
    },
  };
}
