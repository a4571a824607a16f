/**
 * Typed records every reader produces. Each carries its provenance: the file as the user named it and a locator
 * (frame number + byte offset for captures), so any claim built on it can cite its evidence.
 */
export type Direction = 'to-us' | 'broadcast' | 'multicast' | 'other-host' | 'sent-by-us' | 'inbound' | 'outbound';

export interface CaptureProvenance {
  file: string;
  /** 1-based, as tcpdump -# counts */
  frame: number;
  /** byte offset of the record/block in the (decompressed) file */
  offset: number;
  /** text captures (tcpdump's output): the line the packet's text starts on — what a claim cites instead of the frame */
  line?: number;
}

/** Where a claim about a captured packet points: its line in tcpdump text, else its frame. */
export function captureLocator(r: CaptureProvenance): string {
  return r.line !== undefined ? `line ${r.line}` : `frame ${r.frame}`;
}

export interface CaptureRecordBase extends CaptureProvenance {
  /** ns since epoch; null when the packet has no timestamp (pcapng SPB) */
  time: bigint | null;
  /** the fractional part was ≥ 1 s in the file; time kept as read */
  timeInvalid?: boolean;
  /** far from every packet around it and confirmed by none (a damaged timestamp): listed, not analysed */
  timeOutlier?: boolean;
  /** fractional digits the source really has (6 µs, 9 ns) */
  precision: number;
  interface: { id: number; section: number; name?: string; linkType: number };
  direction?: Direction;
  /** link-layer source (Ethernet/SLL); absent when the link has none */
  srcMac?: string;
  vlans?: number[];
  /** 802.1ah (provider backbone bridging): the I-SID the frame was carried in; srcMac is then the customer's */
  isid?: number;
  /** Linux SLL2 (`tcpdump -i any`): the interface the packet was seen on — one packet can be seen on two (macvlan, VLAN) */
  ifIndex?: number;
  caplen: number;
  origlen: number;
}

export interface IpInfo {
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  /** TTL or hop limit */
  ttl: number;
  /** IPv4 header checksum; undefined for IPv6 or when the header is not all captured */
  ipChecksumOk?: boolean;
  /** a fragment (MF set or offset ≠ 0): VRRP is never fragmented, so this is suspicious */
  fragment?: { offset: number; more: boolean };
  /** VRRP wrapped in IPsec AH (keepalived auth_type AH) */
  ah?: boolean;
}

export type ChecksumStatus = 'ok' | 'bad' | 'unknown';

/**
 * Which VRRPv3 checksum convention holds for the seen packet: RFC 5798's (over the IP pseudo-header, so it covers the
 * source address), or the message alone — what Cisco IOS computes for IPv4 (RFC 9568 §5.2.8 discusses the ambiguity)
 * — or neither. Only 'neither' makes the checksum evidence of a rewritten source.
 */
export type V3ChecksumConvention = 'pseudo-header' | 'no-pseudo-header' | 'neither';

export interface VrrpAdvertRecord extends CaptureRecordBase, IpInfo {
  kind: 'vrrp';
  /** VRRP version and type from the first byte; always present */
  version: number;
  type: number;
  vrid?: number;
  priority?: number;
  /** address count field */
  count?: number;
  /** v2 only: 0 none, 1 simple text, 2 IP AH */
  authType?: number;
  /** v2 simple auth: the 8 bytes as text (a secret: redacted by every output unless asked) */
  authData?: string;
  /** v2: seconds; v3: centiseconds (max advert interval) */
  interval?: number;
  intervalUnit?: 's' | 'cs';
  addresses?: string[];
  /** VRRP length from the IP header (what tcpdump prints as "length") */
  length: number;
  checksum?: number;
  checksumStatus: ChecksumStatus;
  /**
   * VRRPv3 only, when the whole message was captured: the one's-complement sum of the VRRP message plus every
   * pseudo-header field except the source address. The checksum is valid for a source S exactly when
   * fold(partial + sum16(S)) === 0xffff — NAT rewrites S but not the checksum, so this proves (or recovers) the
   * source the sender really used.
   */
  v3PartialSum?: number;
  /** VRRPv3, whole message captured: the convention the checksum holds under (IPv6 always uses the pseudo-header) */
  checksumConvention?: V3ChecksumConvention;
  /** true when decoding stopped because the captured bytes ran out (tcpdump's [|vrrp]) */
  truncated: boolean;
  /** TTL/hop limit is 255 as RFC 3768/5798 require */
  ttlOk: boolean;
}

/**
 * Set by the analysis (never by a reader) on an announcement that stands for `count` identical ones in a row of its
 * capture (this one the first; the last at `until`): a storm's gratuitous ARPs summarised (correlate/load/announce-runs.ts).
 */
export interface AnnounceRun {
  count: number;
  until: bigint;
}

export interface GarpRecord extends CaptureRecordBase {
  kind: 'garp';
  /** 1 request, 2 reply */
  op: number;
  senderMac: string;
  address: string;
  run?: AnnounceRun;
}

export interface UnsolicitedNaRecord extends CaptureRecordBase, IpInfo {
  kind: 'unsolicited-na';
  target: string;
  override: boolean;
  targetMac?: string;
  run?: AnnounceRun;
}

/**
 * A CARP advertisement (OpenBSD/FreeBSD/pfSense/OPNsense; IP protocol 112 like VRRP, another protocol): never a VRRP
 * router, never in a VRRP election.
 */
/** A CARP header as decoded (src/sources/capture/carp.ts): what a CARP advert record carries. */
export interface CarpFields {
  /** CARP version (2 today) and type (1: advertisement) */
  version: number;
  type: number;
  /** virtual host id (CARP's vrid) */
  vhid?: number;
  /** skew added to advbase in 1/256 s: the lowest advskew wins mastership */
  advskew?: number;
  /** counter + HMAC length in 32-bit words (7) */
  authLen?: number;
  demotion?: number;
  /** base advert interval, seconds */
  advbase?: number;
  checksum?: number;
  /** the checksum covers the CARP header alone (NAT does not break it) */
  checksumStatus: ChecksumStatus;
  /** the 8-byte replay counter, as 16 hex digits */
  counter?: string;
  /** length from the IP header (36) */
  length: number;
  truncated: boolean;
}

export interface CarpAdvertRecord extends CaptureRecordBase, IpInfo, CarpFields {
  kind: 'carp';
  ttlOk: boolean;
}

export type CaptureRecord = VrrpAdvertRecord | CarpAdvertRecord | GarpRecord | UnsolicitedNaRecord;

/** The checksum status, with the convention when it is not RFC 5798's (Cisco IOS leaves the pseudo-header out). */
export function checksumText(r: Pick<VrrpAdvertRecord, 'checksumStatus' | 'checksumConvention'>): string {
  return r.checksumConvention === 'no-pseudo-header' ? `${r.checksumStatus} (no pseudo-header)` : r.checksumStatus;
}

/** Frames of one link type (and ethertype) this tool does not decode: a capture of them is not "no VRRP". */
export interface SkippedFrames {
  linkType: number;
  /** the ethertype (Ethernet, SLL) the frame carried; null when the link layer itself was not read */
  etherType: number | null;
  frames: number;
}
