import { describe, expect, it } from 'vitest';
import { birthNote, dumpTimeWords, natNote, staleText } from '../../src/report/conntrack-words.js';

describe('conntrack words', () => {
  it('staleness: an entry that expired, one that never expires on its own, and how that one ended', () => {
    expect(staleText({ kind: 'expired', src: '198.51.100.175', timeoutS: 5, destroyed: { file: 'conntrack-events.log', line: 7 } })).toBe(
      'this entry expired: no advert from 198.51.100.175 refreshed it within its 5 s generic timeout (its router stopped advertising), ' +
      'and it was destroyed (conntrack-events.log:7); the next advert makes a new entry under the nat rules in force then');
    const never = { kind: 'never-expires', src: '198.51.100.175', to: 'group', timeoutS: 600, translatedSource: '203.0.113.1' } as const;
    expect(staleText(never)).toBe('this entry will never expire on its own: adverts from 198.51.100.175 to the VRRP group refresh it every advert interval, ' +
      'far inside the 600 s generic timeout, and every advert keeps leaving as 203.0.113.1');
    expect(staleText({ ...never, to: 'unicast-peer' })).toContain('to its unicast peer refresh');
    expect(staleText({ ...never, ended: { file: 'ev.log', line: 4, byUser: true } })).toMatch(/ — it ended only when a user command deleted it \(ev\.log:4\)$/);
    expect(staleText({ ...never, ended: { file: 'ev.log', line: 4, byUser: false } })).toMatch(/ — it ended only when it was destroyed \(ev\.log:4\)$/);
  });

  it('birth details, one per kind', () => {
    expect(birthNote({ kind: 'no-creation-time' })).toBe('no creation time in the evidence: born no later than this sighting');
    expect(birthNote({ kind: 'ctime' })).toBe('ctime of the dumping host, 1 s resolution');
    expect(birthNote({ kind: 'lifetime-at-destroy', deltaS: 12 })).toBe('lifetime 12 s at destruction');
    expect(birthNote({ kind: 'dump-minus-delta', deltaS: 7, dumpFrom: 'file-content' })).toBe('dump time − delta-time 7 s (dump time from file-content)');
  });

  it('a NAT note only for a swapped reply tuple', () => {
    expect(natNote({ kind: 'snat-swapped', translatedSource: '1.1.1.1' })).toBe('reply tuple has its addresses swapped (edited or anonymised dump); read as SNAT');
    expect(natNote({ kind: 'snat', translatedSource: '1.1.1.1' })).toBeUndefined();
  });

  it('where a dump\'s time was read, one per kind', () => {
    expect(dumpTimeWords({ kind: 'date-line', line: 3 })).toBe('date line 3');
    expect(dumpTimeWords({ kind: 'sos-collected' })).toBe('the support bundle\'s collection time (sos_commands/date)');
    expect(dumpTimeWords({ kind: 'sos-command', plugin: 'conntrack', command: 'conntrack -L -o extended' })).toBe('sosreport manifest (plugin conntrack, "conntrack -L -o extended" started)');
    expect(dumpTimeWords({ kind: 'file-name' })).toBe('time in the file name');
    expect(dumpTimeWords({ kind: 'flag' })).toBe('--at');
    expect(dumpTimeWords({ kind: 'mtime' })).toBe('file mtime (weak: changes when files are copied)');
  });
});
