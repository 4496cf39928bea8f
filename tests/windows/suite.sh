#!/usr/bin/env bash
# The Windows suite, run by tests/c/run.sh (which starts the Linux sandboxes on loopback):
# the C suite of tests/c built with MinGW, the example (linked through the MinGW and the
# MSVC-style import library) and the C++ wrapper suite, each run under Wine. Prints the tally.
#   suite.sh BUILD_DIR      (rescue.dll, the ProcessPrng shim and the .exe files in it)
set -uo pipefail

bin=$1
source "$(dirname "${BASH_SOURCE[0]}")/../tally.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The CA file as Windows programs name it: drive letter and backslashes (Z:\tmp\...\cert.pem).
RESCUE_TLS_CERT=$(winepath -w "$RESCUE_TLS_CERT") || exit 1
export RESCUE_TLS_CERT
echo "CA file for Wine: $RESCUE_TLS_CERT"

# Fresh sandbox state (no sessions, no login counts: the service allows ten logins in three
# minutes), as tests/c/main.c does before each test; POST /sandbox/reset over bash's /dev/tcp.
reset_sandbox() {
    local hostport=${RESCUE_URL#http://}
    hostport=${hostport%%/*}
    local answer
    exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}" || return 1
    printf 'POST /sandbox/reset HTTP/1.1\r\nHost: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' \
        "$hostport" >&3
    IFS= read -r answer <&3
    exec 3<&-
    [[ $answer == *" 200 "* ]] || { echo "could not reset the sandbox: $answer"; return 1; }
}

# Windows programs write CRLF: strip the CR so that the tally lines match.
echo "== mingw (tests/c under Wine)"
wine "$bin/test_rescue.exe" mingw 2>&1 | tr -d '\r' | tee "$log"
tally mingw "${PIPESTATUS[0]}" "$log"

echo "== cpp (tests/cpp with MinGW g++, under Wine)"
reset_sandbox
wine "$bin/test_rescue_cpp.exe" 2>&1 | tr -d '\r' | tee "$log"
tally cpp "${PIPESTATUS[0]}" "$log"

example() {
    local exe=$1 out
    reset_sandbox || return 1
    out=$(RESCUE_EMAIL=tech@sandbox.test RESCUE_PASSWORD=sandbox wine "$exe" "$RESCUE_URL" \
        | tr -d '\r') || return 1
    echo "$out"
    echo "$out" | grep -Eq '^[0-9]{6}$' || return 1
    # Wrong credentials: a non-zero exit and the status name (INVALID) on stderr, no PIN.
    if out=$(RESCUE_EMAIL=tech@sandbox.test RESCUE_PASSWORD=wrong wine "$exe" "$RESCUE_URL" \
        2>&1 | tr -d '\r'; exit "${PIPESTATUS[0]}"); then
        echo "wrong password: exit status 0"
        return 1
    fi
    echo "$out"
    echo "$out" | grep -q 'INVALID' && ! echo "$out" | grep -Eq '^[0-9]{6}$'
}
check "examples/lens_pin.c, linked with librescue.dll.a" example "$bin/lens_pin.exe"
check "examples/lens_pin.c, linked with rescue.lib (MSVC-style, by MinGW ld)" \
    example "$bin/lens_pin_lib.exe"

finish windows
