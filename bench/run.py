"""Runs every contender against one sandbox (and the C ones against nginx), in turns, and
writes BENCHMARKS.md and its chart.

    python bench/run.py [--n 10000] [--runs 5] [--threads 8] [--smoke] ...   (see --help)

Each round runs every contender once per workload (sequential, then THREADS threads, against
the sandbox, then the same two against nginx), in the same order: A B C D, A B C D, ... so
that the machine's noise (other builds on a shared machine) falls on all of them alike.
Figures are medians over the rounds. The contender programs (bench/c, bench/python,
bench/php) print one JSON line each; see bench/README.md. System calls per request are
counted with strace -f -c against nginx (bench/nginx.py), plain HTTP and TLS.
"""

import argparse
import atexit
import glob
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import nginx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLK_TCK = os.sysconf("SC_CLK_TCK")


# ===== contenders =====

class Contender:
    """One client under test: how to run it, and whether it can run here."""

    def __init__(self, name, label, language, argv, env=None, threads=True):
        self.name, self.label, self.language = name, label, language
        self.argv, self.env, self.threads = argv, env or {}, threads
        self.skip = None  # why it can't run here, if it can't

    def command(self, mode, url, n=1, threads=1):
        return self.argv + [mode, url, str(n), str(threads)]


def contenders(args):
    bin_dir = args.bin
    lib = os.path.abspath(args.lib)
    php = [args.php, "-d", "ffi.enable=1", os.path.join(ROOT, "bench/php/contenders.php")]
    py_script = os.path.join(ROOT, "bench/python/contenders.py")
    all_ = [
        Contender("c-raw-socket", "floor: raw socket (C)", "C", [f"{bin_dir}/bench-raw"]),
        Contender("c-libcurl", "libcurl (C)", "C", [f"{bin_dir}/bench-curl"]),
        Contender("c-librescue", "librescue (C)", "C", [f"{bin_dir}/bench-rescue"]),
        Contender("c-librescue-soap11", "librescue SOAP 1.1 (C)", "C",
                  [f"{bin_dir}/bench-rescue"], env={"BENCH_TRANSPORT": "soap11"}),
        Contender("py-rescue", "rescue (Python)", "Python",
                  [args.python_rescue, py_script, "py-rescue"]),
        # The same calls without the Ctrl-C check that main-thread calls arm (issue 24).
        Contender("py-rescue-unchecked", "rescue, Ctrl-C check off (Python)", "Python",
                  [args.python_rescue, py_script, "py-rescue"],
                  env={"BENCH_INTERRUPT_CHECK": "off"}, threads=False),
        Contender("py-rescue-soap11", "rescue SOAP 1.1 (Python)", "Python",
                  [args.python_rescue, py_script, "py-rescue"],
                  env={"BENCH_TRANSPORT": "soap11"}),
        Contender("py-requests", "requests.Session (Python)", "Python",
                  [args.python, py_script, "py-requests"]),
        Contender("py-httpx", "httpx.Client (Python)", "Python",
                  [args.python, py_script, "py-httpx"]),
        Contender("php-curl", "ext-curl (PHP)", "PHP", php + ["php-curl"], threads=False),
        Contender("php-rescue", "Rescue\\Client FFI (PHP)", "PHP", php + ["php-rescue"],
                  env={"RESCUE_LIBRARY": lib}, threads=False),
        Contender("php-rescue-soap11", "Rescue\\Client FFI SOAP 1.1 (PHP)", "PHP",
                  php + ["php-rescue"], env={"RESCUE_LIBRARY": lib, "BENCH_TRANSPORT": "soap11"},
                  threads=False),
        Contender("php-soap", "SoapClient, the vendor sample (PHP)", "PHP", php + ["php-soap"],
                  threads=False),
    ]
    # A/B of a core change: the C contender again, on another build of the library.
    for variant in args.variant:
        label, path = variant.split("=", 1)
        libdir = tempfile.mkdtemp(prefix="bench-variant-")
        atexit.register(shutil.rmtree, libdir, True)
        os.symlink(os.path.abspath(path), os.path.join(libdir, "librescue.so.0"))
        all_.append(Contender(f"c-librescue-{label}", f"librescue {label} (C)", "C",
                              [f"{bin_dir}/bench-rescue"], env={"LD_LIBRARY_PATH": libdir}))
    chosen = [c for c in all_ if not args.only or c.name in args.only]
    for c in chosen:
        c.skip = unavailable(c, args)
    return chosen


def unavailable(c, args):
    """Why `c` can't run on this machine, or None."""
    exe = c.argv[0]
    if shutil.which(exe) is None and not os.access(exe, os.X_OK):
        return f"{exe} not found"
    if c.name.startswith("py-"):
        module = c.name[3:].split("-")[0]
        probe = subprocess.run([exe, "-c", f"import {module}"], capture_output=True)
        if probe.returncode != 0:
            return f"`import {module}` fails in {exe}"
    if c.name == "py-rescue-soap11":
        probe = subprocess.run([exe, "-c", "import rescue; rescue.Client("
                                "'http://127.0.0.1:9/API/', transport='soap11')"],
                               capture_output=True, text=True)
        if probe.returncode != 0:
            return ("rescue.Client takes no transport= yet: "
                    + (probe.stderr.strip().splitlines() or ["?"])[-1])
    for name, ext, package in (("php-curl", "curl", "php-curl"), ("php-soap", "soap", "php-soap")):
        if c.name == name:
            probe = subprocess.run([exe, "-m"], capture_output=True, text=True)
            if ext not in probe.stdout.split():
                return f"php lacks ext-{ext} (Debian {package})"
    if c.name.startswith("php-rescue") and not os.path.exists(args.lib):
        return f"{args.lib} not built (make lib)"
    return None


# ===== running =====

def pin_to(cpu, argv):
    return ["taskset", "-c", cpu] + argv if cpu is not None else argv


def cpu_ticks(pid):
    """utime + stime of a whole process (all threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


class Sandbox:
    """The sandbox, with one account per contender process: it allows an account ten
    logins in three minutes, and every run logs in once."""

    def __init__(self, path, cpu, accounts, tls=False):
        self.dir = tempfile.mkdtemp(prefix="bench-sandbox-")
        self.cert = os.path.join(self.dir, "sandbox.pem") if tls else None
        tls_args = ["--tls", "--cert-out", self.cert] if tls else []
        accounts_file = os.path.join(self.dir, "accounts.toml")
        with open(accounts_file, "w") as f:
            for i in range(accounts):
                f.write(f'[[account]]\nemail = "bench{i}@sandbox.test"\npassword = "sandbox"\n'
                        f'authcode = "benchauthcode{i:019d}"\nbehaviour = "ok"\n\n')
        self.next_account = 0
        self.accounts = accounts
        self.proc = subprocess.Popen(
            pin_to(cpu, [path, "--pin-interval-ms", "0", "--accounts", accounts_file]
                   + tls_args),
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise SystemExit(f"the sandbox did not start ({path})")

    def account(self):
        """A fresh account's email (reused round-robin only past `accounts` runs)."""
        self.next_account += 1
        return f"bench{self.next_account % self.accounts}@sandbox.test"

    def cpu(self):
        return cpu_ticks(self.proc.pid)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


