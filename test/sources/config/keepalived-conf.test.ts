import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKeepalivedConf, readKeepalivedConf } from '../../../src/sources/config/keepalived-conf.js';
import { ROOT } from '../../helpers/capture.js';

describe('keepalived.conf', () => {
  it('the recorded sample: router_id, the instance, auth kept as a secret', async () => {
    const c = await readKeepalivedConf(path.join(ROOT, 'samples/seed-snat/gw-a/keepalived.conf'));
    expect(c.routerId).toBe('gw-a');
    expect(c.instances).toHaveLength(1);
    expect(c.instances[0]).toMatchObject({
      name: 'VI_1', line: 5, state: 'BACKUP', interface: 'lan0', vrid: 150, priority: 150, advertInt: 1, mcastSrcIp: '198.51.100.175',
      vips: ['198.51.100.254/24'], auth: { type: 'PASS', pass: 's3cr3t-vr' },
    });
    expect(c.secrets).toEqual(['s3cr3t-vr', 's3cr3t-v']); // and the 8 characters keepalived sends
    expect(c.warnings).toEqual([]);
  });

  it('every topology keyword, comments with ! and #, scripts, sync groups, unknown keywords as warnings', () => {
    const c = parseKeepalivedConf(`
! comment
global_defs {
   router_id gw-175   # trailing comment
   smtp_auth_pass hunter2
}
vrrp_script check_run {
    script "/usr/local/bin/check run"
    interval 2
    weight -5
    fall 2
    rise 1
}
vrrp_sync_group G1 {
    group {
        VI_1
    }
}
vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 150
    priority 150
    advert_int 1
    nopreempt
    preempt_delay 10
    version 3
    unicast_src_ip 198.51.100.175
    unicast_peer {
        198.51.100.176
        198.51.100.177
    }
    virtual_ipaddress {
        198.51.100.254/24 dev eth0 label eth0:1
        2001:db8:8::254/64
    }
    virtual_ipaddress_excluded {
        198.51.100.253
    }
    track_script {
        check_run weight -5
    }
    track_interface {
        eth1
    }
    notify_master "/etc/keepalived/master.sh"
    frobnicate yes
}
virtual_server 198.51.100.254 80 {
    real_server 10.0.0.1 80 { weight 1 }
}
`);
    expect(c.routerId).toBe('gw-175');
    expect(c.scripts).toEqual([{ name: 'check_run', file: 'keepalived.conf', line: 7, script: '/usr/local/bin/check run', interval: 2, weight: -5, fall: 2, rise: 1 }]);
    expect(c.syncGroups).toMatchObject([{ name: 'G1', members: ['VI_1'] }]);
    expect(c.instances[0]).toMatchObject({
      state: 'MASTER', nopreempt: true, preemptDelay: 10, version: 3, unicastSrcIp: '198.51.100.175', unicastPeers: ['198.51.100.176', '198.51.100.177'],
      vips: ['198.51.100.254/24', '2001:db8:8::254/64'], vipsExcluded: ['198.51.100.253'], trackScripts: [{ name: 'check_run', weight: -5 }],
      trackInterfaces: ['eth1'], notify: { notify_master: '/etc/keepalived/master.sh' },
    });
    expect(c.secrets).toEqual(['hunter2']);
    expect(c.warnings).toEqual([{ file: 'keepalived.conf', line: 47, message: 'unknown keyword "frobnicate" in vrrp_instance VI_1; ignored' }]);
  });

  it('include is resolved relative to the including file, with globs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vf-kc-'));
    mkdirSync(path.join(dir, 'conf.d'));
    writeFileSync(path.join(dir, 'keepalived.conf'), 'global_defs {\n router_id gw-x\n}\ninclude conf.d/*.conf\ninclude missing.conf\n');
    writeFileSync(path.join(dir, 'conf.d/a.conf'), 'vrrp_instance A {\n virtual_router_id 1\n}\n');
    writeFileSync(path.join(dir, 'conf.d/b.conf'), 'vrrp_instance B {\n virtual_router_id 2\n}\n');
    const c = await readKeepalivedConf(path.join(dir, 'keepalived.conf'));
    expect(c.instances.map((x) => [x.name, x.vrid, path.basename(x.file), x.line])).toEqual([['A', 1, 'a.conf', 1], ['B', 2, 'b.conf', 1]]);
    expect(c.warnings).toEqual([expect.objectContaining({ line: 5, message: 'include missing.conf: no such file' })]);
  });
});
