# The C library (shared + static), its headers and pkg-config file; C and C++ tests.
#   make            build/lib/librescue.so.X.Y.Z (+ symlinks), librescue.a, rescue.pc,
#                   build/include/rescue.h, rescue_ffi.h, rescue.hpp
#   make install    PREFIX=/usr/local DESTDIR= (then ldconfig, or the one line to type)
#   make uninstall  PREFIX=/usr/local DESTDIR= removes what install put there
#   make c-test     C suite (plain, valgrind, ASan/UBSan), example, install + pkg-config
#   make cpp-test   C++ wrapper suite
#   make header     regenerate include/rescue.h and include/rescue_ffi.h

.PHONY: lib install uninstall header c-test cpp-test c-deps c-clean

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
CXX ?= c++

RESCUE_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
RESCUE_MAJOR := $(firstword $(subst ., ,$(RESCUE_VERSION)))
BUILD := build
LIB_DIR := $(BUILD)/lib
INC_DIR := $(BUILD)/include
# Separate target dirs: the cdylib and the LTO staticlib never evict each other or the
# workspace's own target/release.
C_SHARED_TARGET := target/c
C_STATIC_TARGET := target/c-static
SANDBOX := target/debug/rescue-sandbox

C_WARN := -Wall -Wextra -Werror -pedantic
C_TEST_SRC := $(wildcard tests/c/*.c)

lib:
	$(CARGO) rustc --release --lib --crate-type cdylib --target-dir $(C_SHARED_TARGET)
	@# native-static-libs is printed only when rustc runs; keep it next to the archive,
	@# and rebuild the crate once if it is missing.
	@mkdir -p $(C_STATIC_TARGET)
	@if [ ! -s $(C_STATIC_TARGET)/native-static-libs ]; then \
	    rm -f $(C_STATIC_TARGET)/release/.fingerprint/rescue-*/*; fi
	$(CARGO) rustc --release --lib --crate-type staticlib --target-dir $(C_STATIC_TARGET) \
	    -- --print native-static-libs > $(C_STATIC_TARGET)/build.log 2>&1 \
	    || { cat $(C_STATIC_TARGET)/build.log; exit 1; }
	@sed -n 's/.*native-static-libs: //p' $(C_STATIC_TARGET)/build.log > $(C_STATIC_TARGET)/native.new
	@if [ -s $(C_STATIC_TARGET)/native.new ]; then \
	    mv $(C_STATIC_TARGET)/native.new $(C_STATIC_TARGET)/native-static-libs; fi
	mkdir -p $(LIB_DIR) $(INC_DIR)
	@# Copy, then rename into place: a process that has the library mapped (a test, a
	@# benchmark) keeps its old file instead of crashing on one rewritten under it.
	cp -f $(C_SHARED_TARGET)/release/librescue.so $(LIB_DIR)/.librescue.so.new
	mv -f $(LIB_DIR)/.librescue.so.new $(LIB_DIR)/librescue.so.$(RESCUE_VERSION)
	ln -sf librescue.so.$(RESCUE_VERSION) $(LIB_DIR)/librescue.so.$(RESCUE_MAJOR)
	ln -sf librescue.so.$(RESCUE_MAJOR) $(LIB_DIR)/librescue.so
	cp -f $(C_STATIC_TARGET)/release/librescue.a $(LIB_DIR)/librescue.a
	cp -f include/rescue.h include/rescue_ffi.h bindings/cpp/rescue.hpp $(INC_DIR)/
	sh bindings/c/rescue.pc.sh "$(PREFIX)" "$(RESCUE_VERSION)" \
	    "$$(cat $(C_STATIC_TARGET)/native-static-libs)" > $(LIB_DIR)/rescue.pc

# What `make install` puts in $(DESTDIR)$(PREFIX); `make uninstall` removes the same list.
INSTALL_LIBDIR = $(DESTDIR)$(PREFIX)/lib
INSTALL_INCDIR = $(DESTDIR)$(PREFIX)/include
INSTALLED = $(addprefix $(INSTALL_LIBDIR)/,librescue.so.$(RESCUE_VERSION) \
	librescue.so.$(RESCUE_MAJOR) librescue.so librescue.a pkgconfig/rescue.pc) \
	$(addprefix $(INSTALL_INCDIR)/,rescue.h rescue_ffi.h rescue.hpp)
# The directories an install had to create, one a line, so that uninstall removes those
# (when empty) and no other.
INSTALLED_DIRS := $(BUILD)/installed-dirs
LDCONFIG ?= ldconfig

# Under sudo, root's PATH often lacks cargo (rustup installs it per user): install then
# takes what `make` built.
INSTALL_FROM := $(if $(shell command -v $(CARGO) 2>/dev/null),lib,$(LIB_DIR)/librescue.so.$(RESCUE_VERSION))

install: $(INSTALL_FROM)
	@mkdir -p $(BUILD)
	@sh bindings/c/install-dirs.sh record $(INSTALLED_DIRS) $(INSTALL_LIBDIR)/pkgconfig $(INSTALL_INCDIR)
	install -d $(INSTALL_LIBDIR)/pkgconfig $(INSTALL_INCDIR)
	install -m 755 $(LIB_DIR)/librescue.so.$(RESCUE_VERSION) $(INSTALL_LIBDIR)/
	ln -sf librescue.so.$(RESCUE_VERSION) $(INSTALL_LIBDIR)/librescue.so.$(RESCUE_MAJOR)
	ln -sf librescue.so.$(RESCUE_MAJOR) $(INSTALL_LIBDIR)/librescue.so
	install -m 644 $(LIB_DIR)/librescue.a $(INSTALL_LIBDIR)/
	install -m 644 $(INC_DIR)/rescue.h $(INC_DIR)/rescue_ffi.h $(INC_DIR)/rescue.hpp \
	    $(INSTALL_INCDIR)/
	sh bindings/c/rescue.pc.sh "$(PREFIX)" "$(RESCUE_VERSION)" \
	    "$$(cat $(C_STATIC_TARGET)/native-static-libs)" > $(INSTALL_LIBDIR)/pkgconfig/rescue.pc
	@sh bindings/c/loader.sh install "$(PREFIX)" "$(DESTDIR)" "$(LDCONFIG)"

# No build needed. Also removes the file librescue.so.MAJOR points to, should an older
# version be installed there.
uninstall:
	@old=$$(readlink $(INSTALL_LIBDIR)/librescue.so.$(RESCUE_MAJOR) 2>/dev/null || true); \
	case "$$old" in librescue.so.$(RESCUE_VERSION)) ;; librescue.so.$(RESCUE_MAJOR).*) \
	    echo "rm -f $(INSTALL_LIBDIR)/$$old"; rm -f "$(INSTALL_LIBDIR)/$$old";; esac
	rm -f $(INSTALLED)
	@sh bindings/c/install-dirs.sh remove $(INSTALLED_DIRS) $(DESTDIR)$(PREFIX)
	@sh bindings/c/loader.sh uninstall "$(PREFIX)" "$(DESTDIR)" "$(LDCONFIG)"

