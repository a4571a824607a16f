#!/usr/bin/env bash
# Records a real keepalived incident in network namespaces: two gateways (gw-a, gw-b) on a LAN, each with an uplink
# to "up". Real keepalived, iptables (nft backend), conntrack, tcpdump and rsyslog; every gateway has its own
# hostname and /dev/log (unshare --uts --mount). Addresses are documentation ranges only, inside our namespaces.
#
#   scripts/lab/record.sh SCENARIO OUTDIR        (as root; `npm run lab -- SCENARIO OUTDIR`)
#
# Scenarios: seed-snat, intermittent, clean-failover, split-brain, vrrpv3-unicast, nft-jump, ah-auth, both-snat,
# unicast-check-src, expiry, delete-only, vmac, preempt-short, sync-group, reload-race, idle-after-fix, v3-half-fixed,
# conntrack-full, unicast-clash, link-down, firewall-drop, policy-drop (each samples/*/README.md).
# link-down puts the LAN on a bridge in vf-up (port lan-a for gw-a, lan-b for gw-b) so one gateway's link can lose
# its carrier alone, as when a switch port or cable fails. Cleans up every namespace and process on exit.
# conntrack-full lowers the machine-wide net.netfilter.nf_conntrack_max for a few seconds (a namespace cannot set
# its own: the sysctl is read-only outside the initial namespace) and restores it on exit.
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
  [ -n "${CT_MAX_SAVED:-}" ] && sysctl -qw net.netfilter.nf_conntrack_max="$CT_MAX_SAVED"
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# The bind-mount target for each gateway's private /dev/log (the host has none here; remove it afterwards).
if [ ! -e /dev/log ]; then touch /dev/log /dev/log.vf-lab; fi

ACTIONS="$WORK/actions.log"
act() { printf '%s %s\n' "$(date +%s%N)" "$*" >>"$ACTIONS"; }
inns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# --- scenario parameters (defaults = the seed) -------------------------------------------------------------------
ADDR_A=198.51.100.175; ADDR_B=198.51.100.176; WAN_A=203.0.113.1; WAN_B=203.0.113.2
PRIO_A=150; PRIO_B=100; VERSION=2; UNICAST=0; CHECK=0; AUTH=PASS; CHECK_SRC=0; VMAC=0
CAP_PEER=pcap; CAP_SENDER=any-ns; CT_FORMAT=both; SYNC=0; LOGFILE=0; KEEP_RUNNING=0; CT_MAX_SAVED=; BRIDGE=0
case "$SCENARIO" in
  seed-snat) ;;
  intermittent) PRIO_B=148; CHECK=1; CAP_PEER=pcapng; CAP_SENDER=pcap-ns; CT_FORMAT=ctl ;;
  clean-failover) CAP_PEER=pcap-ns; CAP_SENDER=pcap; CT_FORMAT=proc ;;
  split-brain) ADDR_A=198.51.100.177; WAN_A=192.0.2.1; PRIO_A=100; PRIO_B=100; CAP_PEER=any; CAP_SENDER=pcapng; CT_FORMAT=proc ;;
  vrrpv3-unicast) VERSION=3; UNICAST=1; CAP_PEER=pcapng; CAP_SENDER=any-ns; CT_FORMAT=ctl ;;
  nft-jump) CAP_PEER=pcap; CAP_SENDER=pcapng; CT_FORMAT=proc ;;
  ah-auth) AUTH=AH; CAP_PEER=pcap; CAP_SENDER=any-ns; CT_FORMAT=both ;;
  both-snat) CAP_PEER=any-ns; CAP_SENDER=pcap; CT_FORMAT=proc ;;
  unicast-check-src) UNICAST=1; CHECK_SRC=1; CAP_PEER=pcap; CAP_SENDER=pcap-ns; CT_FORMAT=ctl ;;
  expiry) CAP_PEER=pcap; CAP_SENDER=any-ns; CT_FORMAT=proc ;;
  delete-only) CAP_PEER=pcap-ns; CAP_SENDER=pcap; CT_FORMAT=both ;;
  vmac) VMAC=1; CAP_PEER=pcap; CAP_SENDER=any-ns; CT_FORMAT=proc ;;
  sync-group) SYNC=1; LOGFILE=1; CAP_PEER=pcap; CAP_SENDER=any-ns; CT_FORMAT=proc ;;
  preempt-short) CAP_PEER=pcap; CAP_SENDER=pcap-ns; CT_FORMAT=proc ;;
  reload-race) CAP_PEER=pcap; CAP_SENDER=pcap-ns; CT_FORMAT=ctl ;;
  idle-after-fix) CAP_PEER=pcap; CAP_SENDER=any-ns; CT_FORMAT=both ;;
  v3-half-fixed) VERSION=3; UNICAST=1; KEEP_RUNNING=1; CAP_PEER=pcap; CAP_SENDER=pcap-ns; CT_FORMAT=ctl ;;
  conntrack-full) CAP_PEER=pcap-ns; CAP_SENDER=pcap; CT_FORMAT=ctl ;;
  unicast-clash) UNICAST=1; PRIO_A=100; PRIO_B=150; CAP_PEER=pcap; CAP_SENDER=pcap; CT_FORMAT=ctl ;;
  link-down) BRIDGE=1; CAP_PEER=pcap; CAP_SENDER=pcap; CT_FORMAT=ctl ;;
  firewall-drop) CAP_PEER=pcap; CAP_SENDER=pcap; CT_FORMAT=ctl ;;
  policy-drop) CAP_PEER=pcapng; CAP_SENDER=pcap; CT_FORMAT=proc ;;
  *) echo "record.sh: unknown scenario $SCENARIO (seed-snat, intermittent, clean-failover, split-brain, vrrpv3-unicast, nft-jump, ah-auth, both-snat, unicast-check-src, expiry, delete-only, vmac, preempt-short, sync-group, reload-race, idle-after-fix, v3-half-fixed, conntrack-full, unicast-clash, link-down, firewall-drop, policy-drop)" >&2; exit 2 ;;
