#!/usr/bin/env bash
# stop.sh STATE_DIR NAME — powers the machine off (SIGTERM to nspawn: a clean shutdown), then
# removes its NAT table and veth, restores ip_forward (once no other machine's NAT is left) and
# deletes its root filesystem. Safe to run twice and after a failed boot.
# Not node_modules/.bin's `nft` (see nat.sh).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
state=${1:?usage: stop.sh STATE_DIR NAME}; name=${2:?}
guard=$(cat "$state/$name.guard.pid" 2>/dev/null || true)
if [[ -n $guard && $guard != "$$" && $guard != "$PPID" ]]; then kill "$guard" 2>/dev/null; fi
pid=$(cat "$state/$name.nspawn.pid" 2>/dev/null || true)
if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
fi
nft delete table ip "${name}_nat" 2>/dev/null
ip link delete "ve-$name" 2>/dev/null
# Another machine still running needs forwarding on.
if [[ -f $state/$name.ip_forward ]] && ! nft list tables | grep -q '_nat$'; then
  cat "$state/$name.ip_forward" >/proc/sys/net/ipv4/ip_forward
fi
rm -rf "$state/$name.root" "/run/systemd/nspawn/propagate/$name" "$state/$name".{nspawn,guard}.pid "$state/$name.ip_forward"
exit 0
