# Windows: rescue.dll cross-built here with Debian's rustc-web and MinGW, tested under Wine.
#   make windows             build/windows/: rescue.dll, librescue.dll.a (MinGW import library),
#                            rescue.lib + rescue.def (import library for MSVC's linker, made by
#                            MinGW's dlltool; not linked by MSVC here), rescue.h, rescue.hpp
#   make windows-test        the C suite (tests/c), the example and the C++ wrapper suite,
#                            built with MinGW and run under Wine against the Linux sandbox
#   make windows-cargo-test  `cargo test -p rescue` for the Windows target under Wine
#                            (not part of `make test`: see the README's Windows section)
#   make windows-deps        the toolchain (apt) and the lane's own Wine prefix; no-op when present
#
# rustup here has no Windows target, so this builds std itself (-Zbuild-std, unstable, allowed
# by RUSTC_BOOTSTRAP) with Debian's rustc 1.96 at /usr/bin, called by path: rustup's toolchain,
# first in PATH, stays the one every other lane uses. Its own target dir keeps the two apart.
# A test lane, not a release process: release DLLs come from a toolchain with the target.

.PHONY: windows windows-test windows-cargo-test windows-deps windows-clean

WIN_TARGET := x86_64-pc-windows-gnu
WIN_TARGET_DIR := target/windows
WIN_OUT := $(BUILD)/windows
WIN_TEST_BIN := $(BUILD)/tests/windows
WIN_CC := x86_64-w64-mingw32-gcc
# The -posix variant: the C++ suite uses std::thread, which GCC 12's win32 thread model lacks.
# Its runtime (libstdc++, libgcc, winpthread) is linked statically (-static, with the import
# library named by path): the .exe needs no MinGW DLL, only rescue.dll.
WIN_CXX := x86_64-w64-mingw32-g++-posix
WIN_DLLTOOL := x86_64-w64-mingw32-dlltool
WIN_CARGO := RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=$(WIN_CC) \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine \
    CC_x86_64_pc_windows_gnu=$(WIN_CC) AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar \
    /usr/bin/cargo
WIN_CARGO_FLAGS := --target $(WIN_TARGET) -Zbuild-std=std,panic_unwind \
    --target-dir $(WIN_TARGET_DIR)
# The lane's own Wine prefix (never ~/.wine), quiet, without Mono, Gecko or menu entries.
WIN_TARGETS := windows-deps windows windows-test windows-cargo-test
$(WIN_TARGETS): export WINEPREFIX := $(abspath $(WIN_TARGET_DIR)/wine)
$(WIN_TARGETS): export WINEDEBUG := -all
$(WIN_TARGETS): export WINEDLLOVERRIDES := winemenubuilder.exe=d;mscoree,mshtml=
WIN_PACKAGES := rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 \
    wine64 wine

windows-deps:
	@dpkg -s $(WIN_PACKAGES) >/dev/null 2>&1 || (apt-get update && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(WIN_PACKAGES))
	@test -f $(WINEPREFIX)/system.reg || { mkdir -p $(WINEPREFIX) && wineboot -i && wineserver -w; }

windows: windows-deps
	$(WIN_CARGO) build --release -p rescue --lib $(WIN_CARGO_FLAGS)
	mkdir -p $(WIN_OUT)
	cp -f $(WIN_TARGET_DIR)/$(WIN_TARGET)/release/rescue.dll $(WIN_OUT)/
	x86_64-w64-mingw32-strip $(WIN_OUT)/rescue.dll
	cp -f $(WIN_TARGET_DIR)/$(WIN_TARGET)/release/librescue.dll.a $(WIN_OUT)/
	cp -f include/rescue.h bindings/cpp/rescue.hpp $(WIN_OUT)/
	tests/windows/exports.sh def include/rescue.h > $(WIN_OUT)/rescue.def
	$(WIN_DLLTOOL) -m i386:x86-64 -d $(WIN_OUT)/rescue.def -D rescue.dll -l $(WIN_OUT)/rescue.lib
	tests/windows/exports.sh check include/rescue.h $(WIN_OUT)/rescue.dll

# The test programs sit beside rescue.dll and the test-only ProcessPrng shim
# (tests/windows/processprng.c: Wine 8 lacks bcryptprimitives.dll), where Windows looks first.
WIN_C_WARN := -std=c11 -Wall -Wextra -Werror -pedantic
$(WIN_TEST_BIN)/bcryptprimitives.dll: tests/windows/processprng.c | windows-deps
	mkdir -p $(WIN_TEST_BIN)
	$(WIN_CC) $(WIN_C_WARN) -O2 -shared -s -o $@ $< -ladvapi32

windows-test: windows $(SANDBOX) $(WIN_TEST_BIN)/bcryptprimitives.dll
	cp -f $(WIN_OUT)/rescue.dll $(WIN_TEST_BIN)/
	$(WIN_CC) $(WIN_C_WARN) -g -I$(WIN_OUT) -o $(WIN_TEST_BIN)/test_rescue.exe $(C_TEST_SRC) \
	    -L$(WIN_OUT) -lrescue -lws2_32
	$(WIN_CC) $(WIN_C_WARN) -I$(WIN_OUT) -o $(WIN_TEST_BIN)/lens_pin.exe examples/lens_pin.c \
	    -L$(WIN_OUT) -lrescue
	@# The same example linked through the MSVC-style import library (by MinGW's linker).
	$(WIN_CC) $(WIN_C_WARN) -I$(WIN_OUT) -o $(WIN_TEST_BIN)/lens_pin_lib.exe examples/lens_pin.c \
	    $(WIN_OUT)/rescue.lib
	$(WIN_CXX) -std=c++17 $(C_WARN) -g -I$(WIN_OUT) -o $(WIN_TEST_BIN)/test_rescue_cpp.exe \
	    tests/cpp/test_rescue.cpp -static $(WIN_OUT)/librescue.dll.a
	tests/c/run.sh $(SANDBOX) tests/windows/suite.sh $(WIN_TEST_BIN)

# Every test of the core crate that is portable (doctests included), each test binary run by
# `wine`, which finds the shim through WINEPATH (doctests run from temporary directories).
# Its own debug std build makes it slow the first time (README).
windows-cargo-test: windows-deps $(WIN_TEST_BIN)/bcryptprimitives.dll
	WINEPATH="$$(winepath -w $(abspath $(WIN_TEST_BIN)))" \
	    $(WIN_CARGO) test -p rescue $(WIN_CARGO_FLAGS) --no-fail-fast

windows-clean:
	rm -rf $(WIN_OUT) $(WIN_TEST_BIN) $(WIN_TARGET_DIR)

TEST_TARGETS += windows-test
