#!/usr/bin/env bash
# boot.sh STATE_DIR ROOTFS.tar NAME AUTHORIZED_KEY_FILE — a fresh machine from the pristine root
# filesystem, systemd as its PID 1, on a veth of its own (never the host's network). Its SSH
# accepts the key for the account `admin`. Prints nspawn's PID; stop.sh undoes everything.
set -euo pipefail
state=${1:?usage: boot.sh STATE_DIR ROOTFS.tar NAME AUTHORIZED_KEY_FILE}
tar=${2:?}; name=${3:?}; key=${4:?}
: "${HOST_IP:?}" "${PREFIX_LEN:?}" "${MACHINE_IP:?}"
here=$(dirname "$0")
root=$state/$name.root
mkdir -p "$root"
tar -C "$root" -xf "$tar"
# As Debian's installer leaves it: the host name resolves without asking DNS (sudo looks it up).
echo "$name" >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' "$name" >"$root/etc/hosts"
install -d -m 0700 -o 1000 -g 1000 "$root/home/admin/.ssh"
install -m 0600 -o 1000 -g 1000 "$key" "$root/home/admin/.ssh/authorized_keys"
# Without systemd on the host there is no machined to register with, nor a unit to move into.
setsid systemd-nspawn --directory="$root" --machine="$name" --boot --register=no --keep-unit \
  --network-veth --resolv-conf=copy-host --console=read-only \
  </dev/null >"$state/$name.console.log" 2>&1 &
echo $! >"$state/$name.nspawn.pid"
cat /proc/sys/net/ipv4/ip_forward >"$state/$name.ip_forward"
echo 1 >/proc/sys/net/ipv4/ip_forward
# The machine's way out (apt, the npm registry): NAT in a table of its own, so the host's
# ruleset is never touched.
nft -f - <<NFT
table ip ${name}_nat {
  chain postrouting {
    type nat hook postrouting priority srcnat;
    ip saddr $MACHINE_IP oifname != "ve-$name" masquerade
  }
}
NFT
bash "$here/link-up.sh" "$name"
cat "$state/$name.nspawn.pid"
