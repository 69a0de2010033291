#!/usr/bin/env bash
# Build mediasoup's C++ worker offline from the npm package's own sources,
# against Debian 12 libraries and Debian's meson.
#
#   build.sh <mediasoup-package-dir> <output-binary-path>
#
# <mediasoup-package-dir> is node_modules/mediasoup (installed with
# MEDIASOUP_WORKER_BIN set, so its postinstall did nothing) or an unpacked
# `npm pack mediasoup@<version>` tarball. See README.md beside this script.
#
# Environment:
#   MESON                      meson to use (default: /usr/bin/meson, Debian's)
#   MEDIASOUP_WORKER_JOBS      parallel compile jobs (default: nproc)
#   MEDIASOUP_WORKER_KEEP_BUILD=1  keep the build dir after a successful build
#   MEDIASOUP_WORKER_NO_APT=1  never call apt-get; fail if a package is missing
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TESTED_VERSION="3.19.3"
MESON="${MESON:-/usr/bin/meson}"
JOBS="${MEDIASOUP_WORKER_JOBS:-$(nproc)}"

log() { echo "[mediasoup-worker] $*"; }
die() { echo "[mediasoup-worker] ERROR: $*" >&2; exit 1; }

if [[ $# -ne 2 ]]; then
	echo "usage: $0 <mediasoup-package-dir> <output-binary-path>" >&2
	exit 2
fi

[[ -d "$1" ]] || die "mediasoup package dir not found: $1"
PKG_DIR="$(cd "$1" && pwd)"
[[ -f "$PKG_DIR/package.json" && -f "$PKG_DIR/worker/meson.build" ]] ||
	die "$PKG_DIR does not look like the mediasoup package (no package.json or worker/meson.build)"

OUT_DIR="$(dirname "$2")"
mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
OUT="$OUT_DIR/$(basename "$2")"
STAMP="$OUT.stamp"
LOG="$OUT.build.log"
BUILD_DIR="$OUT.build"

VERSION="$(grep -m1 -oE '"version"[[:space:]]*:[[:space:]]*"[^"]+"' "$PKG_DIR/package.json" | sed -E 's/.*"([^"]+)"$/\1/')"
[[ -n "$VERSION" ]] || die "cannot read the version from $PKG_DIR/package.json"

# Everything in this folder that shapes the binary: shims, patches, package
# list and this script. README, tests and the smoke script are left out.
inputs_hash() {
	(
		cd "$HERE"
		find build.sh apt-packages.txt subprojects patches -type f -print0 | LC_ALL=C sort -z |
			xargs -0 sha256sum | sha256sum | cut -d' ' -f1
	)
}
INPUTS_HASH="$(inputs_hash)"
STAMP_CONTENT="mediasoup=$VERSION inputs=$INPUTS_HASH"

# --- Fast path: nothing to do. ---------------------------------------------
if [[ -x "$OUT" && -f "$STAMP" && "$(cat "$STAMP")" == "$STAMP_CONTENT" ]]; then
	log "up to date: $OUT (mediasoup $VERSION)"
	exit 0
fi

# One build at a time per output path.
exec 9>"$OUT.lock"
if ! flock -n 9; then
	log "another build of $OUT is running; waiting for it"
	flock 9
	if [[ -x "$OUT" && -f "$STAMP" && "$(cat "$STAMP")" == "$STAMP_CONTENT" ]]; then
		log "up to date: $OUT (mediasoup $VERSION, built by the other run)"
		exit 0
	fi
fi

START=$SECONDS
: >"$LOG"
log "building worker for mediasoup $VERSION -> $OUT"
log "full build log: $LOG"
if [[ "$VERSION" != "$TESTED_VERSION" ]]; then
	log "WARNING: shims and patches were made for mediasoup $TESTED_VERSION, not $VERSION"
fi

# run_step <description> <command...>: run with output to the log; on failure
# say which step failed and show the end of the log.
CURRENT_STEP=""
run_step() {
	CURRENT_STEP="$1"
	shift
	log "$CURRENT_STEP"
	printf '\n=== %s\n=== $ %s\n' "$CURRENT_STEP" "$*" >>"$LOG"
	# A subshell with errexit, outside any `if`, so that a failing command
	# inside a step function fails the step.
	local rc=0
	set +e
	(set -e; "$@") >>"$LOG" 2>&1
	rc=$?
	set -e
	if [[ $rc -ne 0 ]]; then
		{
			echo "[mediasoup-worker] FAILED at step: $CURRENT_STEP"
			echo "[mediasoup-worker] last lines of $LOG:"
			tail -n 40 "$LOG" | sed 's/^/    /'
			echo "[mediasoup-worker] build dir kept for inspection: $BUILD_DIR"
		} >&2
		exit 1
	fi
}

# --- 1. Debian build packages. -----------------------------------------------
mapfile -t WANTED < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$HERE/apt-packages.txt" | grep -v '^$')
MISSING=()
for p in "${WANTED[@]}"; do
	if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]]; then
		MISSING+=("$p")
	fi
