#!/usr/bin/env bash
# The C suite, run by run.sh: the tests linked to the shared library, the same under
# valgrind, the tests built with ASan/UBSan against the static library, the example, and an
# install into a temporary DESTDIR built through pkg-config. Prints the closing tally.
#   suite.sh BUILD_DIR
set -uo pipefail

bin=$1
source "$(dirname "${BASH_SOURCE[0]}")/../tally.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run LABEL COMMAND...: one test run; adds its "[LABEL] N passed, M failed" line.
run() {
    local label=$1
    shift
    echo "== $label"
    "$@" "$label" 2>&1 | tee "$log"
    tally "$label" "${PIPESTATUS[0]}" "$log"
}

run plain "$bin/test_rescue"
# The whole suite again over SOAP 1.1 and 1.2 (API.asmx); tests that pick POST or GET
# themselves keep their choice.
RESCUE_TEST_TRANSPORT=soap11 run soap11 "$bin/test_rescue"
RESCUE_TEST_TRANSPORT=soap12 run soap12 "$bin/test_rescue"
RESCUE_TEST_SLOW=1 run valgrind valgrind -q --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --suppressions=tests/c/valgrind.supp \
    --error-exitcode=1 "$bin/test_rescue"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    run asan "$bin/test_rescue_asan"

example() {
    local out
    out=$(RESCUE_EMAIL=tech@sandbox.test RESCUE_PASSWORD=sandbox "$bin/lens_pin" "$RESCUE_URL") || return 1
    echo "$out"
    echo "$out" | grep -Eq '[0-9]{6}' || return 1
    # Wrong credentials: a non-zero exit and the status name on stderr.
    ! RESCUE_EMAIL=tech@sandbox.test RESCUE_PASSWORD=wrong "$bin/lens_pin" "$RESCUE_URL" 2>&1 \
        | grep -q '^[0-9]'
}
check "examples/lens_pin.c against the sandbox" example

install_and_consume() {
    local dest
    dest=$(mktemp -d)
    make --no-print-directory install DESTDIR="$dest" PREFIX=/usr/local >/dev/null || return 1
    local flags
    flags=$(PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_PATH=$dest/usr/local/lib/pkgconfig \
        pkg-config --cflags --libs rescue) || return 1
    echo "pkg-config: $flags"
    # shellcheck disable=SC2086
    cc -std=c11 -Wall -Wextra -Werror -pedantic -o "$dest/app" examples/lens_pin.c $flags || return 1
    local out
    out=$(LD_LIBRARY_PATH=$dest/usr/local/lib RESCUE_EMAIL=tech@sandbox.test \
        RESCUE_PASSWORD=sandbox "$dest/app" "$RESCUE_URL") || return 1
    echo "$out"
    local soname
    soname=$(readelf -d "$dest/usr/local/lib/librescue.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
    echo "soname: $soname"
    [ "$soname" = librescue.so.0 ] || return 1
    # The static library links too, with Libs.private.
    # shellcheck disable=SC2086
    cc -std=c11 -o "$dest/app_static" examples/lens_pin.c \
        $(PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_PATH=$dest/usr/local/lib/pkgconfig \
          pkg-config --cflags rescue) "$dest/usr/local/lib/librescue.a" \
        $(PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_PATH=$dest/usr/local/lib/pkgconfig \
          pkg-config --libs-only-other --libs-only-l --static rescue | sed 's/-lrescue//') \
        || return 1
    RESCUE_EMAIL=tech@sandbox.test RESCUE_PASSWORD=sandbox "$dest/app_static" "$RESCUE_URL" \
        || return 1
    rm -rf "$dest"
}
check "make install + pkg-config consumer (shared and static)" install_and_consume

finish c
