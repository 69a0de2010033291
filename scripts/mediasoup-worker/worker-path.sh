# Sourced by the set-up and test scripts: where the worker for the pinned mediasoup version lives.
# appliance/sfu/worker-binary.ts computes the same path for the running appliance. It lies outside
# the clone, keyed by version (build.sh's stamp adds its own inputs), so a fresh clone of the same
# version reuses the minutes-long build.
mediasoup_version=$(node -p 'require("./package.json").dependencies.mediasoup')
export MEDIASOUP_WORKER_BIN="${MEDIASOUP_WORKER_BIN:-${XDG_CACHE_HOME:-$HOME/.cache}/vks-recording-appliance/mediasoup-worker/$mediasoup_version/mediasoup-worker}"
