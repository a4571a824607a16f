import { describe, expect, it } from 'vitest';
import { splitBrains } from '../../../src/correlate/findings/split-brain.js';
import { wireTranslations } from '../../../src/correlate/findings/translation-wire.js';
import type { SplitBrainFinding, TranslationFinding } from '../../../src/model/report.js';
import { advert, ka, SEC, T0 } from '../fixtures.js';
import { findingInputs } from './inputs.js';

const masters = [ka(0, 'gw-a', '(VI_1) Entering MASTER STATE'), ka(1, 'gw-b', '(VI_1) Entering MASTER STATE'), ka(9, 'gw-a', '(VI_1) Entering BACKUP STATE')];

describe('splitBrains', () => {
  it('two hosts MASTER for 8 s: one split with its span and hosts; no translation, so no cause', async () => {
    const x = await findingInputs({ logs: masters });
    const causes = new Map<SplitBrainFinding, TranslationFinding[]>();
    const [s, ...rest] = splitBrains(x, [], causes, new Map());
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ kind: 'split-brain', severity: 'critical', vrid: 150, hosts: ['gw-a', 'gw-b'], start: T0 + SEC, end: T0 + 9n * SEC });
    expect(s.cause).toBeUndefined();
    expect(causes.size).toBe(0);
  });

  it('a translation of the vrid overlapping it caused it: critical, in `causes`, and why neither yielded is typed', async () => {
    const adverts = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((s) => advert(s + 0.5, '203.0.113.1', { priority: 150 }));
    const x = await findingInputs({ logs: masters, adverts, translated: { '203.0.113.1': '198.51.100.175' } });
    const translated = wireTranslations(x).findings;
    const causes = new Map<SplitBrainFinding, TranslationFinding[]>();
    const [s] = splitBrains(x, translated, causes, new Map());
    expect(causes.get(s)).toEqual(translated);
    expect(translated[0].severity).toBe('critical');
    // no configured priorities and no log of a drop: the tie-break story
    expect(s.cause).toEqual({ sender: '198.51.100.175', translated: '203.0.113.1', why: { kind: 'tie-break' } });
  });

  describe('one host\'s logs alone: MASTER while its keepalived kept dropping another router\'s adverts', () => {
    const dropped = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ka(from + i, 'gw-b', '(VI_1) Invalid VRRPv3 checksum'));

    it('four seconds of drops inside the MASTER span: a split brain seen by those drops', async () => {
      const x = await findingInputs({ logs: [ka(0, 'gw-b', '(VI_1) Entering BACKUP STATE (init)'), ...dropped(1, 3), ka(4, 'gw-b', '(VI_1) Entering MASTER STATE'), ...dropped(5, 9)] });
      const [s, ...rest] = splitBrains(x, [], new Map(), new Map());
      expect(rest).toEqual([]);
      expect(s).toMatchObject({ kind: 'split-brain', severity: 'critical', hosts: ['gw-b'], end: T0 + 9n * SEC });
      expect(s.start).toBe(T0 + 4n * SEC);
      expect(s.seenBy).toMatchObject({ by: 'dropped-adverts', host: 'gw-b', drop: 'invalid-checksum', lines: 8 });
    });

    it('drops while BACKUP only, or under three seconds of MASTER, are no split brain', async () => {
      const backup = await findingInputs({ logs: [ka(0, 'gw-b', '(VI_1) Entering BACKUP STATE (init)'), ...dropped(1, 9)] });
      expect(splitBrains(backup, [], new Map(), new Map())).toEqual([]);
      const brief = await findingInputs({ logs: [ka(0, 'gw-b', '(VI_1) Entering MASTER STATE'), ...dropped(1, 2), ka(3, 'gw-b', '(VI_1) Entering BACKUP STATE')] });
      expect(splitBrains(brief, [], new Map(), new Map())).toEqual([]);
    });

    it('where two hosts\' logs already show the split, the drops add no second one', async () => {
      const x = await findingInputs({ logs: [...masters, ...Array.from({ length: 6 }, (_, i) => ka(2 + i, 'gw-b', '(VI_1) Invalid VRRPv3 checksum'))] });
      const fs = splitBrains(x, [], new Map(), new Map());
      expect(fs.map((f) => [f.hosts, f.seenBy])).toEqual([[['gw-a', 'gw-b'], undefined]]);
    });
  });
});
