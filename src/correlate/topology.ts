import { parseIp } from '../model/address.js';
import type { VrrpAdvertRecord } from '../model/records.js';
import type { Evidence } from '../model/report.js';
import { v3ValidForSource } from '../sources/capture/vrrp.js';
import type { KeepalivedConf, VrrpInstanceConf } from '../sources/config/keepalived-conf.js';

/** Where a router's address or a translated address was learned: the evidence a finding cites. */
export interface Learned {
  how: 'keepalived.conf' | 'syslog' | 'capture' | 'conntrack' | 'firewall';
  evidence: Evidence;
}

export interface RouterInfo {
  name: string;
  addresses: Map<string, Learned>;
  macs: Map<string, Learned>;
  vrids: Set<number>;
  instances: VrrpInstanceConf[];
  /** SNAT targets configured or observed on this router */
  snatTargets: Map<string, Learned>;
}

export interface TranslatedAddress {
  /** the router's real address the adverts had before NAT (when the evidence says) */
  original?: string;
  router?: string;
  learned: Learned;
}

/** How one advert's sender was identified. */
export interface Resolved {
  /** the router the advert came from, when known */
  router?: string;
  /** the source it had before any NAT */
  original: string;
  translated: boolean;
  how?: 'conntrack' | 'firewall' | 'checksum' | 'mac';
}

interface RecentResolve {
  src: string;
  vrid: number | undefined;
  mac: string | undefined;
  partial: number | undefined;
  res: Resolved;
}

/** adverts resolved last, looked up by their fields before any key is made */
const RECENT = 4;

/** VRRP virtual MACs (RFC 5798 §7.3): every master sends from them with use_vmac, so they do not name a router. */
const VIRTUAL_MAC = /^00:00:5e:00:0[12]:/i;

export function isVirtualMac(mac: string): boolean {
  return VIRTUAL_MAC.test(mac);
}

/**
 * Which router owns which addresses and MACs, and which addresses are translations of them. Built from the configs,
 * the logs ("Assigned address"), the conntrack reply tuples and SNAT rules, and what the captures show.
 */
export class Topology {
  readonly routers = new Map<string, RouterInfo>();
  readonly translated = new Map<string, TranslatedAddress>();
  private readonly owner = new Map<string, string>();
  private readonly macOwner = new Map<string, string>();
  /** addresses named as unicast peers: someone's, though maybe not a router we have other evidence for */
  private readonly peers = new Set<string>();
  private readonly resolvedCache = new Map<string, Resolved>();
  /** the adverts resolved last, by their fields (a storm's few senders: no key text per advert) */
  private readonly recent: RecentResolve[] = [];

  router(name: string): RouterInfo {
    let r = this.routers.get(name);
    if (!r) {
      r = { name, addresses: new Map(), macs: new Map(), vrids: new Set(), instances: [], snatTargets: new Map() };
      this.routers.set(name, r);
    }
    return r;
  }

  addConf(host: string, conf: KeepalivedConf): void {
    const r = this.router(host);
    for (const inst of conf.instances) {
      r.instances.push(inst);
      if (inst.vrid !== undefined) r.vrids.add(inst.vrid);
      const cite = (what: string): Learned => ({ how: 'keepalived.conf', evidence: { file: inst.file, locator: `line ${inst.line}`, at: null, text: what, role: { kind: 'config-instance', instance: inst.name } } });
      if (inst.mcastSrcIp) this.addAddress(host, inst.mcastSrcIp, cite(`mcast_src_ip ${inst.mcastSrcIp}`));
      if (inst.unicastSrcIp) this.addAddress(host, inst.unicastSrcIp, cite(`unicast_src_ip ${inst.unicastSrcIp}`));
      for (const p of inst.unicastPeers) this.peers.add(p);
    }
  }

  addAddress(host: string, addr: string, l: Learned): void {
    if (this.translated.has(addr) && l.how !== 'keepalived.conf') return;
    const r = this.router(host);
    if (!r.addresses.has(addr)) r.addresses.set(addr, l);
    if (!this.owner.has(addr)) this.owner.set(addr, host);
    this.forget();
  }

  /** what was resolved is worked out again: an address or a translation became known */
  private forget(): void {
    this.resolvedCache.clear();
    this.recent.length = 0;
  }