$(LIB_DIR)/librescue.so.$(RESCUE_VERSION):
	@echo "make: no $@ and no $(CARGO) in PATH: run make first (as yourself), then make install" >&2
	@exit 1

header:
	RESCUE_UPDATE_HEADER=1 $(CARGO) build --lib

# What a fresh machine of this kind may lack; each a no-op when present.
c-deps:
	@command -v pkg-config >/dev/null || (apt-get update && apt-get install -y pkg-config)
	@command -v valgrind >/dev/null || (apt-get update && apt-get install -y valgrind)
	@command -v $(CC) >/dev/null || (apt-get update && apt-get install -y gcc)
	@command -v $(CXX) >/dev/null || (apt-get update && apt-get install -y g++)

$(SANDBOX): FORCE
	$(CARGO) build -p rescue-sandbox
FORCE:

C_TEST_BIN := $(BUILD)/tests/c
c-test: c-deps lib $(SANDBOX)
	mkdir -p $(C_TEST_BIN)
	$(CC) -std=c11 $(C_WARN) -g -Iinclude -o $(C_TEST_BIN)/test_rescue $(C_TEST_SRC) \
	    -L$(LIB_DIR) -Wl,-rpath,$(abspath $(LIB_DIR)) -lrescue -lpthread
	$(CC) -std=c11 $(C_WARN) -g -fsanitize=address,undefined -fno-omit-frame-pointer -Iinclude \
	    -o $(C_TEST_BIN)/test_rescue_asan $(C_TEST_SRC) $(LIB_DIR)/librescue.a \
	    $$(cat $(C_STATIC_TARGET)/native-static-libs) -lpthread
	$(CC) -std=c11 $(C_WARN) -Iinclude -o $(C_TEST_BIN)/lens_pin examples/lens_pin.c \
	    -L$(LIB_DIR) -Wl,-rpath,$(abspath $(LIB_DIR)) -lrescue
	tests/c/run.sh $(SANDBOX) tests/c/suite.sh $(C_TEST_BIN)

CPP_TEST_BIN := $(BUILD)/tests/cpp
cpp-test: c-deps lib $(SANDBOX)
	mkdir -p $(CPP_TEST_BIN)
	$(CXX) -std=c++17 $(C_WARN) -g -Iinclude -Ibindings/cpp -o $(CPP_TEST_BIN)/test_rescue \
	    tests/cpp/test_rescue.cpp -L$(LIB_DIR) -Wl,-rpath,$(abspath $(LIB_DIR)) -lrescue -lpthread
	tests/c/run.sh $(SANDBOX) $(CPP_TEST_BIN)/test_rescue

c-clean:
	rm -rf $(BUILD) $(C_SHARED_TARGET) $(C_STATIC_TARGET)

TEST_TARGETS += c-test cpp-test