done
if [[ ${#MISSING[@]} -eq 0 ]]; then
	log "build packages: all ${#WANTED[@]} present"
else
	[[ "${MEDIASOUP_WORKER_NO_APT:-}" != "1" ]] ||
		die "missing Debian packages (MEDIASOUP_WORKER_NO_APT=1): ${MISSING[*]}"
	[[ $EUID -eq 0 ]] ||
		die "missing Debian packages: ${MISSING[*]} (run as root, or: apt-get install -y --no-install-recommends ${MISSING[*]})"
	apt_install() {
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${MISSING[@]}"
	}
	apt_update_and_install() { apt-get update && apt_install; }
	log "installing Debian packages: ${MISSING[*]}"
	printf '\n=== apt-get install %s\n' "${MISSING[*]}" >>"$LOG"
	if ! apt_install >>"$LOG" 2>&1; then
		# Package lists may be missing or stale; refresh once and retry.
		run_step "apt-get install failed; retrying after apt-get update" apt_update_and_install
	fi
fi

[[ -x "$MESON" ]] || die "meson not found at $MESON (set MESON=/path/to/meson)"
MESON_VERSION="$("$MESON" --version)"
log "meson $MESON_VERSION ($MESON), ninja $(ninja --version), flatc $(flatc --version | awk '{print $NF}')"

# --- 2. Sources: a copy of the package's worker/, plus shims and patches. ----
SRC="$BUILD_DIR/worker"
OUTDIR="$BUILD_DIR/out"
prepare_sources() {
	rm -rf "$BUILD_DIR"
	mkdir -p "$SRC"
	# The package's worker/ may hold an earlier build (out/) or downloaded
	# subprojects; copy only the sources.
	tar -C "$PKG_DIR/worker" --exclude=./out --exclude=./prebuild \
		--exclude='./subprojects/*' -cf - . | tar -C "$SRC" -xf -
	# Local subprojects that wrap Debian's libraries replace the .wrap files
	# (which would download sources).
	cp -a "$HERE/subprojects/." "$SRC/subprojects/"
}
run_step "copying worker sources to $SRC" prepare_sources

apply_patches() {
	local p
	for p in "$HERE"/patches/*.patch; do
		echo "--- applying $(basename "$p")"
		patch -d "$SRC" -p1 --forward --batch --no-backup-if-mismatch <"$p"
	done
}
run_step "applying patches: $(cd "$HERE/patches" && echo *.patch)" apply_patches

# --- 3. Configure and build. ---------------------------------------------------
run_step "meson setup (release, --wrap-mode=nodownload, liburing off)" \
	"$MESON" setup --buildtype release -Db_ndebug=true --wrap-mode=nodownload \
	-Dms_disable_liburing=true "$OUTDIR" "$SRC"

# Generated flatbuffers headers first: in a parallel build libwebrtc sources
# include them before they would otherwise exist.
run_step "generating flatbuffers headers (ninja fbs/FBS)" ninja -C "$OUTDIR" -j "$JOBS" fbs/FBS
BUILD_START=$SECONDS
run_step "compiling mediasoup-worker with $JOBS jobs (several minutes)" \
	ninja -C "$OUTDIR" -j "$JOBS" mediasoup-worker
log "compiled in $((SECONDS - BUILD_START)) s"

check_binary() {
	local bin="$OUTDIR/mediasoup-worker"
	[[ -x "$bin" ]] || { echo "no binary at $bin"; return 1; }
	ldd "$bin"
	if ldd "$bin" | grep -q 'not found'; then
		echo "unresolved shared libraries"
		return 1
	fi
	# Every linked library must come from a package in runtime-packages.txt,
	# which the deployment installs.
	local lib pkg listed unlisted=""
	listed=" $(sed -e 's/#.*//' "$HERE/runtime-packages.txt" | tr -s '[:space:]' ' ') "
	for lib in $(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// {print $3}'); do
		pkg="$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null || true)"
		pkg="${pkg%%:*}"
		if [[ -z "$pkg" || "$listed" != *" $pkg "* ]]; then
			unlisted+=" $lib(${pkg:-no package})"
		fi
	done
	if [[ -n "$unlisted" ]]; then
		echo "linked libraries whose package is not in runtime-packages.txt:$unlisted"
		return 1
	fi
}
run_step "checking the binary's shared libraries against runtime-packages.txt" check_binary

# --- 4. Install atomically, then write the stamp. ------------------------------
install_binary() {
	local tmp="$OUT.tmp.$$"
	cp "$OUTDIR/mediasoup-worker" "$tmp"
	chmod 755 "$tmp"
	mv -f "$tmp" "$OUT"
	echo "$STAMP_CONTENT" >"$STAMP.tmp.$$"
	mv -f "$STAMP.tmp.$$" "$STAMP"
}
run_step "installing binary to $OUT" install_binary

if [[ "${MEDIASOUP_WORKER_KEEP_BUILD:-}" == "1" ]]; then
	log "build dir kept: $BUILD_DIR"
else
	rm -rf "$BUILD_DIR"
fi
log "done in $((SECONDS - START)) s: $OUT ($(du -h "$OUT" | cut -f1))"
