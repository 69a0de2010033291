#!/usr/bin/env bash
# Installs whatever the appliance is missing, then returns quickly on every later run.
# `setup.sh` prepares running the appliance; `setup.sh --test` also prepares the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=run
[[ "${1:-}" == "--test" ]] && mode=test
log() { echo "[setup] $*"; }
fail() { echo "[setup] ERROR: $*" >&2; exit 1; }

source scripts/mediasoup-worker/worker-path.sh

package_lists() {
  local lists=(scripts/apt-packages.txt scripts/mediasoup-worker/apt-packages.txt)
  [[ $mode == test ]] && lists+=(scripts/apt-packages-test.txt)
  for f in "${lists[@]}"; do [[ -f $f ]] && grep -vE '^\s*(#|$)' "$f"; done | sort -u
}

install_debian_packages() {
  local wanted missing=()
  mapfile -t wanted < <(package_lists)
  local installed
  # dpkg-query exits non-zero when any of them is unknown to dpkg, which on a fresh machine is the point.
  installed=$( (dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null || true) | awk '$2=="installed"{print $1}')
  for p in "${wanted[@]}"; do grep -qx "$p" <<<"$installed" || missing+=("$p"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || fail "not root and no sudo: install these Debian packages first: ${missing[*]}"
    sudo=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/appliance-apt.log 2>&1; then
    log "refreshing the package lists (apt-get update)"
    $sudo apt-get update >>/tmp/appliance-apt.log 2>&1 || { tail -20 /tmp/appliance-apt.log >&2; fail "apt-get update failed"; }
    $sudo apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/appliance-apt.log 2>&1 \
      || { tail -20 /tmp/appliance-apt.log >&2; fail "apt-get install failed (full log: /tmp/appliance-apt.log)"; }
  fi
}

install_node_modules() {
  local want have=""
  want=$(sha256sum package-lock.json | cut -c1-64)
  [[ -f node_modules/.setup-stamp ]] && have=$(cat node_modules/.setup-stamp)
  [[ $want == "$have" ]] && return 0
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"
  echo "$want" > node_modules/.setup-stamp
}

build_mediasoup_worker() {
  bash scripts/mediasoup-worker/build.sh node_modules/mediasoup "$MEDIASOUP_WORKER_BIN"
}

start_postgresql() {
  pg_isready -q -h 127.0.0.1 -p 5432 && return 0
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
  [[ -n $version ]] || fail "PostgreSQL is not installed and not reachable at 127.0.0.1:5432"
  log "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || fail "could not start PostgreSQL $version"
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 0.5; done
  fail "PostgreSQL did not become ready at 127.0.0.1:5432"
}

install_debian_packages
install_node_modules
build_mediasoup_worker
[[ $mode == test ]] && start_postgresql
exit 0
