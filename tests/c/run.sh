#!/usr/bin/env bash
# Starts the sandboxes the C and C++ tests need, runs a command with their URLs in the
# environment, and stops them by PID whatever happens.
#   run.sh SANDBOX_BINARY COMMAND [ARGS...]
# Environment given to COMMAND: RESCUE_URL (no PIN rate limit), RESCUE_POLL_URL (one PIN
# per second), RESCUE_TLS_URL and RESCUE_TLS_CERT (HTTPS with a self-signed certificate).
set -euo pipefail

sandbox=$1
shift
tmp=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start VAR ARGS...: starts a sandbox, waits for its one stdout line, sets VAR to it.
# It runs in this shell, not in a $(...) subshell, so that its PID reaches `pids`.
start() {
    local name=$1
    shift
    "$sandbox" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    pids+=($!)
    for _ in $(seq 1 200); do
        if [ -s "$tmp/$name.out" ]; then
            IFS= read -r "$name" <"$tmp/$name.out"
            return 0
        fi
        sleep 0.05
    done
    echo "run.sh: sandbox $name did not start:" >&2
    cat "$tmp/$name.err" >&2
    return 1
}

start url --pin-interval-ms 0 --login-window-ms 2000
start poll_url --pin-interval-ms 1000
start tls_url --pin-interval-ms 0 --login-window-ms 2000 --tls --cert-out "$tmp/cert.pem"
export RESCUE_URL=$url RESCUE_POLL_URL=$poll_url RESCUE_TLS_URL=$tls_url
export RESCUE_TLS_CERT=$tmp/cert.pem
"$@"
