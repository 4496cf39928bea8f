#!/usr/bin/env bash
# `make install` and `make uninstall` as a user types them (README, C and PHP sections),
# run by tests/c/run.sh, which starts the sandbox (RESCUE_URL) and stops it by PID:
#   tests/c/run.sh target/debug/rescue-sandbox tests/install/run.sh
# As root: installs into a temporary prefix, registers it the way `make install` says
# (an /etc/ld.so.conf.d entry + ldconfig, removed again at exit), builds examples/lens_pin.c
# with pkg-config and no rpath and runs it, loads the library from PHP with no "library"
# option and no RESCUE_LIBRARY, uninstalls and compares the file lists before and after.
# Not root (or another librescue.so.0 already in the loader's cache): registers with
# LD_LIBRARY_PATH instead. Also: a DESTDIR staging install and uninstall, and the lines
# bindings/c/loader.sh prints for a user who is not root or has no ldconfig.
# Prints each check and "install: N passed, M failed"; exits 1 on any failure.
set -uo pipefail

MAKE=${MAKE:-make}
PHP=${PHP:-php}
unset LD_LIBRARY_PATH RESCUE_LIBRARY RESCUE_HEADER PKG_CONFIG_PATH SUDO_USER MAKEFLAGS MFLAGS
source "$(dirname "${BASH_SOURCE[0]}")/../tally.sh"

# One install test at a time on this machine: they share the loader's cache.
exec 9>/tmp/librescue-install-test.lock
flock -w 900 9 || { echo "install: another install test holds /tmp/librescue-install-test.lock"; exit 1; }