esac
WAN_A_NET=${WAN_A%.*}; WAN_B_NET=${WAN_B%.*}

# --- topology -------------------------------------------------------------------------------------------------
for ns in "${NS[@]}"; do ip netns add "$ns"; inns "$ns" ip link set lo up; done
if [ "$BRIDGE" = 1 ]; then
  # the LAN as a switch: a bridge in vf-up, one port per gateway
  inns vf-up ip link add br-lan type bridge
  ip link add lan0 netns vf-gw-a type veth peer name lan-a netns vf-up
  ip link add lan0 netns vf-gw-b type veth peer name lan-b netns vf-up
  for p in lan-a lan-b; do inns vf-up ip link set "$p" master br-lan; inns vf-up ip link set "$p" up; done
  inns vf-up ip link set br-lan up
else
  ip link add lan0 netns vf-gw-a type veth peer name lan0 netns vf-gw-b
fi
ip link add wan0 netns vf-gw-a type veth peer name up-a netns vf-up
ip link add wan0 netns vf-gw-b type veth peer name up-b netns vf-up
inns vf-gw-a ip link set lan0 address 52:54:00:00:a0:01
inns vf-gw-b ip link set lan0 address 52:54:00:00:b0:01
inns vf-gw-a ip addr add "$ADDR_A/24" dev lan0
inns vf-gw-b ip addr add "$ADDR_B/24" dev lan0
inns vf-gw-a ip addr add "$WAN_A/24" dev wan0
inns vf-gw-b ip addr add "$WAN_B/24" dev wan0
inns vf-up ip addr add "$WAN_A_NET.254/24" dev up-a
for ns in vf-gw-a vf-gw-b; do
  for i in lan0 wan0; do inns "$ns" ip link set "$i" up; done
  inns "$ns" sysctl -qw net.ipv4.ip_forward=1 net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
done
inns vf-up ip link set up-a up
inns vf-up ip link set up-b up

