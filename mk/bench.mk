# Benchmarks (bench/README.md): librescue against libcurl, a raw-socket floor, requests,
# httpx, PHP ext-curl and PHP SoapClient, against the sandbox, and the C contenders against
# nginx on loopback (a server that costs almost nothing); system calls per request (strace).
#   make bench         the full run (a few minutes): writes BENCHMARKS.md + bench/benchmarks.png
#   make bench-smoke   200 calls, 1 round: checks the harness still produces figures (a test)
# Options: make bench BENCH_ARGS='--n 20000 --runs 7' (python bench/run.py --help).

.PHONY: bench bench-smoke bench-deps bench-bins bench-venv bench-wheel

BENCH_DIR := build/bench
BENCH_BIN := $(BENCH_DIR)/bin
# A private copy of build/lib's library: every `make lib` (other work in the same tree)
# replaces build/lib's, and one run must measure one library from start to end.
BENCH_LIB := $(BENCH_DIR)/lib
BENCH_VENV := $(BENCH_DIR)/venv
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_SANDBOX := target/release/rescue-sandbox
BENCH_CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror -Ibench/c
BENCH_ARGS ?=

# What a fresh machine of this kind lacks; each a no-op when present.
bench-deps:
	@dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || (apt-get update && apt-get install -y libcurl4-openssl-dev)
	@dpkg -s php-curl >/dev/null 2>&1 || (apt-get update && apt-get install -y php-cli php-curl)
	@command -v taskset >/dev/null || (apt-get update && apt-get install -y util-linux)
	@# valgrind: instructions per call (callgrind), the figure noise doesn't move.
	@command -v valgrind >/dev/null || (apt-get update && apt-get install -y valgrind)
	@php -m | grep -qi '^soap$$' || (apt-get update && apt-get install -y php-soap)
	@# nginx: the server that is never the bottleneck; run.py starts it (loopback, its own
	@# config in a temp dir) and stops it by PID. strace: system calls per request.
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || \
	    (apt-get update && apt-get install -y nginx)
	@command -v strace >/dev/null || (apt-get update && apt-get install -y strace)
	@command -v openssl >/dev/null || (apt-get update && apt-get install -y openssl)

$(BENCH_BIN)/bench-raw: bench/c/bench_raw.c bench/c/harness.h
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $< -lpthread

$(BENCH_BIN)/bench-curl: bench/c/bench_curl.c bench/c/harness.h | bench-deps
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -o $@ $< -lcurl -lpthread

# Copied, then renamed into place (a running benchmark keeps the file it mapped).
$(BENCH_LIB)/librescue.so.0: build/lib/librescue.so
	@mkdir -p $(@D)
	cp -f build/lib/librescue.so $(@D)/.librescue.so.new
	mv -f $(@D)/.librescue.so.new $@
	ln -sf librescue.so.0 $(@D)/librescue.so

# Linked to the private copy ($(BENCH_LIB)), not to build/lib.
$(BENCH_BIN)/bench-rescue: bench/c/bench_rescue.c bench/c/harness.h $(BENCH_LIB)/librescue.so.0
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -Iinclude -o $@ $< -L$(BENCH_LIB) \
	    -Wl,-rpath,$(abspath $(BENCH_LIB)) -lrescue -lpthread

# Memory per client (issue 20): one source, built against each library.
$(BENCH_BIN)/bench-clients-curl: bench/c/bench_clients.c | bench-deps
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -DCLIENTS_CURL -o $@ $< -lcurl

$(BENCH_BIN)/bench-clients-rescue: bench/c/bench_clients.c $(BENCH_LIB)/librescue.so.0
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -DCLIENTS_RESCUE -Iinclude -o $@ $< -L$(BENCH_LIB) \
	    -Wl,-rpath,$(abspath $(BENCH_LIB)) -lrescue

bench-bins: lib bench-deps
	$(MAKE) $(BENCH_LIB)/librescue.so.0 $(BENCH_BIN)/bench-raw $(BENCH_BIN)/bench-curl $(BENCH_BIN)/bench-rescue \
	    $(BENCH_BIN)/bench-clients-curl $(BENCH_BIN)/bench-clients-rescue

$(BENCH_SANDBOX): FORCE
	$(CARGO) build --release -p rescue-sandbox
FORCE:

# The contenders' own venv: requests, httpx, matplotlib (the chart) and the rescue wheel.
$(BENCH_VENV)/.installed: mk/bench.mk
	test -x $(BENCH_PY) || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install --quiet --upgrade pip
	$(BENCH_PY) -m pip install --quiet requests httpx matplotlib 'maturin>=1.9,<2'
	touch $@

bench-venv: $(BENCH_VENV)/.installed

# The wheel as users get it (`maturin build --release`), measured and installed in the
# bench venv; pyproject.toml's cargo profile keeps it out of target/release.
bench-wheel: bench-venv
	rm -rf $(BENCH_DIR)/wheels
	PATH="$(abspath $(BENCH_VENV))/bin:$$PATH" PYO3_PYTHON=$(abspath $(BENCH_PY)) \
	    $(BENCH_VENV)/bin/maturin build --release --quiet --out $(BENCH_DIR)/wheels
	$(BENCH_PY) -m pip install --quiet --force-reinstall --no-deps $(BENCH_DIR)/wheels/librescue-*.whl

bench: bench-bins bench-wheel $(BENCH_SANDBOX)
	BENCH_MAKE_COMMAND="make bench$(if $(BENCH_ARGS), BENCH_ARGS='$(BENCH_ARGS)')" \
	    $(BENCH_PY) bench/run.py $(BENCH_ARGS)

# Uses the project's .venv (mk/python.mk) for the rescue package, so no wheel is built;
# requests and httpx run only where the bench venv already exists (`make bench` made it).
# What must have produced figures: NAME (against the sandbox), NAME@nginx, NAME@strace.
BENCH_SMOKE_REQUIRE := c-raw-socket c-libcurl c-librescue c-librescue-soap11 py-rescue \
    py-rescue-unchecked \
    php-curl php-rescue php-soap \
    c-raw-socket@nginx c-libcurl@nginx c-librescue@nginx c-librescue-soap11@nginx \
    c-raw-socket@strace c-libcurl@strace c-librescue@strace
BENCH_COMMA := ,
BENCH_SPACE := $(subst ,, )
BENCH_SMOKE_PY = $(if $(wildcard $(BENCH_PY)),$(BENCH_PY),$(VENV_PY))
bench-smoke: bench-bins python-install $(BENCH_SANDBOX)
	$(BENCH_SMOKE_PY) bench/run.py --smoke --python $(BENCH_SMOKE_PY) --python-rescue $(VENV_PY) \
	    --out $(BENCH_DIR)/smoke/BENCHMARKS.md --chart $(BENCH_DIR)/smoke/benchmarks.png \
	    --json $(BENCH_DIR)/smoke/results.json \
	    --require $(subst $(BENCH_SPACE),$(BENCH_COMMA),$(strip $(BENCH_SMOKE_REQUIRE)))
	@grep -q '^| librescue (C) | [0-9]' $(BENCH_DIR)/smoke/BENCHMARKS.md
	@grep -q '^## Against nginx' $(BENCH_DIR)/smoke/BENCHMARKS.md
	@echo "bench-smoke: the harness produced figures ($(BENCH_DIR)/smoke/BENCHMARKS.md)"

TEST_TARGETS += bench-smoke
