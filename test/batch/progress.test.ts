import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/batch/progress.js';

const sink = () => {
  let text = '';
  const out = new Writable({ write(c, _e, cb) { text += c.toString(); cb(); } });
  return { out, text: () => text };
};

describe('Progress', () => {
  it('a bar redrawn in place on a TTY: items, bytes, rate, ETA; a newline at the end', () => {
    const s = sink();
    const p = new Progress('groups', 2, 2_000_000, 'tty', s.out);
    p.step(1_000_000);
    p.step(1_000_000);
    // eslint-disable-next-line no-control-regex -- the bar ends each redraw with ESC [ K
    expect(s.text()).toMatch(/^\r\[#{12}\.{12}\] groups 1\/2, 1\.0\/2\.0 MB, [\d.]+ MB\/s, ETA \d+ s\u001b\[K\r\[#{24}\] groups 2\/2, 2\.0\/2\.0 MB, .*\n$/);
  });
  it('plain lines when not a TTY (the first, then every 5 s, and the last); nothing with --quiet', () => {
    const s = sink();
    const p = new Progress('files', 3, 3, 'lines', s.out);
    for (let i = 0; i < 3; i++) p.step(1);
    expect(s.text().trim().split('\n')).toHaveLength(2);
    expect(s.text()).toMatch(/^vrrp-forensics: files 1\/3, /);
    const q = sink();
    new Progress('files', 1, 1, 'quiet', q.out).step(1);
    expect(q.text()).toBe('');
  });
});