# --- per-gateway host: hostname, rsyslogd, /dev/log, keepalived config in /etc/keepalived ---------------------
prio_of() { case $1 in a) echo "$PRIO_A";; b) echo "$PRIO_B";; esac; }
addr_of() { case $1 in a) echo "$ADDR_A";; b) echo "$ADDR_B";; esac; }
peer_of() { case $1 in a) echo "$ADDR_B";; b) echo "$ADDR_A";; esac; }
for g in a b; do
  d="$WORK/gw-$g"; mkdir -p "$d/out" "$d/etc" "$d/run" "$d/spool"
  {
    echo "! gw-$g: one VRRP instance on the LAN, VIP 198.51.100.254 ($SCENARIO)"
    echo "global_defs {"
    echo "    router_id gw-$g"
    echo "}"
    if [ "$CHECK" = 1 ] && [ "$g" = a ]; then
      cat <<'SC'
vrrp_script check_run {
    script "/bin/sh -c '! test -e /run/fail'"
    interval 1
    weight -5
    fall 1
    rise 1
}
SC
    fi
    echo "vrrp_instance VI_1 {"
    echo "    state BACKUP"
    echo "    interface lan0"
    echo "    virtual_router_id 150"
    if [ "$VMAC" = 1 ]; then echo "    use_vmac"; fi
    echo "    priority $(prio_of $g)"
    echo "    advert_int 1"
    if [ "$VERSION" = 3 ]; then echo "    version 3"; fi
    if [ "$UNICAST" = 1 ]; then
      if [ "$CHECK_SRC" = 1 ]; then echo "    check_unicast_src"; fi
      echo "    unicast_src_ip $(addr_of $g)"
      echo "    unicast_peer {"
      echo "        $(peer_of $g)"
      echo "    }"
    else
      echo "    mcast_src_ip $(addr_of $g)"
    fi
    if [ "$VERSION" = 2 ]; then
      echo "    authentication {"
      echo "        auth_type $AUTH"
      echo "        auth_pass s3cr3t-vr"
      echo "    }"
    fi
    echo "    virtual_ipaddress {"
    echo "        198.51.100.254/24 dev lan0"
    echo "    }"
    if [ "$CHECK" = 1 ] && [ "$g" = a ]; then
      echo "    track_script {"
      echo "        check_run"
      echo "    }"
    fi
    echo "}"
    if [ "$SYNC" = 1 ]; then
      # a second instance on the uplink side, kept in step with VI_1 by a sync group
      echo "vrrp_instance VI_2 {"
      echo "    state BACKUP"
      echo "    interface lan0"
      echo "    virtual_router_id 151"
      echo "    priority $(prio_of $g)"
      echo "    advert_int 1"
      echo "    mcast_src_ip $(addr_of $g)"
      echo "    virtual_ipaddress {"
      echo "        198.51.100.253/24 dev lan0"
      echo "    }"
      echo "}"
      echo "vrrp_sync_group VG1 {"
      echo "    group {"
      echo "        VI_1"
      echo "        VI_2"
      echo "    }"
      echo "}"
    fi
  } >"$d/etc/keepalived.conf"
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
# captures, in a different format per scenario: peer side on gw-b, sender side on gw-a
capture() {
  local g=$1 fmt=$2 filter='ip proto 112 or ip proto 51 or arp'
  case $fmt in
    pcap)    inns "vf-gw-$g" tcpdump -U -n -i lan0 -w "$WORK/gw-$g/out/lan0.pcap" "$filter" 2>/dev/null & ;;
    pcap-ns) inns "vf-gw-$g" tcpdump -U -n -i lan0 --time-stamp-precision=nano -w "$WORK/gw-$g/out/lan0-ns.pcap" "$filter" 2>/dev/null & ;;
    any)     inns "vf-gw-$g" tcpdump -U -n -i any -w "$WORK/gw-$g/out/any.pcap" "$filter" 2>/dev/null & ;;
    any-ns)  inns "vf-gw-$g" tcpdump -U -n -i any --time-stamp-precision=nano -w "$WORK/gw-$g/out/any.pcap" "$filter" 2>/dev/null & ;;
    pcapng)  inns "vf-gw-$g" dumpcap -q -i lan0 -f "$filter" -w "$WORK/gw-$g/out/lan0.pcapng" 2>/dev/null & ;;
  esac
  PIDS+=($!)
  CAPTURES+=($!)
}
CAPTURES=()
capture b "$CAP_PEER"
capture a "$CAP_SENDER"
for g in a b; do
  inns "vf-gw-$g" conntrack -E -o timestamp >"$WORK/gw-$g/out/conntrack-events.log" 2>/dev/null & PIDS+=($!)
done
snapshot() {
  local g=$1 t; t=$(date +%s)
  if [ "$CT_FORMAT" != ctl ]; then
    { date -u '+%a %b %e %H:%M:%S UTC %Y'; inns "vf-gw-$g" cat /proc/net/nf_conntrack; } >"$WORK/gw-$g/out/nf_conntrack.$t"
  fi
  if [ "$CT_FORMAT" != proc ]; then
    inns "vf-gw-$g" conntrack -L -o extended,ktimestamp,id >"$WORK/gw-$g/out/conntrack-L.$t" 2>/dev/null || true
    [ -s "$WORK/gw-$g/out/conntrack-L.$t" ] || rm -f "$WORK/gw-$g/out/conntrack-L.$t"
  fi
}
# keepalived on gateway g, as a real host runs it (-D: the detail lines that explain elections)
start_ka() {
  if [ "$LOGFILE" = 1 ]; then
    # keepalived in the foreground logging to the console too (--log-console; Debian's build has no -g log file):
    # its framing names no host and no program
    ingw "$1" sh -c 'exec keepalived -D -l -n -f /etc/keepalived/keepalived.conf -p /run/keepalived.pid -r /run/vrrp.pid >>/var/log/lab/keepalived-console.log 2>&1' &
    PIDS+=($!)
    return
  fi
  ingw "$1" keepalived -D -f /etc/keepalived/keepalived.conf -p /run/keepalived.pid -r /run/vrrp.pid
}
stop_ka() { ingw "$1" sh -c 'kill -TERM $(cat /run/keepalived.pid)'; }
# the usual start: gw-b (lower priority) first, gw-a a second later
start_pair() {
  act "gw-b: start keepalived (priority $PRIO_B)"
  start_ka b
  sleep 1
  act "gw-a: start keepalived (priority $PRIO_A)"
  start_ka a
}
# conntrack's per-cpu counters (insert_failed, drop: packets whose new entry clashed with an existing one) into
# actions.log, one line per cpu
ctstats() { local g=$1 l; inns "vf-gw-$g" conntrack -S 2>/dev/null | while read -r l; do act "gw-$g: conntrack -S: $l"; done; }
rules() { local g=$1 tag=$2; inns "vf-gw-$g" iptables-save >"$WORK/gw-$g/out/iptables-save.$tag"; }
# the incident's cause: gw-a's catch-all SNAT, in force before keepalived sends its first advert (saved as 1-naive-snat)
naive_snat_a() {
  act "gw-a: iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1 (naive, before keepalived)"
  inns vf-gw-a iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1
  rules a 1-naive-snat
}
# the usual fix on gateway g: raw NOTRACK for VRRP and accept UNTRACKED; with "delete", conntrack -D -p 112 as well
notrack() {
  local g=$1
  inns "vf-gw-$g" iptables -t raw -A OUTPUT -p vrrp -j NOTRACK
  inns "vf-gw-$g" iptables -I INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT
  if [ "${2:-}" = delete ]; then inns "vf-gw-$g" conntrack -D -p 112 >/dev/null 2>&1 || true; fi
}
# nft has no date in its listing: an operator who keeps one writes `date` first (what the readers take as its time)
nftsave() { local g=$1 tag=$2; { date -u '+%a %b %e %H:%M:%S UTC %Y'; inns "vf-gw-$g" nft list ruleset; } >"$WORK/gw-$g/out/nft-ruleset.$tag"; }
# gw-a's correct nat ruleset ($WORK/rules-good): VRRP exempt from the catch-all SNAT (scenarios derive a broken one by
# dropping the exemption)
exempt_rules() {
  cat >"$WORK/rules-good" <<'R'
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -p vrrp -j ACCEPT
-A POSTROUTING -j SNAT --to-source 203.0.113.1
COMMIT
R
}
sleep 1

