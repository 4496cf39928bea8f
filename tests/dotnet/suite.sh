#!/usr/bin/env bash
# The .NET suite, run by tests/c/run.sh (which exports the sandboxes' URLs): the test runner,
# then the example of bindings/dotnet/README.md as a user would run it, with librescue.so
# beside the assemblies and no LD_LIBRARY_PATH. Prints the closing tally.
#   suite.sh BUILD_DIR   (BUILD_DIR/tests.exe, BUILD_DIR/example/LensPin.exe)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../tally.sh"

dir=$(cd "$1" && pwd)
mono=${MONO:-mono}
# Mono writes its crash reports (mono_crash.*) into the working directory: keep them in build.
cd "$dir" || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== tests"
"$mono" --debug "$dir/tests.exe" 2>&1 | tee "$log"
tally "dotnet tests" "${PIPESTATUS[0]}" "$log"

example() {
    local out
    out=$(env -u LD_LIBRARY_PATH RESCUE_EMAIL=tech@sandbox.test RESCUE_PASSWORD=sandbox \
        "$mono" "$dir/example/LensPin.exe" "$RESCUE_URL") || { echo "$out"; return 1; }
    echo "$out"
    # A Lens PIN with its join link, then a desktop PIN by authcode.
    echo "$out" | grep -Eq '^Lens PIN [0-9]{6}: https://secure\.logmeinrescue\.com/R\?i=2&Code=[0-9]{6}$' || return 1
    echo "$out" | grep -Eq '^Desktop PIN [0-9]{6}$' || return 1
}
check "README example: login, Lens PIN, authcode, desktop PIN" example

example_fails() {
    local err
    # Wrong credentials: exit 1 and the status on stderr, never the password.
    err=$(env -u LD_LIBRARY_PATH RESCUE_EMAIL=tech@sandbox.test RESCUE_PASSWORD=wrong-Secret-9 \
        "$mono" "$dir/example/LensPin.exe" "$RESCUE_URL" 2>&1 >/dev/null)
    local rc=$?
    echo "$err"
    [ "$rc" -eq 1 ] && echo "$err" | grep -q '^INVALID: ' && ! echo "$err" | grep -q 'wrong-Secret-9'
}
check "README example: wrong password exits 1 with the status" example_fails

finish dotnet
