#!/usr/bin/env bash
# link-up.sh NAME — gives the host's end of the machine's veth its address, once nspawn has made
# it (at boot and again after every reboot of the machine, which makes a new veth).
set -euo pipefail
name=${1:?usage: link-up.sh NAME}
: "${HOST_IP:?}" "${PREFIX_LEN:?}"
for _ in $(seq 300); do ip link show "ve-$name" >/dev/null 2>&1 && break; sleep 0.1; done
ip link show "ve-$name" >/dev/null || { echo "no veth ve-$name after 30 s" >&2; exit 1; }
ip addr replace "$HOST_IP/$PREFIX_LEN" dev "ve-$name"
ip link set "ve-$name" up
