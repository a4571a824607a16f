import type { VrrpAdvertRecord } from '../../src/model/records.js';
import type { KaEvent } from '../../src/model/keepalived.js';
import { classify } from '../../src/sources/syslog/catalog.js';

export const SEC = 1_000_000_000n;
export const T0 = 1_795_586_000n * SEC;

let frame = 0;
/** A decoded advert as the capture reader would produce it; fields overridable. */
export function advert(sec: number, src: string, over: Partial<VrrpAdvertRecord> = {}): VrrpAdvertRecord {
  return {
    kind: 'vrrp', file: 'crafted.pcap', frame: ++frame, offset: 0, time: T0 + BigInt(Math.round(sec * 1e9)), precision: 6,
    interface: { id: 0, section: 0, linkType: 1 }, caplen: 60, origlen: 60, ipVersion: 4, src, dst: '224.0.0.18', ttl: 255,
    version: 2, type: 1, vrid: 150, priority: 100, count: 1, authType: 0, interval: 1, intervalUnit: 's', addresses: ['198.51.100.254'],
    length: 20, checksumStatus: 'ok', truncated: false, ttlOk: true, ...over,
  };
}

let line = 0;
/** A keepalived event as the syslog reader would produce it from `message`. */
export function ka(sec: number, host: string, message: string): KaEvent {
  const c = classify(message);
  return { file: `${host}.log`, line: ++line, time: T0 + BigInt(Math.round(sec * 1e9)), precision: 6, timeFrom: 'exact', host, program: 'Keepalived_vrrp', type: c.type, fields: c.fields, message };
}
