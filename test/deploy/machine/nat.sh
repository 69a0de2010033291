#!/usr/bin/env bash
# nat.sh NAME — the machine's way out (apt, the npm registry): forwarding on, and masquerading in
# an nft table of its own, so the host's ruleset is never touched. Replaces the table whole each
# time, so it can run again whenever the machine's network is in doubt.
set -euo pipefail
# The test runs under npm, whose PATH puts node_modules/.bin first, and an npm package there
# (@vercel/nft) has a CLI named `nft` that exits 0 having done nothing.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
name=${1:?usage: nat.sh NAME}
: "${MACHINE_IP:?}"
echo 1 >/proc/sys/net/ipv4/ip_forward
nft -f - <<NFT
table ip ${name}_nat
delete table ip ${name}_nat
table ip ${name}_nat {
  chain postrouting {
    type nat hook postrouting priority srcnat;
    ip saddr $MACHINE_IP oifname != "ve-$name" masquerade
  }
}
NFT
nft list table ip "${name}_nat" >/dev/null || { echo "nft table ${name}_nat is missing right after it was made" >&2; exit 1; }
