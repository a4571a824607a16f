import { describe, expect, it } from 'vitest';
import type { Evidence, EvidenceRole } from '../../src/model/report.js';
import { captionOf } from '../../src/report/evidence-words.js';

const ADVERT = '198.51.100.175 > 224.0.0.18: VRRPv2, vrid 150, prio 150';
const cite = (text: string, role?: EvidenceRole): Evidence => ({ file: 'f', locator: 'line 1', at: null, text, ...(role ? { role } : {}) });

// the one golden-text test of evidence captions: one case per role kind, the line itself kept whole inside
describe('captionOf', () => {
  it('evidence without a role is its own words', () => expect(captionOf(cite(ADVERT))).toBe(ADVERT));

  it.each<[EvidenceRole, string, string]>([
    [{ kind: 'first-translated-advert' }, ADVERT, `first translated advert in this capture: ${ADVERT}`],
    [{ kind: 'last-translated-advert', adverts: 15 }, ADVERT, `last translated advert in this capture (15 in all): ${ADVERT}`],
    [{ kind: 'source-reverted' }, ADVERT, `source reverted: ${ADVERT}`],
    [{ kind: 'storm-start' }, ADVERT, `storm starts: ${ADVERT}`],
    [{ kind: 'election-lines', host: 'gw-a', lines: 2790, peak: 310 }, 'x', '2790 "forcing new election" lines on gw-a (peak 310/s): x'],
    [{ kind: 'two-senders', vrid: 150, senders: ['gw-a', 'gw-b'] }, ADVERT, `two senders for vrid 150 (gw-a, gw-b) from here: ${ADVERT}`],
    [{ kind: 'names-source', host: 'gw-b', address: '203.0.113.1', lines: 1 }, 'x', 'gw-b\'s keepalived names the advert source 203.0.113.1 (1 line): x'],
    [{ kind: 'names-source', host: 'gw-b', address: '203.0.113.1', lines: 3 }, 'x', 'gw-b\'s keepalived names the advert source 203.0.113.1 (3 lines): x'],
    [{ kind: 'last-such-line' }, 'x', 'last such line: x'],
    [{ kind: 'router-mac', router: 'gw-a', mac: '52:54:00:00:a0:01' }, ADVERT, `gw-a's MAC 52:54:00:00:a0:01: ${ADVERT}`],
    [{ kind: 'foreign-garp', address: '198.51.100.254', mac: '52:54:00:00:b0:01' }, 'gratuitous ARP for 198.51.100.254 from 52:54:00:00:b0:01', 'gratuitous ARP for 198.51.100.254 from 52:54:00:00:b0:01 near the flip'],
    [{ kind: 'transition' }, 'Entering MASTER STATE', 'Entering MASTER STATE'],
    [{ kind: 'transition', from: 'BACKUP' }, 'Entering MASTER STATE', 'Entering MASTER STATE (from BACKUP)'],
    [{ kind: 'transition', host: 'gw-b', from: 'BACKUP' }, 'Entering MASTER STATE', 'gw-b Entering MASTER STATE (from BACKUP)'],
    [{ kind: 'conntrack-entry' }, '[NEW] unknown  112 600 src=198.51.100.175', 'conntrack: [NEW] unknown  112 600 src=198.51.100.175'],
    [{ kind: 'conntrack-entry' }, '', 'conntrack:'],
    [{ kind: 'repeated', times: 15 }, ADVERT, `${ADVERT} (×15)`],
    [{ kind: 'config-instance', instance: 'VI_1' }, 'mcast_src_ip 198.51.100.175', 'vrrp_instance VI_1: mcast_src_ip 198.51.100.175'],
    [{ kind: 'ruleset-decision', decision: 'translated' }, '', 'translated'],
    [{ kind: 'no-translating-rule', decision: 'exempt' }, '', '(exempt: no rule translates these adverts)'],
  ])('%j', (role, text, want) => expect(captionOf(cite(text, role))).toBe(want));
});
