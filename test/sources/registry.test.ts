// the registry imported first: the kinds' readers import detection, which imports the registry back
import { kindOfLabel, labelOf, sourceOf, sources, TEXT_ORDER, VOTE_ORDER, type InputKind } from '../../src/sources/registry.js';
import { describe, expect, it } from 'vitest';
import { classifyContent } from '../../src/sources/detect.js';

const CT = 'ipv4     2 unknown  112 599 src=198.51.100.175 dst=224.0.0.18 packets=7 bytes=280 [UNREPLIED] src=224.0.0.18 dst=203.0.113.1 packets=0 bytes=0 mark=0 delta-time=7 [start=Wed Nov 25 05:55:41 2026] use=1 id=480607205';
const LOG = 'Nov 25 05:55:37 gw-b Keepalived[5710]: Starting Keepalived v2.2.7 (01/16,2022)';
const PROSE = 'a line of prose that is no evidence of any kind';
const kindOf = (...lines: string[]) => classifyContent('x', Buffer.from(lines.join('\n') + '\n'), false);

describe('the source registry', () => {
  it('declares every kind once, under the report name the JSON contract uses', () => {
    const kinds: InputKind[] = ['keepalived-conf', 'firewall', 'conntrack', 'capture', 'syslog'];
    // the order the analysis loads them: the topology (configs, rulesets, conntrack) before the streamed kinds
    expect(sources().map((s) => s.kind)).toEqual(kinds);
    expect(kinds.map(labelOf)).toEqual(['keepalived-conf', 'iptables', 'conntrack', 'capture', 'syslog']);
    for (const k of kinds) expect(kindOfLabel(labelOf(k))).toBe(k);
    expect(sourceOf('unknown')).toBeUndefined();
    expect(labelOf('unknown')).toBe('unknown');
    expect(kindOfLabel('unknown')).toBe('unknown');
  });

  it('only a magic-number sign looks at raw bytes; every other sign and the vote see text', () => {
    const raw = sources().flatMap((s) => s.signs.filter((g) => g.order < TEXT_ORDER).map(() => s.kind));
    expect(raw).toEqual(['capture']);
    expect(sources().filter((s) => s.vote).map((s) => s.kind).sort()).toEqual(['conntrack', 'syslog']);
    expect(sources().flatMap((s) => s.signs).some((g) => g.order === VOTE_ORDER)).toBe(false);
  });

  it('the vote: most lines and more than the other kind; a tie goes to conntrack; a few quoted lines are neither', () => {
    expect(kindOf(CT, CT, LOG, LOG)).toMatchObject({ kind: 'conntrack', reason: '2 of the first 4 lines are conntrack entries' });
    expect(kindOf(CT, CT, LOG, LOG, LOG)).toMatchObject({ kind: 'syslog', reason: '3 of the first 5 lines have syslog framing' });
    expect(kindOf(CT, LOG, PROSE, PROSE, PROSE)).toMatchObject({ kind: 'unknown', reason: 'no known format in the first lines' });
    // the sign after the vote: one date line alone is a snapshot of an empty table
    expect(kindOf('Wed Nov 25 05:55:48 UTC 2026')).toMatchObject({ kind: 'conntrack', reason: 'a date line and no entries (a snapshot of an empty table)' });
  });

  it('syslogs join the incidents they overlap; the kinds batch spans are the timed ones', () => {
    expect(sources().filter((s) => s.joinsIncidents).map((s) => s.kind)).toEqual(['syslog']);
    expect(sources().filter((s) => s.span).map((s) => s.kind)).toEqual(['conntrack', 'capture', 'syslog']);
    expect(sources().filter((s) => s.peek).map((s) => s.kind)).toEqual(['keepalived-conf', 'capture', 'syslog']);
  });
});
