#!/usr/bin/env bash
# Records a real keepalived incident in network namespaces: two gateways (gw-a, gw-b) on a LAN, each with an uplink
# to "up". Real keepalived, iptables (nft backend), conntrack, tcpdump and rsyslog; every gateway has its own
# hostname and /dev/log (unshare --uts --mount). Addresses are documentation ranges only, inside our namespaces.
#
#   scripts/lab/record.sh SCENARIO OUTDIR        (as root; `npm run lab -- SCENARIO OUTDIR`)
#
# Scenarios: seed-snat (see samples/seed-snat/README.md). Cleans up every namespace and process on exit.
set -euo pipefail
SCENARIO=${1:?scenario}
OUT=$(realpath -m "${2:?outdir}")
[ "$(id -u)" = 0 ] || { echo "record.sh: must run as root (namespaces, iptables)" >&2; exit 2; }

need() { command -v "$1" >/dev/null 2>&1; }
missing=()
for p in keepalived:keepalived iptables:iptables conntrack:conntrack tcpdump:tcpdump rsyslogd:rsyslog ip:iproute2; do
  need "${p%%:*}" || missing+=("${p#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

WORK=$(mktemp -d /tmp/vf-lab.XXXXXX)
NS=(vf-gw-a vf-gw-b vf-up)
PIDS=()
cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  sleep 1
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  for ns in "${NS[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    ip netns del "$ns" 2>/dev/null
  done
  [ -e /dev/log.vf-lab ] && rm -f /dev/log /dev/log.vf-lab
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# The bind-mount target for each gateway's private /dev/log (the host has none here; remove it afterwards).
if [ ! -e /dev/log ]; then touch /dev/log /dev/log.vf-lab; fi

ACTIONS="$WORK/actions.log"
act() { printf '%s %s\n' "$(date +%s%N)" "$*" >>"$ACTIONS"; }
inns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# --- topology -------------------------------------------------------------------------------------------------
for ns in "${NS[@]}"; do ip netns add "$ns"; inns "$ns" ip link set lo up; done
ip link add lan0 netns vf-gw-a type veth peer name lan0 netns vf-gw-b
ip link add wan0 netns vf-gw-a type veth peer name up-a netns vf-up
ip link add wan0 netns vf-gw-b type veth peer name up-b netns vf-up
inns vf-gw-a ip link set lan0 address 52:54:00:00:a0:01
inns vf-gw-b ip link set lan0 address 52:54:00:00:b0:01
inns vf-gw-a ip addr add 198.51.100.175/24 dev lan0
inns vf-gw-b ip addr add 198.51.100.176/24 dev lan0
inns vf-gw-a ip addr add 203.0.113.1/24 dev wan0
inns vf-gw-b ip addr add 203.0.113.2/24 dev wan0
inns vf-up ip addr add 203.0.113.254/24 dev up-a
inns vf-up ip link add br0 type bridge 2>/dev/null || true
for ns in vf-gw-a vf-gw-b; do
  for i in lan0 wan0; do inns "$ns" ip link set "$i" up; done
  inns "$ns" sysctl -qw net.ipv4.ip_forward=1 net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
done
inns vf-up ip link set up-a up
inns vf-up ip link set up-b up

# --- per-gateway host: hostname, rsyslogd, /dev/log, keepalived config in /etc/keepalived ---------------------
prio_of() { case $1 in a) echo 150;; b) echo 100;; esac; }
addr_of() { case $1 in a) echo 198.51.100.175;; b) echo 198.51.100.176;; esac; }
for g in a b; do
  d="$WORK/gw-$g"; mkdir -p "$d/out" "$d/etc" "$d/run" "$d/spool"
  cat >"$d/etc/keepalived.conf" <<KC
! gw-$g: one VRRP instance on the LAN, VIP 198.51.100.254
global_defs {
    router_id gw-$g
}
vrrp_instance VI_1 {
    state BACKUP
    interface lan0
    virtual_router_id 150
    priority $(prio_of $g)
    advert_int 1
    mcast_src_ip $(addr_of $g)
    authentication {
        auth_type PASS
        auth_pass s3cr3t-vr
    }
    virtual_ipaddress {
        198.51.100.254/24 dev lan0
    }
}
KC
  cat >"$d/etc/rsyslog.conf" <<RC
global(workDirectory="/var/spool/rsyslog")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="/run/vf-devlog" CreatePath="on")
\$FileCreateMode 0644
*.* action(type="omfile" file="/var/log/lab/syslog" template="RSYSLOG_TraditionalFileFormat")
*.* action(type="omfile" file="/var/log/lab/syslog.rfc3339" template="RSYSLOG_FileFormat")
RC
  # The host shell: private mounts so recorded paths read like a real gateway's (/etc/keepalived, /var/log/lab).
  cat >"$d/host.sh" <<HS
