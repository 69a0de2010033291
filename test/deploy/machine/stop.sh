#!/usr/bin/env bash
# stop.sh STATE_DIR NAME — powers the machine off (SIGTERM to nspawn: a clean shutdown), then
# removes its NAT table, restores ip_forward and deletes its root filesystem. Safe to run twice
# and after a failed boot.
state=${1:?usage: stop.sh STATE_DIR NAME}; name=${2:?}
pid=$(cat "$state/$name.nspawn.pid" 2>/dev/null || true)
if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
fi
nft delete table ip "${name}_nat" 2>/dev/null
ip link delete "ve-$name" 2>/dev/null
[[ -f $state/$name.ip_forward ]] && cat "$state/$name.ip_forward" >/proc/sys/net/ipv4/ip_forward
rm -rf "$state/$name.root" "/run/systemd/nspawn/propagate/$name" "$state/$name.nspawn.pid" "$state/$name.ip_forward"
exit 0
