#!/bin/sh
# Remembers which directories `make install` had to create, so that `make uninstall`
# removes those (once empty) and never a directory that was there before.
#   install-dirs.sh record RECORD DIR...  before installing: appends each missing DIR and
#                                         missing parent of it to the file RECORD (and
#                                         forgets recorded ones that are gone)
#   install-dirs.sh remove RECORD TOP     after uninstalling: removes, deepest first, the
#                                         recorded directories at, under or above TOP that
#                                         are empty; forgets those that are gone
set -eu
export LC_ALL=C

action=$1
record=$2
shift 2

# Forgets the recorded directories that are gone (removed by hand, a deleted DESTDIR).
prune() {
    [ -f "$record" ] || return 0
    kept=$(sort -u "$record" | while IFS= read -r dir; do
        if [ -d "$dir" ]; then printf '%s\n' "$dir"; fi
    done)
    if [ -n "$kept" ]; then printf '%s\n' "$kept" >"$record"; else rm -f "$record"; fi
}

case $action in
record)
    prune
    for dir in "$@"; do
        while [ -n "$dir" ] && [ "$dir" != / ] && [ "$dir" != . ] && [ ! -e "$dir" ]; do
            printf '%s\n' "$dir"
            dir=$(dirname "$dir")
        done
    done >>"$record"
    ;;
remove)
    top=$1
    [ -f "$record" ] || exit 0
    sort -ru "$record" | while IFS= read -r dir; do
        case "$dir/" in "$top"/*) ;; *) case "$top/" in "$dir"/*) ;; *) continue ;; esac ;; esac
        if [ -d "$dir" ] && rmdir "$dir" 2>/dev/null; then
            echo "rmdir $dir"
        fi
    done
    prune
    ;;
*)
    echo "install-dirs.sh: record|remove" >&2
    exit 2
    ;;
esac