  /** whether addMac(host, mac, …) would change nothing (the first evidence of a MAC is the one kept) */
  knowsMac(host: string, mac: string): boolean {
    return isVirtualMac(mac) || mac === '00:00:00:00:00:00' || this.routers.get(host)?.macs.has(mac) === true;
  }

  addMac(host: string, mac: string, l: Learned): void {
    if (isVirtualMac(mac) || mac === '00:00:00:00:00:00') return;
    const r = this.router(host);
    if (!r.macs.has(mac)) r.macs.set(mac, l);
    if (!this.macOwner.has(mac)) this.macOwner.set(mac, host);
  }

  addTranslated(addr: string, t: TranslatedAddress): void {
    const had = this.translated.get(addr);
    // a conntrack reply tuple names the original; a bare SNAT rule only the owner
    if (had && (had.original || !t.original)) return;
    this.translated.set(addr, t);
    if (t.router) this.router(t.router).snatTargets.set(addr, t.learned);
    this.forget();
  }

  ownerOf(addr: string): string | undefined {
    return this.owner.get(addr);
  }

  macOwnerOf(mac: string | undefined): string | undefined {
    return mac && !isVirtualMac(mac) ? this.macOwner.get(mac) : undefined;
  }

  /** The router's own address for a vrid (its configured source, else any address it owns). */
  addressFor(router: string, vrid: number | undefined, family: 4 | 6): string | undefined {
    const r = this.routers.get(router);
    if (!r) return undefined;
    const inst = r.instances.find((i) => i.vrid === vrid);
    const conf = inst?.mcastSrcIp ?? inst?.unicastSrcIp;
    if (conf) return conf;
    for (const a of r.addresses.keys()) if (a.includes(':') === (family === 6) && !a.startsWith('fe80')) return a;
    return undefined;
  }

  /** Addresses a VRRPv3 checksum is tried against to recover the real sender. */
  private candidates(): string[] {
    return [...new Set([...this.owner.keys(), ...this.peers])];
  }

  /**
   * Who sent this advert, and was its source rewritten? Own address → not translated. A known SNAT target → the
   * address it translated. A bad VRRPv3 checksum that holds for a candidate address → that address (the proof NAT
   * rewrote the source). A router's real MAC with another router-less source → that router's address.
   */
  resolve(r: VrrpAdvertRecord): Resolved {
    const partial = r.checksumStatus === 'bad' ? r.v3PartialSum : undefined;
    for (const c of this.recent) if (c.src === r.src && c.vrid === r.vrid && c.mac === r.srcMac && c.partial === partial) return c.res;
    const key = `${r.src}|${r.vrid}|${r.srcMac ?? ''}|${r.checksumStatus === 'bad' ? r.v3PartialSum : ''}`;
    let res = this.resolvedCache.get(key);
    if (!res) {
      res = this.resolveUncached(r);
      if (this.resolvedCache.size > 10_000) this.resolvedCache.clear();
      this.resolvedCache.set(key, res);
    }
    if (this.recent.length >= RECENT) this.recent.pop();
    this.recent.unshift({ src: r.src, vrid: r.vrid, mac: r.srcMac, partial, res });
    return res;
  }

  private resolveUncached(r: VrrpAdvertRecord): Resolved {
    const own = this.owner.get(r.src);
    if (own) return { router: own, original: r.src, translated: false };
    const t = this.translated.get(r.src);
    if (t) {
      const router = t.router ?? (t.original ? this.owner.get(t.original) : undefined);
      const original = t.original ?? (router ? this.addressFor(router, r.vrid, r.ipVersion) : undefined);
      if (original) return { router, original, translated: true, how: t.learned.how === 'conntrack' ? 'conntrack' : 'firewall' };
    }
    if (r.version === 3 && r.checksumStatus === 'bad' && r.v3PartialSum !== undefined) {
      for (const c of this.candidates()) {
        const bytes = parseIp(c);
        if (bytes && (bytes.length === 4) === (r.ipVersion === 4) && v3ValidForSource(r.v3PartialSum, bytes)) {
          return { router: this.owner.get(c), original: c, translated: true, how: 'checksum' };
        }
      }
    }
    const byMac = this.macOwnerOf(r.srcMac);
    if (byMac) {
      const original = this.addressFor(byMac, r.vrid, r.ipVersion);
      if (original && original !== r.src) return { router: byMac, original, translated: true, how: 'mac' };
    }
    return { original: r.src, translated: false };
  }
}
