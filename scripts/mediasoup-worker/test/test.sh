#!/usr/bin/env bash
# Compile test/srtp-compat-test.cpp against the compat header
# (subprojects/libsrtp3/include/srtp.h) and Debian's libsrtp2, with
# AddressSanitizer and UBSan, and run it. Needs g++, pkg-config, libsrtp2-dev
# (see ../apt-packages.txt). Exit code is the test's.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "[srtp-compat-test] compiling"
g++ -std=c++17 -O1 -g -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-I"$HERE/../subprojects/libsrtp3/include" \
	"$HERE/srtp-compat-test.cpp" \
	$(pkg-config --cflags --libs libsrtp2) \
	-o "$WORK/srtp-compat-test"

echo "[srtp-compat-test] running"
"$WORK/srtp-compat-test"