tmp=$(mktemp -d)
conf=
cleanup() {
    if [ -n "$conf" ]; then
        rm -f "$conf"
        ldconfig
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# An ldconfig that writes each call to a log, then does the real work.
real_ldconfig=$(command -v ldconfig || echo /nonexistent/ldconfig)
ldconfig_log=$tmp/ldconfig.log
: >"$ldconfig_log"
cat >"$tmp/ldconfig" <<EOF
#!/bin/sh
echo "ldconfig\${*:+ \$*}" >>"$ldconfig_log"
exec "$real_ldconfig" "\$@"
EOF
chmod +x "$tmp/ldconfig"
refreshes() { grep -cx ldconfig "$ldconfig_log"; }

# The library is built by the target that runs this (-o lib: don't rebuild it here).
make_() { "$MAKE" --no-print-directory -o lib LDCONFIG="$tmp/ldconfig" "$@"; }
# A directory's contents, one path a line, with the link targets.
listing() { (cd "$1" && find . -printf '%p %y %l\n' | LC_ALL=C sort); }

as_root=false
[ "$(id -u)" -eq 0 ] && [ -x "$real_ldconfig" ] && as_root=true
if $as_root && ldconfig -p | grep -q 'librescue\.so\.0 '; then
    echo "note: a librescue.so.0 is in the loader's cache already; registering with LD_LIBRARY_PATH"
    ldconfig -p | grep 'librescue\.so'
    as_root=false
fi

# A prefix that holds other files already: uninstall must leave those, and lib/ and share/.
prefix=$tmp/opt/rescue
mkdir -p "$prefix/lib" "$prefix/share"
echo other >"$prefix/lib/libother.so.1"
prefix_before=$(listing "$tmp/opt")
conf_d_before=$(ls /etc/ld.so.conf.d 2>/dev/null)

live_install() {
    local out
    out=$(make_ install PREFIX="$prefix" 2>&1) || { echo "$out"; return 1; }
    echo "$out" | grep '^ldconfig\|^librescue:'
    for f in librescue.so.0 librescue.so librescue.a pkgconfig/rescue.pc; do
        [ -e "$prefix/lib/$f" ] || { echo "missing $prefix/lib/$f"; return 1; }
    done
    if $as_root; then
        [ "$(refreshes)" -eq 1 ] || { echo "ldconfig ran $(refreshes) times, expected once"; return 1; }
        echo "$out" | grep -qxF "librescue: $prefix/lib is not in the loader's path; add it: echo $prefix/lib > /etc/ld.so.conf.d/rescue.conf && $tmp/ldconfig" \
            || { echo "no ld.so.conf.d line"; return 1; }
    else
        [ "$(refreshes)" -eq 0 ] || { echo "ldconfig ran, not as root"; return 1; }
        # shellcheck disable=SC2016
        echo "$out" | grep -qxF "librescue: $prefix/lib is not in the loader's path; add it: export LD_LIBRARY_PATH=$prefix/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" \
            || { echo "no LD_LIBRARY_PATH line"; return 1; }
    fi
    # shellcheck disable=SC2016
    echo "$out" | grep -qxF "librescue: for pkg-config: export PKG_CONFIG_PATH=$prefix/lib/pkgconfig\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}" \
        || { echo "no PKG_CONFIG_PATH line"; return 1; }
}
check "make install PREFIX=<not in the loader's path>: ldconfig and the line to type" live_install

# What the user does next, as the printed line says.
register() {
    if $as_root; then
        conf=/etc/ld.so.conf.d/librescue-test-$$.conf
        echo "$prefix/lib" >"$conf" && ldconfig || return 1
        local cached
        cached=$(ldconfig -p | grep -F "librescue.so.0 ")
        echo "$cached"
        echo "$cached" | grep -qF "=> $prefix/lib/librescue.so.0"
    else
        export LD_LIBRARY_PATH=$prefix/lib
    fi
}
check "register the prefix with the loader" register
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig

reinstall_registered() {
    local out before
    before=$(refreshes)
    out=$(make_ install PREFIX="$prefix" 2>&1) || { echo "$out"; return 1; }
    echo "$out" | grep '^ldconfig\|^librescue:'
    if $as_root; then
        [ "$(refreshes)" -eq $((before + 1)) ] || { echo "ldconfig did not run"; return 1; }
    fi
    ! echo "$out" | grep -q '^librescue:'
}
check "make install into a registered prefix prints nothing to do" reinstall_registered

pkg_config_program() {
    local flags out
    flags=$(pkg-config --cflags --libs rescue) || return 1
    echo "pkg-config: $flags"
    # shellcheck disable=SC2086
    cc -std=c11 -Wall -Wextra -Werror -pedantic -o "$tmp/app" examples/lens_pin.c $flags || return 1
    if readelf -d "$tmp/app" | grep -Eq 'RPATH|RUNPATH'; then
        echo "the program has an rpath"
        return 1
    fi
    ldd "$tmp/app" | grep librescue
    ldd "$tmp/app" | grep -qF "librescue.so.0 => $prefix/lib/librescue.so.0" || return 1
    out=$(RESCUE_EMAIL=tech@sandbox.test RESCUE_PASSWORD=sandbox "$tmp/app" "$RESCUE_URL") || return 1
    echo "PIN: $out"
    [[ $out =~ ^[0-9]{6}$ ]]
}
check "cc app.c \$(pkg-config --cflags --libs rescue) builds a program that runs" pkg_config_program

php_default_lookup() {
    "$PHP" tests/install/load.php "$RESCUE_URL" "$prefix/lib" || return 1
    RESCUE_HEADER=$prefix/include/rescue_ffi.h \
        "$PHP" tests/install/load.php "$RESCUE_URL" "$prefix/lib"
}
check "PHP: new Rescue\\Client(\$url) loads the installed librescue.so.0 (and its header)" php_default_lookup

live_uninstall() {
    local out before
    before=$(refreshes)
    out=$(make_ uninstall PREFIX="$prefix" 2>&1) || { echo "$out"; return 1; }
    echo "$out"
    if $as_root; then
        [ "$(refreshes)" -eq $((before + 1)) ] || { echo "ldconfig did not run"; return 1; }
        if ldconfig -p | grep -qF "$prefix/lib/librescue"; then
            echo "the loader's cache still lists librescue in $prefix/lib"
            return 1
        fi
    fi
    diff <(echo "$prefix_before") <(listing "$tmp/opt") || return 1
    # The program built above no longer starts.
    local err
    if err=$("$tmp/app" "$RESCUE_URL" 2>&1); then
        echo "the program still runs"
        return 1
    fi
    echo "$err"
    echo "$err" | grep -q 'librescue.so.0'
}
check "make uninstall PREFIX=… leaves the prefix as it was" live_uninstall

unregister() {
    if [ -n "$conf" ]; then
        rm -f "$conf" && conf= && ldconfig || return 1
    fi
    unset LD_LIBRARY_PATH
    [ "$(ls /etc/ld.so.conf.d 2>/dev/null)" = "$conf_d_before" ]
}
check "the test's ld.so.conf.d entry is gone" unregister

# Packagers' staging: no ldconfig, no advice; uninstall removes what install created,
# here the staging directory itself, and keeps a directory that was there (stage2).
staging() {
    local stage=$tmp/stage stage2=$tmp/stage2 before out
    before=$(wc -l <"$ldconfig_log")
    out=$(make_ install DESTDIR="$stage" PREFIX=/usr 2>&1) || { echo "$out"; return 1; }
    if echo "$out" | grep '^ldconfig\|^librescue:'; then return 1; fi
    [ "$(wc -l <"$ldconfig_log")" -eq "$before" ] || { echo "ldconfig ran for a DESTDIR install"; return 1; }
    [ -L "$stage/usr/lib/librescue.so.0" ] && [ -f "$stage/usr/include/rescue_ffi.h" ] || return 1
    grep -qx 'prefix=/usr' "$stage/usr/lib/pkgconfig/rescue.pc" || return 1
    make_ uninstall DESTDIR="$stage" PREFIX=/usr || return 1
    [ "$(wc -l <"$ldconfig_log")" -eq "$before" ] || { echo "ldconfig ran for a DESTDIR uninstall"; return 1; }
    [ ! -e "$stage" ] || { echo "left behind:"; listing "$stage"; return 1; }

    mkdir -p "$stage2/usr/include" "$stage2/usr/lib"
    local listed
    listed=$(listing "$stage2")
    make_ install DESTDIR="$stage2" PREFIX=/usr >/dev/null || return 1
    make_ uninstall DESTDIR="$stage2" PREFIX=/usr || return 1
    diff <(echo "$listed") <(listing "$stage2")
}
check "DESTDIR staging: no ldconfig, and uninstall leaves the staging tree as it was" staging

# The other branches of bindings/c/loader.sh, run as a user who is not root.
not_root() {
    local dir=$tmp/nobody out
    mkdir -p "$dir" && cp bindings/c/loader.sh "$dir/" && chmod 755 "$tmp" "$dir" || return 1
    as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups sh "$dir/loader.sh" "$@"; }
    out=$(as_nobody install /opt/nowhere "" ldconfig) || return 1
    echo "$out"
    # shellcheck disable=SC2016
    [ "$out" = 'librescue: /opt/nowhere/lib is not in the loader'"'"'s path; add it: export LD_LIBRARY_PATH=/opt/nowhere/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
librescue: for pkg-config: export PKG_CONFIG_PATH=/opt/nowhere/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}' ] || return 1
    out=$(as_nobody install /usr/local "" ldconfig) || return 1
    echo "$out"
    [ "$out" = 'librescue: refresh the loader'"'"'s cache as root: sudo ldconfig' ] || return 1
    out=$(as_nobody install /usr/local "/tmp/stage" ldconfig) || return 1
    [ -z "$out" ] || return 1
    # Root through sudo: the line in the form a sudo user types.
    out=$(SUDO_USER=someone sh bindings/c/loader.sh install /opt/nowhere "" "$real_ldconfig") || return 1
    echo "$out"
    echo "$out" | grep -qxF "librescue: /opt/nowhere/lib is not in the loader's path; add it: echo /opt/nowhere/lib | sudo tee /etc/ld.so.conf.d/rescue.conf && sudo $real_ldconfig" \
        || return 1
    # No ldconfig at all (e.g. musl): LD_LIBRARY_PATH, even as root.
    out=$(sh bindings/c/loader.sh install /opt/nowhere "" /nonexistent/ldconfig) || return 1
    echo "$out"
    echo "$out" | grep -q '^librescue: /opt/nowhere/lib is not in the loader.s path; add it: export LD_LIBRARY_PATH=/opt/nowhere/lib'
}
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    check "not root, through sudo, or no ldconfig: the line to type" not_root
fi

finish install
