#!/usr/bin/env bash
# build-rootfs.sh OUT.tar — a pristine Debian 12 root filesystem that boots with systemd under
# systemd-nspawn and reaches the network through a veth (host0 = MACHINE_IP, gateway HOST_IP).
# The deployment test caches the result keyed by this script's text and the mirror.
set -euo pipefail
out=${1:?usage: build-rootfs.sh OUT.tar}
: "${MACHINE_IP:?}" "${HOST_IP:?}" "${PREFIX_LEN:?}"
mirror=$(bash "$(dirname "$0")/apt-mirror.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
# minbase + what a freshly installed server has for Ansible (systemd, sshd, sudo, python3);
# everything else is the playbook's job.
debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,dbus,python3,sudo,iproute2,ca-certificates,openssh-server \
  bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -30 "$work/debootstrap.log" >&2; exit 1; }
# apt inside uses the same sources and settings as the host's (proxies, mirrors).
rm -f "$root/etc/apt/sources.list"
if compgen -G '/etc/apt/sources.list.d/*' >/dev/null; then cp /etc/apt/sources.list.d/* "$root/etc/apt/sources.list.d/"; fi
[[ -f /etc/apt/sources.list ]] && cp /etc/apt/sources.list "$root/etc/apt/"
cp /etc/apt/apt.conf.d/* "$root/etc/apt/apt.conf.d/"
# Empty: systemd makes a new machine id at every first boot, as on a freshly installed server.
: >"$root/etc/machine-id"
# The operator's account: SSH key login (the key is put in at each boot) and sudo.
chroot "$root" useradd --create-home --shell /bin/bash --groups sudo admin
echo 'admin ALL=(ALL) NOPASSWD: ALL' >"$root/etc/sudoers.d/admin"
chmod 0440 "$root/etc/sudoers.d/admin"
mkdir -p "$root/etc/systemd/network"
cat >"$root/etc/systemd/network/10-host0.network" <<NET
[Match]
Name=host0
[Network]
Address=$MACHINE_IP/$PREFIX_LEN
Gateway=$HOST_IP
LinkLocalAddressing=no
NET
systemctl --root="$root" enable systemd-networkd.service >/dev/null 2>&1
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -cf "$out.partial" .
mv "$out.partial" "$out"
