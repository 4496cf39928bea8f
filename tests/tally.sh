# The shell suites' shared tally (sourced by tests/c/suite.sh, tests/windows/suite.sh,
# tests/dotnet/suite.sh, tests/install/run.sh, tests/dist/smoke.sh): each adds its checks
# and the runs of test programs up, and prints one closing "LABEL: N passed, N failed" line.
passed=0
failed=0

# check NAME COMMAND...: one test, passed when COMMAND succeeds.
check() {
    local name=$1
    shift
    echo "== $name"
    if "$@"; then
        echo "ok   $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        failed=$((failed + 1))
    fi
}

# tally LABEL RC LOG: adds the "[LABEL] N passed, M failed" (or "LABEL: N passed, M failed
# …") line a test program wrote to LOG; no such line, or a failing exit status with no
# failed test (a sanitizer, valgrind), counts as one failure.
tally() {
    local label=$1 rc=$2 log=$3 counts
    counts=$(sed -n "s/^\[\{0,1\}$label\]\{0,1\}:\{0,1\} \([0-9]*\) passed, \([0-9]*\) failed.*$/\1 \2/p" "$log" | tail -n1)
    if [ -z "$counts" ]; then
        echo "$label: no tally (exit $rc)"
        failed=$((failed + 1))
        return
    fi
    set -- $counts
    passed=$((passed + $1))
    failed=$((failed + $2))
    if [ "$rc" -ne 0 ] && [ "$2" -eq 0 ]; then
        echo "$label: exit status $rc (sanitizer or valgrind errors above)"
        failed=$((failed + 1))
    fi
}

# finish LABEL: the closing line; exits non-zero when anything failed.
finish() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
