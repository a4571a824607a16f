import type { CarpAdvertRecord, VrrpAdvertRecord } from './records.js';

/** Copies of one packet are microseconds apart (6 µs in samples/vmac); distinct adverts are an interval apart. */
const WINDOW_NS = 1_000_000n;

/**
 * `tcpdump -i any` sees one packet once per interface it crosses (a use_vmac macvlan and its lower device, a VLAN
 * and its parent): the same advert from another interface within a millisecond is that packet again, not another
 * advert. Only SLL2 records carry the interface, so only they are ever taken for copies.
 */
export class CopyFilter {
  private readonly last = new Map<string, { at: bigint; ifIndex: number; checksum: number | undefined }>();

  isCopy(r: VrrpAdvertRecord | CarpAdvertRecord, at: bigint): boolean {
    if (r.ifIndex === undefined) return false;
    const key = `${r.file}|${r.src}|${r.kind === 'carp' ? `carp ${r.vhid}` : r.vrid}`;
    const prev = this.last.get(key);
    this.last.set(key, { at, ifIndex: r.ifIndex, checksum: r.checksum });
    return prev !== undefined && prev.ifIndex !== r.ifIndex && prev.checksum === r.checksum && at >= prev.at && at - prev.at <= WINDOW_NS;
  }
}
