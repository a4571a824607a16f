import { readKeepalivedConf } from '../config/keepalived-conf.js';
import type { Peeked, Source } from '../registry.js';

/** keepalived.conf: told by its top-level blocks; peeked whole (router_id and advert source addresses name the host). */
export const KEEPALIVED_CONF: Source = {
  kind: 'keepalived-conf',
  label: 'keepalived-conf',
  checks: ['configuration'],
  signs: [{
    order: 30,
    test: (v) => (/^\s*(vrrp_instance|vrrp_script|global_defs|vrrp_sync_group|virtual_server)\b/m.test(v.text) ? { reason: 'keepalived.conf blocks' } : null),
  }],
  async peek(path) {
    const p: Peeked = {};
    const conf = await readKeepalivedConf(path).catch(() => null);
    if (conf) p.conf = conf;
    if (conf?.routerId) p.routerId = conf.routerId;
    const addrs = conf?.instances.flatMap((i) => [i.mcastSrcIp, i.unicastSrcIp]).filter((a): a is string => Boolean(a)) ?? [];
    if (addrs.length) p.confAddresses = [...new Set(addrs)];
    return p;
  },
};