case "$SCENARIO" in
  seed-snat)
    act "gw-a: iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1 (naive rule, before keepalived)"
    inns vf-gw-a iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1
    rules a 1-naive-snat
    sleep 1
    act "gw-b: start keepalived (priority 100)"
    start_ka b
    sleep 1
    act "gw-a: start keepalived (priority 150)"
    start_ka a
    sleep 10; snapshot a; snapshot b
    act "gw-a: iptables -t nat -I POSTROUTING -p vrrp -j ACCEPT (too late: the entry exists)"
    inns vf-gw-a iptables -t nat -I POSTROUTING -p vrrp -j ACCEPT
    rules a 2-vrrp-exempt
    sleep 8; snapshot a
    act "gw-a: iptables -t raw -A OUTPUT -p vrrp -j NOTRACK; conntrack -D -p 112 (the fix)"
    notrack a delete
    rules a 3-notrack
    sleep 8; snapshot a; snapshot b
    ;;
  intermittent)
    exempt_rules
    grep -v -- '-p vrrp' "$WORK/rules-good" >"$WORK/rules-bad"
    act "gw-a: iptables-restore ruleset with the VRRP exemption (correct)"
    inns vf-gw-a iptables-restore "$WORK/rules-good"
    rules a 1-correct
    act "gw-b: start keepalived (priority $PRIO_B)"
    start_ka b
    sleep 1
    act "gw-a: start keepalived (priority $PRIO_A, track_script check_run weight -5)"
    start_ka a
    sleep 8; snapshot a
    act "gw-a: firewall reload: iptables-restore WITHOUT the exemption, conntrack -F (as a reload script does)"
    inns vf-gw-a iptables-restore "$WORK/rules-bad"
    inns vf-gw-a conntrack -F >/dev/null 2>&1 || true
    rules a 2-reload-without-exemption
    sleep 2
    act "gw-a: iptables-restore with the exemption again (too late: the entry exists)"
    inns vf-gw-a iptables-restore "$WORK/rules-good"
    rules a 3-exemption-back
    sleep 6; snapshot a
    act "gw-a: check_run starts failing (touch /run/fail): priority 150 -> 145, below gw-b's 148"
    ingw a touch /run/fail
    sleep 8; snapshot a
    ;;
  preempt-short)
    # a short capture of a preempting pair: the captures stop soon after the higher-priority master returns, long
    # before three silent intervals of the other could be seen
    act "gw-a: correct rules: raw NOTRACK for VRRP, accept UNTRACKED, SNAT only out of wan0"
    notrack a
    inns vf-gw-a iptables -t nat -A POSTROUTING -o wan0 -j SNAT --to-source 203.0.113.1
    rules a 1-correct
    start_pair
    sleep 6; snapshot a
    act "gw-a: stop keepalived (maintenance): it resigns with priority 0, gw-b takes over"
    stop_ka a
    sleep 5
    act "gw-a: start keepalived again: after its master-down interval it preempts gw-b"
    start_ka a
    sleep 5
    act "both captures stop (tcpdump/dumpcap interrupted), keepalived still running"
    # each capture runs in a background subshell (which ignores SIGINT): TERM its child, the capture program itself
    for p in "${CAPTURES[@]}"; do pkill -TERM -P "$p" 2>/dev/null || true; done
    sleep 1; snapshot a
    ;;
  clean-failover)
    act "gw-a: correct rules: raw NOTRACK for VRRP, accept UNTRACKED, SNAT only out of wan0"
    notrack a
    inns vf-gw-a iptables -t nat -A POSTROUTING -o wan0 -j SNAT --to-source 203.0.113.1
    rules a 1-correct
    start_pair
    sleep 7; snapshot a
    act "gw-a: stop keepalived (maintenance): gw-b takes over"
    stop_ka a
    sleep 6; snapshot a
    act "gw-a: start keepalived again: it preempts back"
    start_ka a
    sleep 8; snapshot a
    ;;
  split-brain)
    act "gw-a: iptables -t nat -A POSTROUTING -j SNAT --to-source $WAN_A (naive; $WAN_A is below gw-b's $ADDR_B)"
    inns vf-gw-a iptables -t nat -A POSTROUTING -j SNAT --to-source "$WAN_A"
    rules a 1-naive-snat
    act "gw-a, gw-b: iptables -I INPUT -p vrrp -j DROP (a short VRRP outage: neither hears the other)"
    inns vf-gw-a iptables -I INPUT -p vrrp -j DROP
    inns vf-gw-b iptables -I INPUT -p vrrp -j DROP
    rules a 2-outage; rules b 1-outage
    act "gw-b: start keepalived (priority $PRIO_B)"
    start_ka b
    act "gw-a: start keepalived (priority $PRIO_A, equal)"
    start_ka a
    sleep 6; snapshot a
    act "gw-a, gw-b: iptables -D INPUT -p vrrp -j DROP (outage over; both are MASTER and stay so)"
    inns vf-gw-a iptables -D INPUT -p vrrp -j DROP
    inns vf-gw-b iptables -D INPUT -p vrrp -j DROP
    rules a 3-outage-over; rules b 2-outage-over
    # the "forcing new election" ping-pong runs at thousands of adverts a second: record one second of it
    sleep 1; snapshot a
    ;;
  vrrpv3-unicast)
    naive_snat_a
    # gw-a first: its own advert must create the conntrack entry (were gw-b's adverts first, gw-a's would match that
    # entry's reply direction and leave untranslated)
    act "gw-a: start keepalived (VRRPv3 unicast, priority $PRIO_A)"
    start_ka a
    sleep 6; snapshot a
    act "gw-b: start keepalived (VRRPv3 unicast, priority $PRIO_B)"
    start_ka b
    sleep 12; snapshot a
    ;;
  vmac)
    # use_vmac: keepalived sends from a macvlan (vrrp.150) with the VRRP virtual MAC; the naive rule has no -o, so it
    # matches there too
    naive_snat_a
    start_pair
    sleep 8; snapshot a
    act "gw-a: the fix: raw NOTRACK for VRRP, accept UNTRACKED, then conntrack -D -p 112"
    notrack a delete
    rules a 2-notrack
    sleep 6; snapshot a
    ;;
  delete-only)
    # the first thing people try: delete the entry, and leave the rules as they are
    naive_snat_a
    start_pair
    sleep 7; snapshot a
    act "gw-a: conntrack -D -p 112 (no rule change: the next advert makes the same translated entry again)"
    inns vf-gw-a conntrack -D -p 112 >/dev/null 2>&1 || true
    sleep 6; snapshot a
    act "gw-a: the fix: raw NOTRACK for VRRP, accept UNTRACKED, then conntrack -D -p 112"
    notrack a delete
    rules a 2-notrack
    sleep 6; snapshot a
    ;;
  expiry)
    # the generic timeout shortened to 5 s (600 s by default) so an entry can age out while its router is silent
    inns vf-gw-a sysctl -qw net.netfilter.nf_conntrack_generic_timeout=5
    act "gw-a: sysctl net.netfilter.nf_conntrack_generic_timeout=5; iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1 (naive)"
    inns vf-gw-a iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1
    rules a 1-naive-snat
    start_pair
    sleep 7; snapshot a
    act "gw-a: stop keepalived (maintenance); gw-b takes over; gw-a's entry ages out after 5 s of silence"
    stop_ka a
    sleep 3
    act "gw-a: iptables -t nat -I POSTROUTING -p vrrp -j ACCEPT (while its entry is still there)"
    inns vf-gw-a iptables -t nat -I POSTROUTING -p vrrp -j ACCEPT
    rules a 2-vrrp-exempt
    sleep 6; snapshot a
    act "gw-a: start keepalived again: its first advert makes a new entry, which the exemption now keeps untranslated"
    start_ka a
    sleep 8; snapshot a
    ;;
  unicast-check-src)
    # VRRPv2 unicast with check_unicast_src: the peer refuses adverts from an address that is not a listed peer
    naive_snat_a
    # gw-a first: its own advert must create the conntrack entry (see vrrpv3-unicast)
    act "gw-a: start keepalived (VRRPv2 unicast, check_unicast_src, priority $PRIO_A)"
    start_ka a
    sleep 6; snapshot a
    act "gw-b: start keepalived (VRRPv2 unicast, check_unicast_src, priority $PRIO_B)"
    start_ka b
    sleep 10; snapshot a
    act "gw-a: the fix: raw NOTRACK for VRRP, accept UNTRACKED, conntrack -D -p 112"
    notrack a delete
    rules a 2-notrack
    sleep 6; snapshot a
    ;;
  both-snat)
    # a pair is usually configured alike: both gateways get the same naive rule, each to its own uplink address
    act "gw-a, gw-b: iptables -t nat -A POSTROUTING -j SNAT --to-source (203.0.113.1 on gw-a, 203.0.113.2 on gw-b), before keepalived"
    inns vf-gw-a iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1
    inns vf-gw-b iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.2
    rules a 1-naive-snat; rules b 1-naive-snat
    start_pair
    sleep 8; snapshot a; snapshot b
    act "gw-a: stop keepalived (maintenance): gw-b takes over, its adverts leave as 203.0.113.2"
    stop_ka a
    sleep 6; snapshot a; snapshot b
    act "gw-a: start keepalived again: it preempts back"
    start_ka a
    sleep 6; snapshot a; snapshot b
    act "gw-a, gw-b: the fix on both: raw NOTRACK for VRRP, accept UNTRACKED, conntrack -D -p 112"
    for g in a b; do notrack "$g" delete; done
    rules a 2-notrack; rules b 2-notrack
    sleep 6; snapshot a; snapshot b
    ;;
  ah-auth)
    # auth_type AH: adverts are IP protocol 51 (AH around VRRP), so every `-p vrrp` rule misses them
    act "gw-a: iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1 (naive rule, before keepalived)"
    inns vf-gw-a iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1
    rules a 1-naive-snat
    sleep 1
    act "gw-b: start keepalived (priority 100, auth_type AH)"
    start_ka b
    sleep 1
    act "gw-a: start keepalived (priority 150, auth_type AH)"
    start_ka a
    sleep 8; snapshot a
    act "gw-a: the usual fix for -p vrrp: raw NOTRACK, accept UNTRACKED, nat exemption, conntrack -D -p 112 (misses AH)"
    inns vf-gw-a iptables -t nat -I POSTROUTING -p vrrp -j ACCEPT
    notrack a delete
    rules a 2-vrrp-fix
    sleep 8; snapshot a
    act "gw-a: the fix for AH: iptables -t raw -A OUTPUT -p ah -j NOTRACK; conntrack -D -p 51"
    inns vf-gw-a iptables -t raw -A OUTPUT -p ah -j NOTRACK
    inns vf-gw-a conntrack -D -p 51 >/dev/null 2>&1 || true
    rules a 3-ah-notrack
    sleep 8; snapshot a; snapshot b
    ;;
  sync-group)
    # VI_1 and VI_2 in vrrp_sync_group VG1; keepalived also logs to its console (-l); the seed's naive SNAT
    act "gw-a: iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1 (naive rule, before keepalived)"
    inns vf-gw-a iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1
    rules a 1-naive-snat
    sleep 1
    start_pair
    sleep 8; snapshot a
    act "gw-a: stop keepalived (maintenance): gw-b's sync group takes both instances to MASTER"
    stop_ka a
    sleep 5
    act "gw-a: start keepalived again: it preempts back"
    start_ka a
    sleep 6; snapshot a
    act "gw-a: the fix: raw NOTRACK for VRRP, accept UNTRACKED, conntrack -D -p 112"
    notrack a delete
    rules a 2-notrack
    sleep 5; snapshot a; snapshot b
    ;;
  nft-jump)
    # native nftables, chains named by the admin: SNAT for the LAN sits in a chain the postrouting hook jumps to
    cat >"$WORK/nft-1" <<'R'
