#!/usr/bin/env bash
# start.sh STATE_DIR NAME — starts the machine prepared by boot.sh, at first and again after a
# `systemctl reboot` inside it: nspawn then exits (status 133), since only a host's systemd
# (systemd-nspawn@.service) would start it again, and there is none here.
set -euo pipefail
# Not node_modules/.bin's `nft` (see nat.sh).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
state=${1:?usage: start.sh STATE_DIR NAME}; name=${2:?}
here=$(dirname "$0")
# Without systemd on the host there is no machined to register with, nor a unit to move into.
setsid systemd-nspawn --directory="$state/$name.root" --machine="$name" --boot --register=no --keep-unit \
  --network-veth --resolv-conf=copy-host --console=read-only \
  </dev/null >>"$state/$name.console.log" 2>&1 &
echo $! >"$state/$name.nspawn.pid"
bash "$here/nat.sh" "$name"
bash "$here/link-up.sh" "$name"
