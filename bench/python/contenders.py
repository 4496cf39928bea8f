"""The Python contenders: the `rescue` package, requests.Session and httpx.Client.

    python contenders.py CONTENDER seq|threads|cold|rss BASE_URL [N] [THREADS]

BENCH_INTERRUPT_CHECK=off: `rescue` main-thread calls run without the Ctrl-C check they
arm (issue 24; a private switch of the extension): the py-rescue-unchecked contender, run
beside py-rescue, is what the check costs.
"""

import json
import os
import resource
import sys
import threading
import time

# The sandbox allows ten logins per account in three minutes and every run is a fresh
# process that logs in once: bench/run.py gives each run its own account.
EMAIL, PASSWORD = os.environ.get("BENCH_EMAIL") or "tech@sandbox.test", "sandbox"
FORM = {"cfield0": "bench"}  # the same custom field as every other contender
WARMUP = 50


def parse_pin(body):
    """What a hand-written client does with `OK PINCODE:123456`: check, find, cut."""
    if not body.startswith("OK"):
        raise RuntimeError(f"unexpected answer {body!r}")
    pin = body[body.index("PINCODE:") + 8 :].strip()[:6]
    if len(pin) != 6 or not pin.isdigit():
        raise RuntimeError(f"unexpected answer {body!r}")
    return pin


class Rescue:
    def __init__(self, base):
        import rescue

        self.version = rescue.__version__
        if os.environ.get("BENCH_INTERRUPT_CHECK") == "off":
            from rescue import _rescue

            _rescue._set_interrupt_check(False)
        # BENCH_TRANSPORT ("soap11"…): the py-rescue-soap11 contender (bench/run.py runs it
        # only where rescue.Client takes a transport).
        transport = os.environ.get("BENCH_TRANSPORT")
        self.client = rescue.Client(base, transport=transport) if transport else rescue.Client(base)
        self.client.login(EMAIL, PASSWORD)

    def thread_handle(self):
        return self.client

    def pin(self, client):
        return client.request_lens_pin(cfield0="bench")


class Requests:
    def __init__(self, base):
        import requests

        self.version = requests.__version__
        self.requests = requests
        self.url = base + "requestLensPINCode.aspx"
        self.session = requests.Session()
        answer = self.session.post(base + "login.aspx", data={"email": EMAIL, "pwd": PASSWORD})
        if answer.status_code != 200 or answer.text != "OK":
            raise RuntimeError(f"login answered {answer.text!r}")

    def thread_handle(self):
        session = self.requests.Session()
        session.cookies.update(self.session.cookies)
        return session

    def pin(self, session):
        answer = session.post(self.url, data=FORM)
        answer.raise_for_status()
        return parse_pin(answer.text)


class Httpx:
    def __init__(self, base):
        import httpx

        self.version = httpx.__version__
        self.url = base + "requestLensPINCode.aspx"
        self.client = httpx.Client()
        answer = self.client.post(base + "login.aspx", data={"email": EMAIL, "pwd": PASSWORD})
        if answer.status_code != 200 or answer.text != "OK":
            raise RuntimeError(f"login answered {answer.text!r}")

    def thread_handle(self):
        return self.client

    def pin(self, client):
        answer = client.post(self.url, data=FORM)
        answer.raise_for_status()
        return parse_pin(answer.text)


CONTENDERS = {"py-rescue": Rescue, "py-requests": Requests, "py-httpx": Httpx}


def rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024


def peak_rss_kb():
    """VmHWM: ru_maxrss of a fork/exec'ed child starts at its parent's (the harness's)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main(argv):
    name, mode, base = argv[1], argv[2], argv[3]
    n = int(argv[4]) if len(argv) > 4 else 1
    threads = int(argv[5]) if len(argv) > 5 else 1
    c = CONTENDERS[name](base)
    samples = []
    if mode == "threads":
        start = threading.Barrier(threads + 1)
        failures = []

        def work(calls):
            try:
                handle = c.thread_handle()
                for _ in range(WARMUP):
                    c.pin(handle)
            except Exception as e:  # the barrier must still be reached
                failures.append(e)
            start.wait()
            try:
                for _ in range(calls):
                    if not failures:
                        c.pin(handle)
            except Exception as e:
                failures.append(e)

        workers = [
            threading.Thread(target=work, args=(n // threads + (i < n % threads),))
            for i in range(threads)
        ]
        for w in workers:
            w.start()
        start.wait()
        r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        for w in workers:
            w.join()
        wall, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF)
        if failures:
            raise failures[0]
    else:
        handle = c.thread_handle()
        print("PIN", c.pin(handle), flush=True)
        if mode == "cold":
            n = 0
        else:
            for _ in range(WARMUP):
                c.pin(handle)
        every = max(n // 20, 1)
        r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        for i in range(n):
            if mode == "rss" and i % every == 0:
                samples.append([i, rss_kb()])
            pin = c.pin(handle)
            if len(pin) != 6:
                raise RuntimeError(f"bad PIN {pin!r}")
        wall, r1 = time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF)
        if mode == "rss":
            samples.append([n, rss_kb()])
    print(json.dumps({
        "contender": name, "mode": mode, "n": max(n, 1), "threads": threads,
        "wall_s": wall, "user_s": r1.ru_utime - r0.ru_utime, "sys_s": r1.ru_stime - r0.ru_stime,
        "maxrss_kb": peak_rss_kb(), "version": c.version, "rss_samples": samples,
    }), flush=True)


if __name__ == "__main__":
    main(sys.argv)
