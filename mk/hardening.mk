# Hardening: fuzzing, load, memory and soak (docs/guarantees.md says what each proves).
#   make fuzz          each fuzz target for FUZZ_SECONDS (nightly + cargo-fuzz); finds go to
#                      fuzz/target/found/<target>/, crashes to fuzz/artifacts/<target>/
#   make fuzz-merge    adds the finds that reach new code to the committed fuzz/corpus/
#   make load          tests/load.rs in release (`make test` runs it in debug too)
#   make memory        tests/memory.rs: 64 MiB answers and a hang, peak RSS and timeout
#   make soak          100,000 calls through one client; fails on > 5 % RSS growth
#   make soak-smoke    the same with 20,000 calls (part of `make test`)
#   make hardening-lint  clippy with the `fuzzing` feature, rustfmt on the fuzz crate

.PHONY: fuzz fuzz-deps fuzz-merge load memory soak soak-smoke hardening-lint

FUZZ_TARGETS := response cookies soap
FUZZ_SECONDS ?= 60
FUZZ_FOUND := fuzz/target/found
SOAK_CALLS ?= 100000

fuzz-deps:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz

# The committed corpus is read, never written: new inputs go to $(FUZZ_FOUND).
fuzz: fuzz-deps
	@for target in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_FOUND)/$$target; \
	    echo "== fuzz $$target for $(FUZZ_SECONDS) s"; \
	    (cd fuzz && $(CARGO) +nightly fuzz run $$target ../$(FUZZ_FOUND)/$$target \
	        corpus/$$target -- -max_total_time=$(FUZZ_SECONDS) -timeout=2 \
	        -print_final_stats=1) || exit 1; \
	done

# libFuzzer's merge keeps only inputs that reach code the corpus doesn't (edges, not hit
# counts, and at most 4 KiB each), so the committed corpus stays small.
fuzz-merge: fuzz-deps
	@for target in $(FUZZ_TARGETS); do \
	    (cd fuzz && $(CARGO) +nightly fuzz run $$target corpus/$$target \
	        ../$(FUZZ_FOUND)/$$target -- -merge=1 -use_counters=0 -use_value_profile=0 \
	        -max_len=4096) || exit 1; \
	done
	@du -sh fuzz/corpus

load:
	$(CARGO) test --release --test load -- --nocapture

memory:
	$(CARGO) test --test memory -- --nocapture

soak:
	$(CARGO) run --release --example soak -- --calls $(SOAK_CALLS)

soak-smoke:
	$(CARGO) run --release --example soak -- --calls 20000

hardening-lint:
	$(CARGO) clippy --features fuzzing -- -D warnings
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml --check

TEST_TARGETS += soak-smoke hardening-lint
