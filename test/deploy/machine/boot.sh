#!/usr/bin/env bash
# boot.sh STATE_DIR ROOTFS.tar NAME AUTHORIZED_KEY_FILE OWNER_PID — a fresh machine from the
# pristine root filesystem, systemd as its PID 1, on a veth of its own (never the host's network).
# Its SSH accepts the key for the account `admin`. start.sh starts it (again after a reboot);
# stop.sh undoes everything, and runs by itself once OWNER_PID is gone.
set -euo pipefail
# Not node_modules/.bin's `nft` (see nat.sh).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
state=${1:?usage: boot.sh STATE_DIR ROOTFS.tar NAME AUTHORIZED_KEY_FILE OWNER_PID}
tar=${2:?}; name=${3:?}; key=${4:?}; owner=${5:?}
: "${HOST_IP:?}" "${PREFIX_LEN:?}" "${MACHINE_IP:?}"
here=$(dirname "$0")
root=$state/$name.root
[[ -f $state/$name.ip_forward ]] || cat /proc/sys/net/ipv4/ip_forward >"$state/$name.ip_forward"
setsid bash "$here/guard.sh" "$state" "$name" "$owner" </dev/null >>"$state/$name.guard.log" 2>&1 &
echo $! >"$state/$name.guard.pid"
mkdir -p "$root"
tar -C "$root" -xf "$tar"
# As Debian's installer leaves it: the host name resolves without asking DNS (sudo looks it up).
echo "$name" >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' "$name" >"$root/etc/hosts"
install -d -m 0700 -o 1000 -g 1000 "$root/home/admin/.ssh"
install -m 0600 -o 1000 -g 1000 "$key" "$root/home/admin/.ssh/authorized_keys"
# The site's own trust and npm settings, as the host has them (a TLS-inspecting proxy's CA, a
# registry mirror): put in at each boot, not cached, since they belong to the host, not to Debian.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null
fi
npmrc=$(npm config get globalconfig 2>/dev/null || true)
if [[ -n $npmrc && -f $npmrc ]]; then cp "$npmrc" "$root/etc/npmrc"; fi
bash "$here/start.sh" "$state" "$name"
