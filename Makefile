# The README's two commands start here. `make test` installs what a fresh machine of this
# kind lacks and runs every suite in every language; each language adds its part in mk/.

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: test lint rust-test demo
.DEFAULT_GOAL := lib

# Every suite; language parts append to TEST_TARGETS in mk/*.mk.
TEST_TARGETS := lint rust-test
include $(sort $(wildcard mk/*.mk))

test: $(TEST_TARGETS)
	@echo "make test: every suite passed"

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS=-Dwarnings $(CARGO) doc --workspace --no-deps

rust-test:
	$(CARGO) test --workspace

demo:
	$(CARGO) run --release -p rescue-cli -- lens-pin --sandbox
