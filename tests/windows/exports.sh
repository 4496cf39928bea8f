#!/usr/bin/env bash
# The C API's function names, from the generated header, for the Windows import libraries.
#   exports.sh def HEADER        prints a module-definition file (.def) for rescue.dll
#   exports.sh check HEADER DLL  fails unless the DLL exports exactly the header's functions
set -euo pipefail

# Function declarations start at column 0 in cbindgen's output: "<type> [*]rescue_name(".
names() {
    sed -n 's/^[a-z].*[ *]\(rescue_[a-z0-9_]*\)(.*/\1/p' "$1" | sort -u
}

case $1 in
def)
    echo "LIBRARY rescue.dll"
    echo "EXPORTS"
    names "$2" | sed 's/^/    /'
    ;;
check)
    header=$(names "$2")
    # The names of objdump's "[Ordinal/Name Pointer] Table": one "<tab>[   N] name" a line.
    exported=$(x86_64-w64-mingw32-objdump -p "$3" | awk '
        /^\[Ordinal\/Name Pointer\] Table/ { table = 1; next }
        table && /^$/ { table = 0 }
        table && /^\t\[/ { print $NF }' | sort -u)
    if [ -z "$header" ] || [ "$header" != "$exported" ]; then
        echo "exports of $3 differ from $2 (< header, > DLL):" >&2
        diff <(echo "$header") <(echo "$exported") >&2 || true
        exit 1
    fi
    echo "$3 exports the $(echo "$header" | wc -l) functions of $2"
    ;;
*)
    echo "usage: exports.sh def HEADER | check HEADER DLL" >&2
    exit 2
    ;;
esac
