import { describe, expect, it } from 'vitest';
import { parseXmlLine } from '../../../src/sources/conntrack/xml-line.js';

// Real -o xml lines from ../shared/reference/conntrack.md §1.5 (lab, conntrack-tools 1.4.7)
const DUMP = '<flow><meta direction="original"><layer3 protonum="2" protoname="ipv4"><src>198.51.100.175</src><dst>224.0.0.18</dst></layer3><layer4 protonum="112" protoname="unknown"></layer4><counters><packets>4</packets><bytes>160</bytes></counters></meta><meta direction="reply"><layer3 protonum="2" protoname="ipv4"><src>224.0.0.18</src><dst>203.0.113.1</dst></layer3><layer4 protonum="112" protoname="unknown"></layer4><counters><packets>0</packets><bytes>0</bytes></counters></meta><meta direction="independent"><timeout>597</timeout><mark>0</mark><use>1</use><id>3694056410</id><unreplied/><timestamp><start>1795566990624025605</start></timestamp><deltatime>4</deltatime></meta></flow>';
const DESTROY = '<flow type="destroy"><meta direction="original"><layer3 protonum="2" protoname="ipv4"><src>198.51.100.175</src><dst>224.0.0.18</dst></layer3><layer4 protonum="112" protoname="unknown"></layer4><counters><packets>1</packets><bytes>40</bytes></counters></meta><meta direction="reply"><layer3 protonum="2" protoname="ipv4"><src>224.0.0.18</src><dst>203.0.113.1</dst></layer3><layer4 protonum="112" protoname="unknown"></layer4><counters><packets>0</packets><bytes>0</bytes></counters></meta><meta direction="independent"><timeout>599</timeout><id>3224805956</id><unreplied/><deltatime>0</deltatime></meta><when><hour>0</hour><min>40</min><sec>12</sec><wday>4</wday><day>25</day><month>11</month><year>2026</year></when></flow> [USERSPACE] portid=2897917395';

describe('conntrack -o xml', () => {
  it('a dumped flow: tuples, counters, exact start in ns, delta-time, id', () => {
    const r = parseXmlLine(DUMP);
    if (!('entry' in r)) throw new Error('not parsed');
    expect(r.entry).toMatchObject({
      family: 'ipv4', protoNum: 112, timeout: 597, mark: 0, ctId: 3694056410, unreplied: true, deltaTime: 4,
      startNs: 1795566990624025605n, orig: { src: '198.51.100.175', dst: '224.0.0.18' }, reply: { src: '224.0.0.18', dst: '203.0.113.1' },
      origCounters: { packets: 4, bytes: 160 },
    });
  });

  it('a destroy event with <when> and [USERSPACE]', () => {
    const r = parseXmlLine(DESTROY);
    if (!('entry' in r)) throw new Error('not parsed');
    expect([r.entry.event, r.entry.userspace, r.entry.eventTime]).toEqual(['DESTROY', { portid: 2897917395 }, BigInt(Date.UTC(2026, 10, 25, 0, 40, 12)) * 1_000_000n]);
  });

  it('header, root and a missing footer are fine; other text is not a flow', () => {
    expect(parseXmlLine('<?xml version="1.0" encoding="utf-8"?>')).toEqual({ skip: true });
    expect(parseXmlLine('<conntrack>')).toEqual({ skip: true });
    expect(parseXmlLine('<html>')).toHaveProperty('error');
  });
});
