# Sourced by the set-up and test scripts: where the worker for the pinned mediasoup version lives.
# appliance/sfu/worker-binary.ts computes the same path for the running appliance.
mediasoup_version=$(node -p 'require("./package.json").dependencies.mediasoup')
export MEDIASOUP_WORKER_BIN="${MEDIASOUP_WORKER_BIN:-$PWD/.cache/mediasoup-worker/$mediasoup_version/mediasoup-worker}"