set -e
hostname gw-$g
mount --make-rprivate /
mkdir -p /etc/keepalived /var/log/lab /var/spool/rsyslog
mount --bind "$d/etc" /etc/keepalived
mount --bind "$d/out" /var/log/lab
mount --bind "$d/spool" /var/spool/rsyslog
mount -t tmpfs tmpfs /run
rsyslogd -f /etc/keepalived/rsyslog.conf -i /run/rsyslogd.pid
for i in \$(seq 50); do [ -S /run/vf-devlog ] && break; sleep 0.1; done
mount --bind /run/vf-devlog /dev/log
touch /run/ready
exec sleep infinity
HS
done

start_host() {
  local g=$1
  ip netns exec "vf-gw-$g" unshare --uts --mount --propagation private bash "$WORK/gw-$g/host.sh" &
  PIDS+=($!)
  HOSTPID[$g]=$!
}
declare -A HOSTPID
start_host a; start_host b
sleep 1.5
# run a command inside gateway g's host (its netns, UTS and mount namespaces)
# (ip netns exec and unshare both exec, so the background pid is the host shell itself)
ingw() { local g=$1; shift; nsenter -t "${HOSTPID[$g]}" -n -u -m "$@"; }

# --- recording: captures, conntrack events, snapshots --------------------------------------------------------
# captures: peer side (gw-b, pcap µs on lan0) and sender side (gw-a, -i any: Linux SLL2, nanosecond pcap)
inns vf-gw-b tcpdump -U -n -i lan0 -w "$WORK/gw-b/out/lan0.pcap" 'ip proto 112 or arp' 2>/dev/null & PIDS+=($!)
inns vf-gw-a tcpdump -U -n -i any --time-stamp-precision=nano -w "$WORK/gw-a/out/any.pcap" 'ip proto 112 or arp' 2>/dev/null & PIDS+=($!)
inns vf-gw-a conntrack -E -o timestamp >"$WORK/gw-a/out/conntrack-events.log" 2>/dev/null & PIDS+=($!)
snapshot() {
  local g=$1 t; t=$(date +%s)
  { date -u '+%a %b %e %H:%M:%S UTC %Y'; inns "vf-gw-$g" cat /proc/net/nf_conntrack; } >"$WORK/gw-$g/out/nf_conntrack.$t"
  inns "vf-gw-$g" conntrack -L -o extended,ktimestamp,id >"$WORK/gw-$g/out/conntrack-L.$t" 2>/dev/null || true
}
rules() { local g=$1 tag=$2; inns "vf-gw-$g" iptables-save >"$WORK/gw-$g/out/iptables-save.$tag"; }
sleep 1

case "$SCENARIO" in
  seed-snat)
    act "gw-a: iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1 (naive rule, before keepalived)"
    inns vf-gw-a iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1
    rules a 1-naive-snat
    sleep 1
    act "gw-b: start keepalived (priority 100)"
    ingw b keepalived -D -f /etc/keepalived/keepalived.conf -p /run/keepalived.pid -r /run/vrrp.pid
    sleep 1
    act "gw-a: start keepalived (priority 150)"
    ingw a keepalived -D -f /etc/keepalived/keepalived.conf -p /run/keepalived.pid -r /run/vrrp.pid
    sleep 10; snapshot a; snapshot b
    act "gw-a: iptables -t nat -I POSTROUTING -p vrrp -j ACCEPT (too late: the entry exists)"
    inns vf-gw-a iptables -t nat -I POSTROUTING -p vrrp -j ACCEPT
    rules a 2-vrrp-exempt
    sleep 8; snapshot a
    act "gw-a: iptables -t raw -A OUTPUT -p vrrp -j NOTRACK; conntrack -D -p 112 (the fix)"
    inns vf-gw-a iptables -t raw -A OUTPUT -p vrrp -j NOTRACK
    inns vf-gw-a iptables -I INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT
    inns vf-gw-a conntrack -D -p 112 >/dev/null 2>&1 || true
    rules a 3-notrack
    sleep 8; snapshot a; snapshot b
    ;;
  *) echo "record.sh: unknown scenario $SCENARIO" >&2; exit 2 ;;
esac

act "stop keepalived on both gateways"
for g in a b; do ingw "$g" sh -c 'kill -TERM $(cat /run/keepalived.pid)' || true; done
sleep 2
for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
sleep 1

mkdir -p "$OUT"
for g in a b; do
  mkdir -p "$OUT/gw-$g"
  cp "$WORK/gw-$g/etc/keepalived.conf" "$OUT/gw-$g/"
  cp -r "$WORK/gw-$g/out/." "$OUT/gw-$g/"
done
cp "$ACTIONS" "$OUT/actions.log"
# no path of this machine may appear in a recording
if grep -rl "$WORK" "$OUT" >/dev/null 2>&1; then echo "record.sh: warning: a recording mentions $WORK" >&2; fi
echo "recorded $SCENARIO into $OUT"