def run_one(c, mode, sandbox, args, n=1, threads=1):
    """Runs one contender process; returns its figures (dict) or raises RuntimeError."""
    env = dict(os.environ, BENCH_EMAIL=sandbox.account(), **c.env)
    cpu0 = sandbox.cpu()
    t0 = time.perf_counter()
    url = sandbox.url.replace("127.0.0.1", args.host)
    proc = subprocess.Popen(pin_to(args.client_cpu, c.command(mode, url, n, threads)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    first_pin = None
    lines = []
    for line in proc.stdout:
        if first_pin is None and line.startswith("PIN "):
            first_pin = time.perf_counter() - t0
        lines.append(line)
    err = proc.stderr.read()
    proc.wait()
    sandbox_cpu = sandbox.cpu() - cpu0
    figures = next((json.loads(l) for l in reversed(lines) if l.startswith("{")), None)
    if proc.returncode != 0 or figures is None:
        tail = " | ".join(err.strip().splitlines()[-3:])
        raise RuntimeError(f"{c.name} {mode}: exit {proc.returncode}: {tail}")
    figures["first_pin_s"] = first_pin
    figures["sandbox_cpu_s"] = sandbox_cpu
    return figures


def log(*what):
    print(*what, file=sys.stderr, flush=True)


# The tables of the report: (results key, program mode, server). nginx serves the C
# contenders only: the floor and libcurl can't be compared elsewhere.
WORKLOADS = (("seq", "seq", "sandbox"), ("threads", "threads", "sandbox"),
             ("nginx-seq", "seq", "nginx"), ("nginx-threads", "threads", "nginx"))


def runs_on(c, server):
    return server == "sandbox" or c.language == "C"


def measure(args, chosen, sandbox, server=None):
    results = {key: {} for key, _, _ in WORKLOADS}
    results.update({"cold": {}, "rss": {}, "syscalls": {}})
    failures = []
    runnable = [c for c in chosen if not c.skip]
    servers = {"sandbox": sandbox, "nginx": server}
    for round_ in range(args.runs):
        for key, mode, where in WORKLOADS:
            if servers[where] is None:
                continue
            threads = args.threads if mode == "threads" else 1
            for c in runnable:
                if (mode == "threads" and not c.threads) or not runs_on(c, where):
                    continue
                try:
                    r = run_one(c, mode, servers[where], args, args.n, threads)
                except RuntimeError as e:
                    failures.append(f"{where}: {e}")
                    log("FAILED", where, e)
                    continue
                r["round"] = round_
                results[key].setdefault(c.name, []).append(r)
                log(f"round {round_ + 1}/{args.runs} {key:13} {c.name:18} "
                    f"wall {1e6 * r['wall_s'] / r['n']:7.1f} us  "
                    f"cpu {1e6 * (r['user_s'] + r['sys_s']) / r['n']:7.1f} us")
    for round_ in range(args.cold_runs):
        for c in runnable:
            try:
                r = run_one(c, "cold", sandbox, args)
            except RuntimeError as e:
                failures.append(str(e))
                log("FAILED", e)
                continue
            results["cold"].setdefault(c.name, []).append(r)
    for name in ("c-librescue", "c-libcurl"):
        c = next((c for c in runnable if c.name == name), None)
        if c is None or not args.rss_calls:
            continue
        log(f"rss: {name}, {args.rss_calls} calls")
        try:
            results["rss"][name] = run_one(c, "rss", sandbox, args, args.rss_calls)
        except RuntimeError as e:
            failures.append(str(e))
            log("FAILED", e)
    if server is not None and args.syscalls:
        results["syscalls"] = measure_syscalls(args, runnable, server, failures)
    results["clients"] = measure_clients(args, sandbox, failures)
    if args.instructions:
        results["instructions"] = measure_instructions(args, runnable, sandbox, failures)
    return results, failures


# Instructions per call (issue 24): callgrind counts instructions, not seconds, so the same
# run gives the same count whatever else the machine does. Each contender's sequential run
# against the sandbox, twice (SMALL calls, then SMALL + --instructions calls); the
# difference ÷ --instructions is a call's count without start-up, login and warm-up.
INSTRUCTION_CONTENDERS = ("c-librescue", "py-rescue", "py-rescue-unchecked")
INSTRUCTION_SMALL = 50


def callgrind_total(argv, env):
    """Instructions executed by one run under callgrind (all threads)."""
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           "--"] + argv, capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"exit {proc.returncode}: {tail}")
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if found is None:
        raise RuntimeError("callgrind printed no total")
    return int(found.group(1))


def measure_instructions(args, runnable, sandbox, failures):
    """{name: instructions per call}."""
    out = {}
    if shutil.which("valgrind") is None:
        failures.append("instructions: valgrind not installed (Debian valgrind)")
        return out
    for c in runnable:
        if c.name not in INSTRUCTION_CONTENDERS:
            continue
        env = dict(os.environ, BENCH_EMAIL=sandbox.account(), **c.env)
        try:
            small, large = (callgrind_total(c.command("seq", sandbox.url, n), env)
                            for n in (INSTRUCTION_SMALL, INSTRUCTION_SMALL + args.instructions))
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            failures.append(f"instructions {c.name}: {e}")
            log("FAILED", "instructions", c.name, e)
            continue
        out[c.name] = (large - small) / args.instructions
        log(f"instructions per call {c.name:20} {out[c.name]:10,.0f}")
    return out


# System calls per request (issue 13): strace -f -c of a C contender's sequential run
# against nginx, twice (SMALL calls, then SMALL + --syscalls calls); the difference of the
# counts ÷ --syscalls is what a request costs, without start-up, login and warm-up.
SYSCALL_SMALL = 100


