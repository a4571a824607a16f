#!/usr/bin/env bash
# Records every saved conntrack format from one real poisoned VRRP flow (test fixtures for the conntrack reader):
# a gateway namespace with a catch-all SNAT rule and keepalived advertising on lan0; then /proc/net/nf_conntrack with
# acct/timestamps off and on (across a conntrack -F flush), conntrack -L in each -o variant, and -E -o timestamp.
#   scripts/lab/conntrack-formats.sh OUTDIR      (root; documentation addresses only; cleans up)
set -euo pipefail
OUT=$(realpath -m "${1:?outdir}")
[ "$(id -u)" = 0 ] || { echo "conntrack-formats.sh: must run as root" >&2; exit 2; }
WORK=$(mktemp -d /tmp/vf-ctf.XXXXXX)
PIDS=()
cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for pid in $(ip netns pids vf-ctf 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  ip netns del vf-ctf 2>/dev/null; ip netns del vf-ctf-peer 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
mkdir -p "$OUT"
ip netns add vf-ctf; ip netns add vf-ctf-peer
ip link add lan0 netns vf-ctf type veth peer name lan0 netns vf-ctf-peer
ip netns exec vf-ctf sh -c 'ip link set lo up; ip addr add 198.51.100.175/24 dev lan0; ip link set lan0 up'
ip netns exec vf-ctf-peer sh -c 'ip link set lo up; ip addr add 198.51.100.176/24 dev lan0; ip link set lan0 up'
ip netns exec vf-ctf sysctl -qw net.netfilter.nf_conntrack_acct=0 net.netfilter.nf_conntrack_timestamp=0
ip netns exec vf-ctf iptables -t nat -A POSTROUTING -j SNAT --to-source 203.0.113.1
cat >"$WORK/k.conf" <<KC
vrrp_instance VI_1 {
    state BACKUP
    interface lan0
    virtual_router_id 150
    priority 150
    advert_int 1
    virtual_ipaddress {
        198.51.100.254/24 dev lan0
    }
}
KC
ip netns exec vf-ctf conntrack -E -o timestamp >"$OUT/conntrack-E-timestamp.log" 2>/dev/null & PIDS+=($!)
ip netns exec vf-ctf conntrack -E >"$OUT/conntrack-E.log" 2>/dev/null & PIDS+=($!)
ip netns exec vf-ctf keepalived -n -l -f "$WORK/k.conf" -p "$WORK/k.pid" -r "$WORK/v.pid" >/dev/null 2>&1 & PIDS+=($!)
sleep 6
{ date -u; ip netns exec vf-ctf cat /proc/net/nf_conntrack; } >"$OUT/proc-nf_conntrack-plain.txt"
# acct and timestamps only attach to entries created after they are switched on: flush, then let the entry re-form
ip netns exec vf-ctf sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1
ip netns exec vf-ctf conntrack -F >/dev/null 2>&1
sleep 4
{ date -u; ip netns exec vf-ctf cat /proc/net/nf_conntrack; } >"$OUT/proc-nf_conntrack-acct-timestamp.txt"
for o in default extended timestamp ktimestamp id labels xml extended,ktimestamp,id xml,ktimestamp; do
  if [ "$o" = default ]; then args=(); else args=(-o "$o"); fi
  ip netns exec vf-ctf conntrack -L "${args[@]}" >"$OUT/conntrack-L-${o//,/_}.txt" 2>/dev/null || true
done
ip netns exec vf-ctf conntrack -L -o extended >"$OUT/conntrack-L-with-stderr.txt" 2>&1 || true
sleep 1
for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
sleep 1
echo "recorded into $OUT"; ls "$OUT"
