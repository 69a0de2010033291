#!/usr/bin/env bash
# guard.sh STATE_DIR NAME OWNER_PID — stops the machine once the process that booted it is gone
# (a test killed by its runner's timeout runs no clean-up of its own).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
state=${1:?usage: guard.sh STATE_DIR NAME OWNER_PID}; name=${2:?}; owner=${3:?}
while kill -0 "$owner" 2>/dev/null; do sleep 2; done
exec bash "$(dirname "$0")/stop.sh" "$state" "$name"
