#!/bin/sh
# Run by `make install` and `make uninstall` after the files are in place: refreshes the
# dynamic loader's cache when they went into the live system as root, else prints the one
# line the user needs for programs (and pkg-config) to find librescue.
#   loader.sh install|uninstall PREFIX DESTDIR LDCONFIG
# Staging (DESTDIR set) is left alone: the package's own scripts run ldconfig on install.
set -eu

action=$1
prefix=$2
destdir=$3
ldconfig=${4:-ldconfig}
libdir=$prefix/lib
soname=librescue.so.0

[ -z "$destdir" ] || exit 0

# The same path, or two names of one existing directory (/lib and /usr/lib when merged).
same_dir() {
    [ "${1%/}" = "${2%/}" ] || [ "$1" -ef "$2" ]
}

have_ldconfig() {
    command -v "$ldconfig" >/dev/null 2>&1
}

# True when the loader's cache resolves the soname to the file in LIBDIR.
in_cache() {
    "$ldconfig" -p 2>/dev/null | sed -n "s/^[[:space:]]*$soname (.*) => //p" | {
        while IFS= read -r path; do
            [ "$path" -ef "$libdir/$soname" ] && exit 0
        done
        exit 1
    }
}

# True when LIBDIR is one of the directories ldconfig scans (trusted ones and ld.so.conf).
in_ldconfig_dirs() {
    "$ldconfig" -N -X -v 2>/dev/null | sed -n 's/^\(\/[^:]*\):.*/\1/p' | {
        while IFS= read -r dir; do
            same_dir "$dir" "$libdir" && exit 0
        done
        exit 1
    }
}

in_ld_library_path() {
    old_ifs=$IFS
    IFS=:
    for dir in ${LD_LIBRARY_PATH:-}; do
        if [ -n "$dir" ] && same_dir "$dir" "$libdir"; then
            IFS=$old_ifs
            return 0
        fi
    done
    IFS=$old_ifs
    return 1
}

# The pkg-config line: only when pkg-config exists and doesn't search PREFIX/lib/pkgconfig.
pkg_config_hint() {
    command -v pkg-config >/dev/null 2>&1 || return 0
    old_ifs=$IFS
    IFS=:
    for dir in ${PKG_CONFIG_PATH:-} $(pkg-config --variable pc_path pkg-config); do
        if [ -n "$dir" ] && same_dir "$dir" "$libdir/pkgconfig"; then
            IFS=$old_ifs
            return 0
        fi
    done
    IFS=$old_ifs
    echo "librescue: for pkg-config: export PKG_CONFIG_PATH=$libdir/pkgconfig\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}"
}

if [ "$(id -u)" -eq 0 ] && have_ldconfig; then
    echo "$ldconfig"
    "$ldconfig"
    if [ "$action" = install ] && ! in_cache && ! in_ld_library_path; then
        if in_ldconfig_dirs; then
            echo "librescue: after $ldconfig the loader's cache still has no $libdir/$soname"
        else
            if [ -n "${SUDO_USER:-}" ]; then
                echo "librescue: $libdir is not in the loader's path; add it: echo $libdir | sudo tee /etc/ld.so.conf.d/rescue.conf && sudo $ldconfig"
            else
                echo "librescue: $libdir is not in the loader's path; add it: echo $libdir > /etc/ld.so.conf.d/rescue.conf && $ldconfig"
            fi
        fi
    fi
elif [ "$action" = install ]; then
    if in_ld_library_path; then
        :
    elif have_ldconfig && in_ldconfig_dirs; then
        echo "librescue: refresh the loader's cache as root: sudo $ldconfig"
    else
        echo "librescue: $libdir is not in the loader's path; add it: export LD_LIBRARY_PATH=$libdir\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
    fi
elif have_ldconfig && in_ldconfig_dirs; then
    echo "librescue: refresh the loader's cache as root: sudo $ldconfig"
fi

if [ "$action" = install ]; then
    pkg_config_hint
fi