table inet gw {
	chain srcnat {
		type nat hook postrouting priority srcnat; policy accept;
		jump lan_out
	}

	chain lan_out {
		ip saddr 198.51.100.0/24 snat ip to 203.0.113.1
	}
}
R
    act "gw-a: nft -f: table inet gw; chain srcnat (hook postrouting) jumps to lan_out: ip saddr 198.51.100.0/24 snat ip to 203.0.113.1"
    inns vf-gw-a nft -f "$WORK/nft-1"
    nftsave a 1-snat-lan
    sleep 1
    start_pair
    sleep 10; snapshot a; snapshot b
    act "gw-a: nft insert rule inet gw lan_out ip protocol vrrp return (too late: the entry exists)"
    inns vf-gw-a nft insert rule inet gw lan_out ip protocol vrrp return
    nftsave a 2-vrrp-return
    sleep 8; snapshot a
    act "gw-a: the fix in nft: chain rawout (hook output, priority raw) ip protocol vrrp notrack; chain input ct state untracked accept; conntrack -D -p 112"
    inns vf-gw-a nft add chain inet gw rawout '{ type filter hook output priority raw; policy accept; }'
    inns vf-gw-a nft add rule inet gw rawout ip protocol vrrp notrack
    inns vf-gw-a nft add chain inet gw input '{ type filter hook input priority filter; policy accept; }'
    inns vf-gw-a nft add rule inet gw input ct state untracked accept
    inns vf-gw-a conntrack -D -p 112 >/dev/null 2>&1 || true
    nftsave a 3-notrack
    sleep 8; snapshot a; snapshot b
    ;;
  reload-race)
    # a firewall reload script: iptables-restore of a ruleset that lost the VRRP exemption, then conntrack -F; the
    # snapshot before it exempts VRRP, the one after does not
    exempt_rules
    grep -v -- '-p vrrp' "$WORK/rules-good" >"$WORK/rules-reload"
    act "gw-a: iptables-restore ruleset with the VRRP exemption (correct)"
    inns vf-gw-a iptables-restore "$WORK/rules-good"
    start_pair
    sleep 6; snapshot a
    rules a 1-before-reload
    sleep 2
    act "gw-a: firewall reload: iptables-restore of a ruleset WITHOUT the VRRP exemption, then conntrack -F"
    inns vf-gw-a iptables-restore "$WORK/rules-reload"
    inns vf-gw-a conntrack -F >/dev/null 2>&1 || true
    sleep 5; snapshot a
    rules a 2-after-reload
    sleep 4; snapshot a
    ;;
  idle-after-fix)
    # the fix without the deletion: NOTRACK makes the adverts skip conntrack, so the translated entry is left idle
    naive_snat_a
    start_pair
    sleep 6; snapshot a
    act "gw-a: raw NOTRACK for VRRP and accept UNTRACKED, no conntrack -D: the translated entry stays, idle"
    notrack a
    rules a 2-notrack
    for i in 1 2 3 4; do sleep 3; snapshot a; done
    ;;
  v3-half-fixed)
    # VRRPv3 unicast, both gateways with the naive SNAT: each one's adverts leave translated and fail the other's
    # checksum (split brain); the fix goes onto gw-b only, and the evidence ends with keepalived still running
    act "gw-a, gw-b: iptables -t nat -A POSTROUTING -j SNAT --to-source (203.0.113.1 on gw-a, 203.0.113.2 on gw-b), before keepalived"
    inns vf-gw-a iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1
    inns vf-gw-b iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.2
    rules a 1-naive-snat; rules b 1-naive-snat
    act "gw-b: start keepalived (VRRPv3 unicast, priority $PRIO_B)"
    start_ka b
    sleep 5
    act "gw-a: start keepalived (VRRPv3 unicast, priority $PRIO_A)"
    start_ka a
    sleep 6; snapshot a; snapshot b
    act "gw-b: the fix on gw-b only: raw NOTRACK for VRRP, accept UNTRACKED, conntrack -D -p 112"
    notrack b delete
    rules b 2-notrack
    sleep 8; snapshot a; snapshot b
    ;;
  conntrack-full)
    # gw-b's conntrack table full of other flows: a VRRP entry it loses cannot be made again, so the master's adverts
    # are dropped on arrival and gw-b's own cannot leave; the kernel's lines are relayed into gw-b's syslog
    act "gw-b: iptables -A INPUT -m conntrack --ctstate INVALID -j DROP (an ordinary stateful firewall)"
    inns vf-gw-b iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
    rules b 1-stateful
    # the kernel log is one for the machine: relay its conntrack lines into gw-b's syslog as imklog would
    ingw b sh -c 'dmesg -W --notime | grep --line-buffered nf_conntrack | logger -p kern.warning -t kernel' &
    PIDS+=($!)
    start_pair
    sleep 6; snapshot b
    CT_MAX_SAVED=$(sysctl -n net.netfilter.nf_conntrack_max)
    act "machine: sysctl net.netfilter.nf_conntrack_max=24 (a namespace cannot set its own)"
    sysctl -qw net.netfilter.nf_conntrack_max=24
    # the VRRP entries go first (a cleanup script), then the flood takes every slot before gw-a's next advert
    act "gw-b: conntrack -D -p 112 (a cleanup script), then 40 UDP flows to 203.0.113.254 ports 20001-20040 fill its table (24 slots)"
    inns vf-gw-b conntrack -D -p 112 >/dev/null 2>&1 || true
    inns vf-gw-b bash -c 'for p in $(seq 20001 20040); do echo x 2>/dev/null >/dev/udp/203.0.113.254/$p || true; done' || true
    snapshot b
    sleep 8; snapshot b
    act "gw-b: conntrack -D -p udp (the table is freed)"
    inns vf-gw-b conntrack -D -p udp >/dev/null 2>&1 || true
    sleep 4; snapshot b
    sysctl -qw net.netfilter.nf_conntrack_max="$CT_MAX_SAVED"; act "machine: nf_conntrack_max restored to $CT_MAX_SAVED"; CT_MAX_SAVED=
    ;;
  unicast-clash)
    # VRRPv2 unicast; gw-a's adverts to gw-b leave SNAT-ed (entry src=A dst=B, reply src=B dst=203.0.113.1). gw-b's
    # adverts to gw-a (src=B dst=A) need a new entry on gw-a whose reply tuple (src=A dst=B) is that entry's original
    # tuple: it cannot be inserted, so the kernel drops them after gw-a's capture saw them
    naive_snat_a
    act "gw-a: start keepalived (VRRPv2 unicast, priority $PRIO_A)"
    start_ka a
    sleep 6; snapshot a; ctstats a
    act "gw-b: start keepalived (VRRPv2 unicast, priority $PRIO_B): it outranks gw-a"
    start_ka b
    sleep 10; snapshot a; ctstats a
    act "gw-a: the fix: raw NOTRACK for VRRP, accept UNTRACKED, conntrack -D -p 112"
    notrack a delete
    rules a 2-notrack
    sleep 6; snapshot a; ctstats a
    ;;
  link-down)
    # gw-a's LAN link loses its carrier (the switch port goes down): keepalived on gw-a goes to FAULT, gw-b takes over
    # on the advert timeout; the link comes back and gw-a preempts
    act "gw-a: correct rules: raw NOTRACK for VRRP, accept UNTRACKED, SNAT only out of wan0"
    notrack a
    inns vf-gw-a iptables -t nat -A POSTROUTING -o wan0 -j SNAT --to-source 203.0.113.1
    rules a 1-correct
    start_pair
    sleep 6; snapshot a
    act "switch: ip link set lan-a down (gw-a's lan0 loses its carrier)"
    inns vf-up ip link set lan-a down
    sleep 6; snapshot a
    act "switch: ip link set lan-a up (gw-a's lan0 has its carrier again)"
    inns vf-up ip link set lan-a up
    sleep 7; snapshot a
    ;;
  firewall-drop)
    # a hardening rule on gw-b drops VRRP's multicast group: gw-b hears no master, takes over on the advert timeout
    # while gw-a stays MASTER (split brain); the rule is removed and gw-b yields
    act "gw-b: ordinary filter rules (accept established, loopback)"
    inns vf-gw-b iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    inns vf-gw-b iptables -A INPUT -i lo -j ACCEPT
    rules b 1-before
    start_pair
    sleep 6; snapshot b
    act "gw-b: iptables -I INPUT -d 224.0.0.18/32 -j DROP (drops every VRRP advert to the group)"
    inns vf-gw-b iptables -I INPUT -d 224.0.0.18/32 -j DROP
    rules b 2-drop-vrrp
    sleep 8; snapshot b
    act "gw-b: iptables -D INPUT -d 224.0.0.18/32 -j DROP (the rule removed)"
    inns vf-gw-b iptables -D INPUT -d 224.0.0.18/32 -j DROP
    rules b 3-rule-removed
    sleep 5; snapshot b
    ;;
  policy-drop)
    # a default-deny INPUT policy rolled out on gw-b that accepts established traffic, loopback and ssh — and not
    # VRRP: gw-a's adverts (an unreplied flow, never ESTABLISHED) fall to the policy; gw-b takes over on the advert
    # timeout while gw-a stays MASTER (split brain) until VRRP is accepted before the policy
    act "gw-b: filter rules (accept established, loopback, ssh; policy ACCEPT)"
    inns vf-gw-b iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    inns vf-gw-b iptables -A INPUT -i lo -j ACCEPT
    inns vf-gw-b iptables -A INPUT -p tcp --dport 22 -j ACCEPT
    rules b 1-before
    start_pair
    sleep 6; snapshot b
    act "gw-b: iptables -P INPUT DROP (default deny; no rule accepts VRRP)"
    inns vf-gw-b iptables -P INPUT DROP
    rules b 2-default-deny
    sleep 8; snapshot b
    act "gw-b: iptables -I INPUT -p vrrp -j ACCEPT (VRRP accepted before the policy)"
    inns vf-gw-b iptables -I INPUT -p vrrp -j ACCEPT
    rules b 3-vrrp-accepted
    sleep 5; snapshot b
    ;;
esac

if [ "$KEEP_RUNNING" = 1 ]; then
  act "the recorders stop; keepalived still running on both gateways"
else
  act "stop keepalived on both gateways"
  for g in a b; do stop_ka "$g" || true; done
  sleep 2
fi
for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
sleep 1

mkdir -p "$OUT"
for g in a b; do
  mkdir -p "$OUT/gw-$g"
  cp "$WORK/gw-$g/etc/keepalived.conf" "$OUT/gw-$g/"
  cp -r "$WORK/gw-$g/out/." "$OUT/gw-$g/"
done
cp "$ACTIONS" "$OUT/actions.log"
# keep recordings small: anything over 1 MB is gzipped (every reader detects gzip by content)
find "$OUT" -type f -size +1M -exec gzip -9 {} \;
# an event log that stayed empty (no conntrack hooks in that namespace: it had no rules) is not a recording
find "$OUT" -name conntrack-events.log -size 0 -delete
# no path of this machine may appear in a recording
if grep -rl "$WORK" "$OUT" >/dev/null 2>&1; then echo "record.sh: warning: a recording mentions $WORK" >&2; fi
echo "recorded $SCENARIO into $OUT"
