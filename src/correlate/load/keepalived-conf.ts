import { readKeepalivedConf } from '../../sources/config/keepalived-conf.js';
import type { Loader } from './loader.js';

/** keepalived.conf: routers, their addresses, vrids, secrets, sync groups. */
export const loadKeepalivedConf: Loader = {
  async load(inputs, ctx) {
    for (const p of inputs) {
      const s = ctx.summary(p, 'keepalived.conf');
      try {
        // read once, by the plan (again here only to report why it failed there)
        const conf = p.conf ?? await readKeepalivedConf(p.path);
        // the host is the plan's decision (hosts.ts): a router_id it refused (keepalived's default LVS_DEVEL, one shared
        // by two folders' confs) or a generic folder name is no host; such a router is known by its address, or unnamed
        const host = p.host ?? p.confAddresses?.[0] ?? `unnamed router (${p.path})`;
        ctx.topo.addConf(host, conf);
        for (const g of conf.syncGroups) ctx.syncGroups.set(`${host}|${g.name}`, g.members);
        for (const x of conf.secrets) ctx.secrets.add(x);
        s.records = conf.instances.length;
        for (const w of conf.warnings) s.problems.push({ locator: `line ${w.line}`, message: w.message, severity: 'warning', code: 'E_UNKNOWN_FORMAT' });
      } catch (err) {
        ctx.problems(s, [], err as Error);
      }
    }
  },
};