def strace_counts(argv, env):
    """{syscall: calls} of one traced run (all threads), from strace's -c summary."""
    out = tempfile.NamedTemporaryFile(prefix="bench-strace-", delete=False)
    out.close()
    try:
        proc = subprocess.run(["strace", "-f", "-c", "-o", out.name, "--"] + argv,
                              capture_output=True, text=True, env=env, timeout=600)
        if proc.returncode != 0:
            tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
            raise RuntimeError(f"exit {proc.returncode}: {tail}")
        counts = {}
        with open(out.name) as f:
            for line in f:
                fields = line.split()
                # "% time seconds usecs/call calls [errors] syscall"; skip headers, rules
                # and the total line.
                if len(fields) in (5, 6) and fields[3].isdigit() and fields[-1] != "total":
                    counts[fields[-1]] = counts.get(fields[-1], 0) + int(fields[3])
        if not counts:
            raise RuntimeError("strace printed no counts")
        return counts
    finally:
        os.unlink(out.name)


def measure_syscalls(args, runnable, server, failures):
    """{name: {"plain"|"tls": {"per_request": x, "calls": {syscall: per request}}}}."""
    out = {}
    if shutil.which("strace") is None:
        failures.append("system calls: strace not installed (Debian strace)")
        return out
    # A container without ptrace (seccomp, no CAP_SYS_PTRACE) can't be measured: said in
    # the report, and not a failure of the harness.
    probe = subprocess.run(["strace", "-f", "-c", "-o", os.devnull, "--", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        why = (probe.stderr.strip().splitlines() or ["?"])[-1]
        log(f"no system-call counts: strace cannot trace here: {why}")
        return {"_skipped": f"strace cannot trace here: {why}"}
    kinds = [("plain", server.url, None), ("tls", server.tls_url, server.cert)]
    for c in runnable:
        if c.language != "C":
            continue
        for kind, url, ca in kinds:
            if ca is not None and c.name == "c-raw-socket":
                continue  # the floor speaks plain HTTP only
            env = dict(os.environ, BENCH_EMAIL=server.account(), **c.env)
            if ca is not None:
                env["BENCH_CA"] = ca
            try:
                small, large = (strace_counts(c.command("seq", url, n), env)
                                for n in (SYSCALL_SMALL, SYSCALL_SMALL + args.syscalls))
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                failures.append(f"system calls {c.name} {kind}: {e}")
                log("FAILED", failures[-1])
                continue
            calls = {name: (large.get(name, 0) - small.get(name, 0)) / args.syscalls
                     for name in set(small) | set(large)}
            calls = {k: v for k, v in calls.items() if abs(v) >= 0.005}
            per_request = sum(calls.values())
            out.setdefault(c.name, {})[kind] = {"per_request": per_request, "calls": calls,
                                                "n": args.syscalls}
            log(f"system calls {kind:5} {c.name:18} {per_request:5.2f} per request: "
                + syscall_summary(calls))
    return out


def syscall_summary(calls, top=5):
    ranked = sorted(calls.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{v:.2f} {k}" for k, v in ranked[:top] if v > 0)


# Memory per client (issue 20): bench/c/bench_clients.c built against each library.
CLIENT_PROGRAMS = (("c-libcurl", "libcurl (C)", "bench-clients-curl"),
                   ("c-librescue", "librescue (C)", "bench-clients-rescue"))


def measure_clients(args, plain, failures):
    """RSS per client holding one idle connection, plain HTTP and TLS: {name: {tls: [kB]}}."""
    out = {}
    if not args.clients:
        return out
    tls = Sandbox(args.sandbox, args.sandbox_cpu, 2 * args.clients_runs * len(CLIENT_PROGRAMS)
                  + 2, tls=True)
    try:
        for round_ in range(args.clients_runs):
            for sandbox, kind in ((plain, "plain"), (tls, "tls")):
                for name, _, exe in CLIENT_PROGRAMS:
                    argv = [os.path.join(args.bin, exe), sandbox.url, str(args.clients)]
                    if sandbox.cert:
                        argv.append(sandbox.cert)
                    env = dict(os.environ, BENCH_EMAIL=sandbox.account())
                    proc = subprocess.run(pin_to(args.client_cpu, argv), capture_output=True,
                                          text=True, env=env)
                    line = next((l for l in proc.stdout.splitlines() if l.startswith("{")),
                                None)
                    if proc.returncode != 0 or line is None:
                        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
                        failures.append(f"{name} clients {kind}: exit {proc.returncode}: {tail}")
                        log("FAILED", failures[-1])
                        continue
                    r = json.loads(line)
                    out.setdefault(name, {}).setdefault(kind, []).append(r)
                    log(f"round {round_ + 1}/{args.clients_runs} clients {kind:5} {name:13} "
                        f"{r['per_client_kb']:7.1f} kB/client")
    finally:
        tls.stop()
    return out


def clients_kb(results, name, kind):
    runs = results.get("clients", {}).get(name, {}).get(kind)
    return statistics.median(r["per_client_kb"] for r in runs) if runs else None


# ===== figures =====

def per_request(runs, what):
    values = []
    for r in runs:
        if what == "wall":
            values.append(1e6 * r["wall_s"] / r["n"])
        elif what == "cpu":
            values.append(1e6 * (r["user_s"] + r["sys_s"]) / r["n"])
        elif what == "sandbox":
            values.append(1e6 * r["sandbox_cpu_s"] / r["n"])
    return values


def summarise(results):
    table = {}
    for mode, _, _ in WORKLOADS:
        for name, runs in results.get(mode, {}).items():
            wall, cpu = per_request(runs, "wall"), per_request(runs, "cpu")
            rounds = [r.get("round", i) for i, r in enumerate(runs)]
            table[(mode, name)] = {
                "by_round": {"wall": dict(zip(rounds, wall)), "cpu": dict(zip(rounds, cpu))},
                "wall": statistics.median(wall), "wall_min": min(wall), "wall_max": max(wall),
                "cpu": statistics.median(cpu),
                "user": statistics.median(1e6 * r["user_s"] / r["n"] for r in runs),
                "sys": statistics.median(1e6 * r["sys_s"] / r["n"] for r in runs),
                "sandbox": statistics.median(per_request(runs, "sandbox")),
                "sandbox_busy": statistics.median(
                    r["sandbox_cpu_s"] / r["wall_s"] for r in runs),
                "rss_kb": max(r["maxrss_kb"] for r in runs),
                "runs": len(runs), "n": runs[0]["n"],
            }
    for name, runs in results["cold"].items():
        table[("cold", name)] = {
            "ms": statistics.median(1e3 * r["first_pin_s"] for r in runs),
            "rss_kb": max(r["maxrss_kb"] for r in runs), "runs": len(runs)}
    return table


def sizes(args):
    out = {}
    lib = os.path.realpath(args.lib)
    if os.path.exists(lib):
        stripped = os.path.join(tempfile.mkdtemp(prefix="bench-"), "librescue.so")
        shutil.copy(lib, stripped)
        subprocess.run(["strip", "--strip-all", stripped], check=True)
        out["librescue.so (as built)"] = os.path.getsize(lib)
        out["librescue.so (stripped)"] = os.path.getsize(stripped)
        shutil.rmtree(os.path.dirname(stripped))
    wheels = sorted(glob.glob(os.path.join(ROOT, args.wheels, "librescue-*.whl")),
                    key=os.path.getmtime)
    if wheels:
        out[f"wheel {os.path.basename(wheels[-1])}"] = os.path.getsize(wheels[-1])
    for name in ("libcurl.so.4", "libssl.so.3", "libcrypto.so.3"):
        found = glob.glob(f"/usr/lib/*-linux-gnu/{name}")
        if found:
            out[f"{name} (Debian, for scale)"] = os.path.getsize(os.path.realpath(found[0]))
    return out


def machine():
    def first_line(argv):
        try:
            out = subprocess.run(argv, capture_output=True, text=True)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "n/a"

    cpu = "n/a"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
        "memory": first_line(["sh", "-c", "free -h | awk '/Mem:/ {print $2}'"]),
        "rustc": first_line(["rustc", "--version"]),
        "cc": first_line(["cc", "--version"]),
        "php": first_line(["php", "--version"]),
    }


# ===== report =====

def us(x):
    return f"{x:,.1f}"


def ratio(a, b):
    return a / b if a is not None and b else None


def paired(a, b, what):
    """A ÷ B for two rows of the table: the median of the per-round ratios, each round
    having run A and B one after the other (the noise of that moment falls on both), or
    the ratio of the medians where they share no round."""
    if not a or not b:
        return None
    ra, rb = a.get("by_round", {}).get(what, {}), b.get("by_round", {}).get(what, {})
    common = [k for k in ra if k in rb and rb[k]]
    if common:
        return statistics.median(ra[k] / rb[k] for k in common)
    return ratio(a[what], b[what])


def fmt_ratio(r):
    return "n/a" if r is None else f"{r:.2f}×"


def goal_rows(table, rss, size, results=None):
    def get(mode, name, what):
        row = table.get((mode, name))
        return row[what] if row else None

    def rel(mode, a, b, what):
        return paired(table.get((mode, a)), table.get((mode, b)), what)

    rows = []

    def add(goal, value, limit, ok_when_below=True, note=""):
        if value is None:
            rows.append((goal, "n/a", "not measured", note))
            return
        met = value <= limit if ok_when_below else value >= limit
        rows.append((goal, fmt_ratio(value), "met" if met else "**missed**", note))

    for mode, label in (("seq", "sequential"), ("threads", "threads")):
        add(f"CPU/request ≤ 0.8× libcurl ({label})",
            rel(mode, "c-librescue", "c-libcurl", "cpu"), 0.8)
    for mode, label in (("seq", "sequential"), ("threads", "threads")):
        add(f"wall/request ≤ 1.2× floor ({label})",
            rel(mode, "c-librescue", "c-raw-socket", "wall"), 1.2)
    for mode, label in (("seq", "sequential"), ("threads", "threads")):
        add(f"Python wall ≤ 1.15× C library ({label})",
            rel(mode, "py-rescue", "c-librescue", "wall"), 1.15)
    # Issue 24: what the Ctrl-C check costs a main-thread call, beside the same calls with
    # it off (with threads no call arms it: the threads workload has no such pair).
    armed, off = table.get(("seq", "py-rescue")), table.get(("seq", "py-rescue-unchecked"))
    c = table.get(("seq", "c-librescue"))
    note = ""
    if armed and off and c:
        note = (f"Python ÷ C wall {fmt_ratio(paired(armed, c, 'wall'))} with the check, "
                f"{fmt_ratio(paired(off, c, 'wall'))} without; "
                f"{armed['wall'] - off['wall']:+.1f} µs wall, "
                f"{armed['cpu'] - off['cpu']:+.1f} µs CPU per call (medians)")
    add("Python Ctrl-C check: wall with ÷ without ≤ 1.05× (sequential; issue 24)",
        rel("seq", "py-rescue", "py-rescue-unchecked", "wall"), 1.05, note=note)
    counts = (results or {}).get("instructions") or {}
    on, off = counts.get("py-rescue"), counts.get("py-rescue-unchecked")
    add("Python Ctrl-C check: instructions with ÷ without ≤ 1.05× (issue 24)",
        ratio(on, off) if on and off else None, 1.05,
        note=(f"{on:,.0f} vs {off:,.0f} per call ({on - off:+,.0f}); C library: "
              f"{counts['c-librescue']:,.0f}" if on and off and "c-librescue" in counts
              else ""))
    add("PHP wall ≤ 1.15× C library (sequential)",
        rel("seq", "php-rescue", "c-librescue", "wall"), 1.15)
    for mode, label in (("seq", "sequential"), ("threads", "threads")):
        add(f"Python ≥ 5× faster than requests ({label})",
            rel(mode, "py-requests", "py-rescue", "wall"), 5,
            ok_when_below=False, note="requests wall ÷ rescue wall")
    for mode, label in (("nginx-seq", "sequential"), ("nginx-threads", "threads")):
        # What bounds it: the kernel's part (sys) next to the user-space part.
        split = [(name, get(mode, name, "user"), get(mode, name, "sys"))
                 for name in ("c-librescue", "c-libcurl", "c-raw-socket")]
        note = "user + sys µs/req: " + ", ".join(
            f"{name[2:]} {u:.1f} + {k:.1f}" for name, u, k in split
            if u is not None and k is not None)
        add(f"against nginx: CPU/request ≤ 0.6× libcurl ({label}; issue 13)",
            rel(mode, "c-librescue", "c-libcurl", "cpu"), 0.6,
            note=note)
        add(f"against nginx: wall/request ≤ 1.2× floor ({label}; issue 13)",
            rel(mode, "c-librescue", "c-raw-socket", "wall"), 1.2,
            note="libcurl: " + fmt_ratio(rel(mode, "c-libcurl", "c-raw-socket", "wall")))
    calls = (results or {}).get("syscalls", {}).get("c-librescue", {})
    if calls.get("plain"):
        v = calls["plain"]["per_request"]
        tls = calls.get("tls")
        rows.append(("system calls/request ≤ 4 (plain HTTP; issue 13)", f"{v:.2f}",
                     "met" if v <= 4 else "**missed**",
                     f"TLS: {tls['per_request']:.2f}" if tls else ""))
    if results is not None:
        add("memory per client ≤ 1.2× libcurl (plain HTTP; issue 20)",
            ratio(clients_kb(results, "c-librescue", "plain"),
                  clients_kb(results, "c-libcurl", "plain")), 1.2,
            note="TLS: " + fmt_ratio(ratio(clients_kb(results, "c-librescue", "tls"),
                                           clients_kb(results, "c-libcurl", "tls")))
            + " (reported, no goal)")
    so = size.get("librescue.so (stripped)")
    if so is None:
        rows.append(("stripped .so < 3 MB", "n/a", "not measured", ""))
    else:
        rows.append(("stripped .so < 3 MB", f"{so / 1e6:.2f} MB",
                     "met" if so < 3e6 else "**missed**", f"{so / 3e6:.2f}× the limit"))
    r = rss.get("c-librescue")
    if r and r["rss_samples"]:
        samples = r["rss_samples"]
        first, last = samples[0][1], samples[-1][1]
        half = samples[len(samples) // 2][1]
        # Flat: no growth over the second half of the run. A leak grows with the calls; a
        # heap that steps up once (an allocator arena, a pool) and stays does not.
        late = last - half
        rows.append((f"RSS flat over {r['n']:,} calls (C library)",
                     f"{first:,} → {last:,} kB", "met" if late <= 16 else "**missed**",
                     f"{last - first:+,} kB in all, {late:+,} kB over the last "
                     f"{r['n'] - samples[len(samples) // 2][0]:,} calls "
                     f"({1024 * late / max(r['n'] - samples[len(samples) // 2][0], 1):+.2f} "
                     "B/call)"))
    else:
        rows.append(("RSS flat over 100,000 calls", "n/a", "not measured", ""))
    return rows


# SOAP 1.1 beside POST (issue 11): (label, A, B, workloads), each row A ÷ B.
SOAP_PAIRS = (
    ("librescue (C): SOAP 1.1 ÷ POST", "c-librescue-soap11", "c-librescue",
     ("seq", "threads", "nginx-seq", "nginx-threads")),
    ("rescue (Python): SOAP 1.1 ÷ POST", "py-rescue-soap11", "py-rescue", ("seq", "threads")),
    ("Rescue\\Client (PHP): SOAP 1.1 ÷ POST", "php-rescue-soap11", "php-rescue", ("seq",)),
    ("SoapClient ÷ Rescue\\Client SOAP 1.1 (PHP)", "php-soap", "php-rescue-soap11", ("seq",)),
    ("SoapClient ÷ Rescue\\Client POST (PHP)", "php-soap", "php-rescue", ("seq",)),
)
WORKLOAD_NAMES = {"seq": "sandbox, sequential", "threads": "sandbox, threads",
                  "nginx-seq": "nginx, sequential", "nginx-threads": "nginx, threads",
                  "cold": "cold start"}


def soap_section(w, args, names, table):
    rows = []
    for label, a, b, modes in SOAP_PAIRS:
        for mode in modes:
            ra, rb = table.get((mode, a)), table.get((mode, b))
            if ra and rb:
                rows.append(f"| {label} | {WORKLOAD_NAMES[mode]} | {us(ra['wall'])} / "
                            f"{us(rb['wall'])} | {fmt_ratio(paired(ra, rb, 'wall'))} "
                            f"| {us(ra['cpu'])} / {us(rb['cpu'])} "
                            f"| {fmt_ratio(paired(ra, rb, 'cpu'))} |")
        ca, cb = table.get(("cold", a)), table.get(("cold", b))
        if a == "php-soap" and ca and cb:
            rows.append(f"| {label} | cold start (ms, incl. the WSDL) | {ca['ms']:.1f} / "
                        f"{cb['ms']:.1f} | {fmt_ratio(ratio(ca['ms'], cb['ms']))} | | |")
    if not rows:
        return
    w("## SOAP 1.1 beside POST")
    w("")
    w("The same PIN requests over SOAP 1.1 (`API.asmx`, issue 11), from the rows above: "
      "librescue's SOAP transport against its POST in each language, and PHP's own "
      "`SoapClient` — what the vendor's \"PHP with SOAP\" sample runs today, on the "
      "sandbox's WSDL, with `'bNoTechConsole' => false` added — against the PHP binding. "
      "Each cell is A / B, then A ÷ B (lower is cheaper for A).")
    w("")
    w("| comparison (A ÷ B) | workload | wall µs/req A / B | wall A ÷ B | CPU µs/req A / B "
      "| CPU A ÷ B |")
    w("|---|---|---:|---:|---:|---:|")
    for row in rows:
        w(row)
    w("")


def instructions_section(w, args, names, results):
    counts = results.get("instructions") or {}
    if not counts:
        return
    labels = {c.name: c.label for c in names}
    w("## Instructions per call")
    w("")
    w("Counted by callgrind (valgrind), which counts instructions, not seconds: the same run "
      "gives the same count however busy the machine is. Each contender's sequential run "
      f"against the sandbox with {INSTRUCTION_SMALL} calls and with "
      f"{INSTRUCTION_SMALL + args.instructions:,}; the difference ÷ {args.instructions:,} is "
      "one call, without start-up, login and warm-up, client and its threads only (not the "
      "sandbox). The Python package with and without its Ctrl-C check is what the check "
      "costs (issue 24).")
    w("")
    w("| contender | instructions per call |")
    w("|---|---:|")
    for name in INSTRUCTION_CONTENDERS:
        if name in counts:
            w(f"| {labels.get(name, name)} | {counts[name]:,.0f} |")
    w("")


def syscall_section(w, results):
    counts = dict(results.get("syscalls") or {})
    skipped = counts.pop("_skipped", None)
    if skipped:
        w("## System calls per request")
        w("")
        w(f"Not measured: {skipped}.")
        w("")
    if not counts:
        return
    n = next(iter(next(iter(counts.values())).values()))["n"]
    w("## System calls per request")
    w("")
    w(f"`strace -f -c` of each C contender's sequential run against nginx (all threads), "
      f"{SYSCALL_SMALL:,} and {SYSCALL_SMALL + n:,} calls: the difference ÷ {n:,}, so that "
      "start-up, login and warm-up cancel out. The most frequent calls per request follow. "
      "TLS: nginx's TLS port, the client given its CA file (the floor speaks plain HTTP "
      "only). strace slows the traced program, not what it calls.")
    w("")
    w("| contender | plain HTTP | of which | TLS | of which |")
    w("|---|---:|---|---:|---|")
    for name, kinds in counts.items():
        cells = []
        for kind in ("plain", "tls"):
            k = kinds.get(kind)
            cells += ([f"{k['per_request']:.2f}", syscall_summary(k["calls"])] if k
                      else ["—", ""])
        w(f"| {name} | " + " | ".join(cells) + " |")
    w("")


def report(args, chosen, results, failures, table, size, info, chart, started, took):
    names = [c for c in chosen]
    lines = []
    w = lines.append
    w("# Benchmarks")
    w("")
    w("Written by `make bench` (bench/run.py); do not edit by hand. What is measured and why: "
      "bench/README.md.")
    w("")
    w(f"Workload: log in once, then {args.n:,} `requestLensPINCode` calls (POST, "
      f"`cfield0=bench`, login cookie) over keep-alive against the sandbox "
      f"(`--pin-interval-ms 0`), after {50} untimed warm-up calls per thread; sequentially, "
      f"and from {args.threads} threads sharing one client. {args.runs} round(s), each running "
      "every contender in turn (A B C D, A B C D, …); figures are the medians, and a "
      "ratio (×) is the median of the per-round ratios (A and B ran one after the other "
      "in each round). "
      "*Wall* is elapsed time ÷ calls (for threads: the inverse of throughput); *CPU* is the "
      "client process's user + sys time (getrusage around the loop only) ÷ calls; *sandbox* "
      "is the sandbox's CPU ÷ calls during the same run.")
    w("")
    if args.variant:
        w("A/B (`--variant`): " + "; ".join(
            f"*librescue {v.split('=', 1)[0]} (C)* is the C contender on `{v.split('=', 1)[1]}`"
            for v in args.variant)
          + ", in the same rounds as the others (bench/README.md, *A/B of a core change*, "
          "says what the last full run's variant was and how it was built).")
        w("")
    if chart:
        w(f"![wall and CPU time per request]({os.path.relpath(chart, os.path.dirname(os.path.abspath(args.out)))})")
        w("")
    sections = [("seq", "Sequential (one thread)", "sandbox", ""),
                ("threads", f"{args.threads} threads, one shared client", "sandbox", "")]
    if any(results.get(k) for k in ("nginx-seq", "nginx-threads")):
        sections += [
            ("nginx-seq", "Against nginx: sequential", "nginx",
             "The C contenders again, against nginx on loopback answering the same pages "
             "with fixed answers over keep-alive (bench/nginx.py: the session cookie is "
             "checked, `API.asmx` answers SOAP 1.1): a server that is not the bottleneck "
             f"({args.nginx_workers} worker processes; how busy they were is under *Is the "
             "server the limit?*), so that the ratios are the clients' own (issue 13). Same "
             "calls, same rounds. On 2 cores, client "
             "and server still share the machine: a sequential round trip pays one or two "
             "wake-ups depending on where the scheduler put each side, hence the wide "
             "min–max."),
            ("nginx-threads", f"Against nginx: {args.threads} threads, one shared client",
             "nginx", "")]
    for mode, title, server, intro in sections:
        w(f"## {title}")
        w("")
        if intro:
            w(intro)
            w("")
        w("| contender | wall µs/req | (min–max) | CPU µs/req | wall vs floor | CPU vs libcurl "
          f"| {server} CPU µs/req | {server} busy | peak RSS |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        floor = table.get((mode, "c-raw-socket"))
        curl = table.get((mode, "c-libcurl"))
        for c in names:
            if not runs_on(c, server):
                continue
            row = table.get((mode, c.name))
            if row is None:
                why = c.skip or (("no threads in PHP" if c.language == "PHP" else
                                  "sequential only") if mode == "threads" and not c.threads
                                 else "failed")
                w(f"| {c.label} | — | | | | | | | ({why}) |")
                continue
            w(f"| {c.label} | {us(row['wall'])} | {us(row['wall_min'])}–{us(row['wall_max'])} "
              f"| {us(row['cpu'])} | {fmt_ratio(paired(row, floor, 'wall'))} "
              f"| {fmt_ratio(paired(row, curl, 'cpu'))} "
              f"| {us(row['sandbox'])} | {100 * row['sandbox_busy']:.0f}% "
              f"| {row['rss_kb'] / 1024:.1f} MB |")
        w("")
    soap_section(w, args, names, table)
    syscall_section(w, results)
    instructions_section(w, args, names, results)
    w("## Cold start")
    w("")
    w("Process start (fork/exec, measured from outside) to the first PIN printed: start-up, "
      f"library loading, login and one PIN request. Median of {args.cold_runs}.")
    w("")
    w("| contender | cold start ms | peak RSS |")
    w("|---|---:|---:|")
    for c in names:
        row = table.get(("cold", c.name))
        if row:
            w(f"| {c.label} | {row['ms']:.1f} | {row['rss_kb'] / 1024:.1f} MB |")
    w("")
    w("## Memory over a long run")
    w("")
    w("Resident set size sampled every 1/20 of the calls, in one sequential run (after login "
      "and warm-up). *Flat* means no growth over the run's second half: a leak grows with "
      "the calls, while a heap that steps up once and stays is the allocator at work.")
    w("")
    w("| contender | calls | RSS first | RSS last | change | samples (kB) |")
    w("|---|---:|---:|---:|---:|---|")
    for name, r in results["rss"].items():
        s = r["rss_samples"]
        if s:
            w(f"| {name} | {r['n']:,} | {s[0][1]:,} kB | {s[-1][1]:,} kB | "
              f"{s[-1][1] - s[0][1]:+,} kB | {' '.join(str(kb) for _, kb in s)} |")
    w("")
    if results.get("clients"):
        w("## Memory per client")
        w("")
        w(f"What one more client costs a process that keeps many (one per technician): "
          f"{args.clients} clients made after a first one, each with one idle keep-alive "
          "connection after an authcode `requestLensPINCode`; the growth of the process's "
          "RSS ÷ clients (bench/c/bench_clients.c), median of "
          f"{args.clients_runs}. libcurl: an easy handle per client.")
        w("")
        w("| contender | plain HTTP kB/client | vs libcurl | TLS kB/client | vs libcurl |")
        w("|---|---:|---:|---:|---:|")
        for name, label, _ in CLIENT_PROGRAMS:
            plain, tls = (clients_kb(results, name, k) for k in ("plain", "tls"))
            cp, ct = (clients_kb(results, "c-libcurl", k) for k in ("plain", "tls"))
            cell = lambda v: "—" if v is None else f"{v:.1f}"
            w(f"| {label} | {cell(plain)} | {fmt_ratio(ratio(plain, cp))} | {cell(tls)} "
              f"| {fmt_ratio(ratio(tls, ct))} |")
        w("")
    w("## Artifact sizes")
    w("")
    w("| artifact | bytes | MB |")
    w("|---|---:|---:|")
    for name, b in size.items():
        w(f"| {name} | {b:,} | {b / 1e6:.2f} |")
    w("")
    w("## Goals")
    w("")
    w("Targets from issues 7, 13, 20 and 24, checked against the figures above (reported, not "
      "asserted): ratios are medians of the per-round ratios. Issue 7's are against the "
      "sandbox, issue 13's against nginx; a missed one's note says what bounds it (CPU: "
      "the kernel's part, sys, and the user-space part of each).")
    w("")
    w("| goal | measured | result | note |")
    w("|---|---:|---|---|")
    for goal, value, result, note in goal_rows(table, results["rss"], size, results):
        w(f"| {goal} | {value} | {result} | {note} |")
    w("")
    busiest = max((row["sandbox_busy"] for k, row in table.items() if k[0] in ("seq", "threads")),
                  default=0)
    w("## Is the server the limit?")
    w("")
    pinned = (f"The sandbox ran on CPU {args.sandbox_cpu}, the clients on CPU {args.client_cpu}."
              if args.sandbox_cpu is not None else
              "Sandbox and clients were not pinned: the scheduler placed them, as it would for "
              "a user (pinning them apart on this VM adds two cross-CPU wake-ups to every "
              "round trip; see bench/README.md).")
    w(f"{pinned} The sandbox's CPU time was at most {100 * busiest:.0f}% of a run's wall time "
      "(the *sandbox busy* column; it serves a keep-alive connection on one core at a time): "
      + ("below 80% in every run, so it was never the bottleneck; its CPU per request is "
         "the same for every contender and is part of the floor." if busiest < 0.8 else
         "at or above 80% in some run: those figures are bounded by the sandbox, not the "
         "client."))
    nginx_busy = [row["sandbox_busy"] for k, row in table.items()
                  if k[0] in ("nginx-seq", "nginx-threads")]
    if nginx_busy:
        workers = args.nginx_workers
        w("")
        w(f"nginx ({workers} worker processes) was at most {100 * max(nginx_busy):.0f}% busy "
          "(CPU time of its master and workers ÷ wall time; each worker can give 100%): "
          + (f"below 80% of its {workers} workers' capacity in every run, so it was never "
             "the bottleneck." if max(nginx_busy) < 0.8 * workers else
             "at or above 80% of its workers' capacity in some run."))
    w("")
    w("## Machine and versions")
    w("")
    w(f"- CPUs: {info['nproc']} × {info['cpu']}; memory {info['memory']}; kernel {info['kernel']}")
    w(f"- Load average at start / end: {info['load_start']} / {info['load_end']} "
      "(a shared machine: other work was running)")
    w(f"- {info['rustc']}; {info['cc']}; {info['php']}")
    versions = {}
    for mode in ("seq", "threads", "cold"):
        for name, runs in results[mode].items():
            versions.setdefault(name, runs[0].get("version", "-"))
    w("- Libraries: " + ", ".join(f"{n} {v}" for n, v in versions.items() if v != "-"))
    w(f"- Python: {info['python']}")
    w(f"- Started {started}, took {took:.0f} s")
    w(f"- Command: `{info['make_command']}` → `{info['command']}`")
    w("")
    skipped = [c for c in chosen if c.skip]
    if skipped or failures:
        w("## Left out")
        w("")
        for c in skipped:
            w(f"- {c.label}: {c.skip}")
        for f in failures:
            w(f"- failed: {f}")
        w("")
    with open(args.out, "w") as f:
        f.write("\n".join(lines))


def draw(args, chosen, table, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib missing: no chart")
        return None
    modes = [("seq", "sandbox, sequential"),
             ("threads", f"sandbox, {args.threads} threads, shared client")]
    c_only = [c for c in chosen if runs_on(c, "nginx")]
    nginx_ran = any(("nginx-seq", c.name) in table for c in c_only)
    if nginx_ran:
        modes += [("nginx-seq", "nginx, sequential"),
                  ("nginx-threads", f"nginx, {args.threads} threads, shared client")]
    rows = 2 if nginx_ran else 1
    fig, grid = plt.subplots(rows, 2, figsize=(13, 0.42 * len(chosen) + 1.8 + 3.2 * (rows - 1)),
                             squeeze=False,
                             gridspec_kw={"height_ratios": [len(chosen), len(c_only)][:rows]})
    axes = [ax for row in grid for ax in row]
    for i, (ax, (mode, title)) in enumerate(zip(axes, modes)):
        shown = chosen if mode in ("seq", "threads") else c_only
        labels = [c.label for c in shown]
        wall = [table.get((mode, c.name), {}).get("wall", 0) for c in shown]
        cpu = [table.get((mode, c.name), {}).get("cpu", 0) for c in shown]
        ys = range(len(shown))
        ax.barh([y + 0.2 for y in ys], wall, height=0.4, label="wall µs/request")
        ax.barh([y - 0.2 for y in ys], cpu, height=0.4, label="client CPU µs/request")
        for y, v in zip(ys, wall):
            if v:
                ax.text(v, y + 0.2, f" {v:.0f}", va="center", fontsize=8)
        ax.set_yticks(list(ys))
        # The left panel of a row names the bars; the right one has the same rows.
        ax.set_yticklabels(labels if i % 2 == 0 else [""] * len(labels), fontsize=8)
        ax.invert_yaxis()
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("µs per request (median; lower is better)", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    axes[0].legend(loc="lower right", fontsize=8)
    fig.suptitle(f"requestLensPINCode, {args.n:,} calls, median of {args.runs} "
                 f"round{'s' if args.runs != 1 else ''}")
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=100)
    return path


# ===== main =====

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10000, help="calls per run (default 10000)")
    p.add_argument("--runs", type=int, default=5, help="rounds; medians are taken (default 5)")
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--cold-runs", type=int, default=5)
    p.add_argument("--rss-calls", type=int, default=100000)
    p.add_argument("--sandbox", default="target/release/rescue-sandbox")
    p.add_argument("--bin", default="build/bench/bin", help="the C contenders' directory")
    p.add_argument("--lib", default="build/bench/lib/librescue.so",
                   help="the library the PHP binding loads (make bench copies build/lib's)")
    p.add_argument("--wheels", default="build/bench/wheels", help="where the rescue wheel is")
    p.add_argument("--python", default="build/bench/venv/bin/python",
                   help="interpreter with requests and httpx (and matplotlib for the chart)")
    p.add_argument("--python-rescue", default=None,
                   help="interpreter with the rescue package (default: --python)")
    p.add_argument("--php", default="php")
    p.add_argument("--host", default="127.0.0.1",
                   help="the sandbox's host name as the clients see it; `localhost` makes "
                   "them resolve a name, as with the real service (the raw floor needs an IP)")
    p.add_argument("--pin", action="store_true",
                   help="pin the sandbox and the clients to different CPUs (taskset); off by "
                   "default: on a VM each round trip then pays two cross-CPU wake-ups")
    p.add_argument("--sandbox-cpu", default="1", help="with --pin: the sandbox's CPU list")
    p.add_argument("--client-cpu", default="0", help="with --pin: the clients' CPU list")
    p.add_argument("--only", type=lambda s: s.split(","), default=None,
                   help="comma-separated contender names")
    p.add_argument("--variant", action="append", default=[], metavar="LABEL=LIBRESCUE.SO",
                   help="also run the C contender on this build of librescue.so (A/B of a "
                   "core change); repeatable")
    p.add_argument("--require", type=lambda s: s.split(","), default=[],
                   help="fail unless these contenders produced figures")
    p.add_argument("--clients", type=int, default=300,
                   help="memory per client: clients per run (0 skips it; default 300)")
    p.add_argument("--clients-runs", type=int, default=3)
    p.add_argument("--no-nginx", dest="nginx", action="store_false",
                   help="skip nginx (the C contenders against a server that costs almost "
                   "nothing, and the system-call counts)")
    p.add_argument("--nginx-workers", type=int, default=2)
    p.add_argument("--syscalls", type=int, default=2000,
                   help="system calls per request: calls counted under strace (0 skips it; "
                   "default 2000)")
    p.add_argument("--instructions", type=int, default=2000,
                   help="instructions per call: calls counted under callgrind for the C "
                   "library and the Python package with and without its Ctrl-C check "
                   "(0 skips it; default 2000)")
    p.add_argument("--out", default="BENCHMARKS.md")
    p.add_argument("--chart", default="bench/benchmarks.png")
    p.add_argument("--json", default="build/bench/results.json")
    p.add_argument("--report-only", action="store_true",
                   help="measure nothing: write the report and chart again from --json")
    p.add_argument("--smoke", action="store_true",
                   help="tiny run (200 calls, 1 round) that only checks the harness works")
    args = p.parse_args(argv)
    if args.smoke:
        args.n, args.runs, args.cold_runs, args.rss_calls = 200, 1, 1, 2000
        args.clients, args.clients_runs, args.syscalls = 20, 1, 200
        args.instructions = 100
    if args.python_rescue is None:
        args.python_rescue = args.python
    if not args.pin or (os.cpu_count() or 1) < 2 or shutil.which("taskset") is None:
        args.sandbox_cpu = args.client_cpu = None
    return args


def main(argv):
    args = parse_args(argv)
    if args.report_only:
        return rewrite(args)
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    t0 = time.time()
    chosen = contenders(args)
    for c in chosen:
        if c.skip:
            log(f"skipping {c.name}: {c.skip}")
    info = machine()
    info["load_start"] = " ".join(open("/proc/loadavg").read().split()[:3])
    processes = args.runs * 2 * len(chosen) + args.cold_runs * len(chosen) + 2
    server, why_not = None, nginx.available() if args.nginx else "--no-nginx"
    sandbox = Sandbox(args.sandbox, args.sandbox_cpu, processes + 10)
    try:
        if why_not is None:
            try:
                server = nginx.Nginx(workers=args.nginx_workers)
            except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
                why_not = f"nginx did not start: {e}"
        if why_not is not None:
            log(f"no nginx runs: {why_not}")
        results, failures = measure(args, chosen, sandbox, server)
        if why_not is not None and args.nginx:
            failures.append(f"no nginx runs: {why_not}")
    finally:
        sandbox.stop()
        if server is not None:
            server.stop()
    info["load_end"] = " ".join(open("/proc/loadavg").read().split()[:3])
    py = subprocess.run([args.python if os.path.exists(args.python) else sys.executable,
                         "--version"], capture_output=True, text=True)
    info["python"] = (py.stdout or py.stderr).strip()
    info["command"] = " ".join(shlex.quote(a) for a in ["python", "bench/run.py"] + argv)
    info["make_command"] = os.environ.get("BENCH_MAKE_COMMAND", "-")
    info["started"], info["took"] = started, time.time() - t0
    size = sizes(args)
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump({"args": vars(args), "machine": info, "results": results, "sizes": size,
                   "failures": failures, "skipped": {c.name: c.skip for c in chosen if c.skip}},
                  f, indent=1)
    table = write(args, chosen, results, failures, size, info)
    for name, kinds in results.get("syscalls", {}).items():
        if name == "_skipped":
            continue
        for kind, k in kinds.items():
            log(f"system calls per request, {kind:5} {name:18} {k['per_request']:5.2f}: "
                + syscall_summary(k["calls"]))
    # NAME: sandbox figures and a cold start; NAME@nginx: nginx figures; NAME@strace: a
    # system-call count.
    def produced(name):
        base, _, where = name.partition("@")
        if where == "nginx":
            return ("nginx-seq", base) in table and ("nginx-threads", base) in table
        if where == "strace":
            counts = results.get("syscalls", {})
            return "_skipped" in counts or "plain" in counts.get(base, {})
        return ("seq", base) in table and ("cold", base) in table
    missing = [n for n in args.require if not produced(n)]
    if missing:
        log("no figures for required contenders: " + ", ".join(missing))
        return 1
    return 1 if failures else 0


def write(args, chosen, results, failures, size, info):
    """Writes the report and the chart; returns the summary table."""
    table = summarise(results)
    chart = draw(args, chosen, table, args.chart) if args.chart else None
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    report(args, chosen, results, failures, table, size, info, chart,
           info.get("started", "?"), info.get("took", 0))
    log(f"wrote {args.out}" + (f" and {chart}" if chart else ""))
    return table


def rewrite(args):
    """--report-only: the report and chart again from a run's saved results (--json)."""
    with open(args.json) as f:
        saved = json.load(f)
    keep = {k: getattr(args, k) for k in ("out", "chart", "json")}
    for key, value in saved["args"].items():
        setattr(args, key, value)
    for key, value in keep.items():
        setattr(args, key, value)
    chosen = contenders(args)
    results = saved["results"]
    ran = set().union(*(results.get(m, {}).keys() for m in ("seq", "threads", "cold")))
    skipped = saved.get("skipped", {})
    chosen = [c for c in chosen if c.name in ran or c.name in skipped]
    for c in chosen:
        c.skip = skipped.get(c.name)
    write(args, chosen, results, saved.get("failures", []), saved["sizes"], saved["machine"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
