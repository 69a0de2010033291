#!/usr/bin/env bash
# Prints the Debian mirror the host's apt uses (deb822 .sources or one-line sources.list).
set -euo pipefail
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[[ -n $mirror ]] || mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[[ -n $mirror ]] || { echo "no Debian mirror found in the host's apt sources" >&2; exit 1; }
echo "$mirror"
