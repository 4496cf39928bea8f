# Release artefacts (README, "Versions and releases").
#   make dist        every artefact into dist/ plus SHA256SUMS, then dist-check
#                    (WINDOWS=0 leaves out the Windows zip; the .nupkg comes when a
#                    `dotnet-pack` target exists)
#   make dist-check  checks dist/ as it is: SHA256SUMS, the licences in each artefact, and
#                    each artefact installed into a fresh prefix/venv/project getting one PIN
#                    from the sandbox (tests/dist/smoke.sh; the sdist is built from source)
#   make dist-test   part of `make test`: manifests, versions, rescue_version(), soname,
#                    licences and the crate's file list (tests/dist/check.py); the C tarball
#                    and the Composer zip built into build/dist-light/ and smoke-installed
#
# dist-test leaves out what costs minutes (the crate's verify build, the release wheel, the
# sdist built from source, the Windows zip under Wine): `make dist` covers those.

.PHONY: dist dist-check dist-test dist-deps dist-c-tarball dist-composer dist-crate \
    dist-python dist-windows dist-dotnet dist-clean

DIST := dist
DIST_LIGHT := $(BUILD)/dist-light
DIST_VENV := $(BUILD)/dist/venv
DIST_PY := $(DIST_VENV)/bin/python
WINDOWS ?= 1
# The .NET lane (mk/dotnet.mk) has `dotnet-pack`; without it there is no .nupkg.
HAVE_DOTNET_PACK := $(shell grep -ls '^dotnet-pack:' mk/*.mk)
C_TARBALL_NAME := librescue-$(RESCUE_VERSION)-linux-x86_64
WIN_ZIP_NAME := librescue-$(RESCUE_VERSION)-windows-x86_64
COMPOSER_ZIP := librescue-rescue-$(RESCUE_VERSION).zip
export COMPOSER_ALLOW_SUPERUSER := 1

# Composer (Debian's) for `composer validate` and the install smoke, zip for the zips;
# each a no-op when present.
dist-deps: c-deps php-deps
	@command -v composer >/dev/null || (apt-get update && apt-get install -y composer)
	@# Composer's artifact repository reads the zip with PHP's zip extension.
	@$(PHP) -m | grep -qi '^zip$$' || (apt-get update && apt-get install -y php-zip)
	@command -v zip >/dev/null || (apt-get update && apt-get install -y zip unzip)

# The tools venv: maturin (wheel, sdist) and twine (PyPI's metadata check).
$(DIST_VENV)/.installed: mk/dist.mk
	test -x $(DIST_PY) || $(PYTHON) -m venv $(DIST_VENV)
	$(DIST_PY) -m pip install --quiet --upgrade pip
	$(DIST_PY) -m pip install --quiet 'maturin>=1.9,<2' 'twine>=6.1'
	touch $@

# DIR=...: the C tarball from build/lib and build/include (`make lib`): relocatable, its
# rescue.pc finds the prefix from where it lies (${pcfiledir}).
dist-c-tarball: lib
	@test -n "$(DIR)" || { echo "dist-c-tarball: DIR= missing" >&2; exit 1; }
	rm -rf $(BUILD)/stage/$(C_TARBALL_NAME) && mkdir -p $(BUILD)/stage/$(C_TARBALL_NAME)/lib/pkgconfig \
	    $(BUILD)/stage/$(C_TARBALL_NAME)/include $(DIR)
	cd $(BUILD)/stage/$(C_TARBALL_NAME) && \
	    cp -a $(abspath $(LIB_DIR))/librescue.so.$(RESCUE_VERSION) $(abspath $(LIB_DIR))/librescue.a lib/ && \
	    ln -s librescue.so.$(RESCUE_VERSION) lib/librescue.so.$(RESCUE_MAJOR) && \
	    ln -s librescue.so.$(RESCUE_MAJOR) lib/librescue.so && \
	    cp $(abspath $(INC_DIR))/rescue.h $(abspath $(INC_DIR))/rescue_ffi.h $(abspath $(INC_DIR))/rescue.hpp include/ && \
	    cp $(CURDIR)/bindings/c/README.md $(CURDIR)/CHANGELOG.md $(CURDIR)/LICENSE-MIT $(CURDIR)/LICENSE-APACHE .
	sh bindings/c/rescue.pc.sh '$${pcfiledir}/../..' "$(RESCUE_VERSION)" \
	    "$$(cat $(C_STATIC_TARGET)/native-static-libs)" > $(BUILD)/stage/$(C_TARBALL_NAME)/lib/pkgconfig/rescue.pc
	tar -C $(BUILD)/stage --owner=0 --group=0 --numeric-owner --sort=name \
	    -czf $(DIR)/$(C_TARBALL_NAME).tar.gz $(C_TARBALL_NAME)

# DIR=...: the Composer package as a zip (what an "artifact" repository installs):
# bindings/php with the licences and the changelog at its root.
dist-composer: dist-deps
	@test -n "$(DIR)" || { echo "dist-composer: DIR= missing" >&2; exit 1; }
	cd bindings/php && composer validate --no-interaction --no-check-publish
	rm -rf $(BUILD)/stage/composer && mkdir -p $(BUILD)/stage/composer $(DIR)
	cp -a bindings/php/. $(BUILD)/stage/composer/
	cp CHANGELOG.md LICENSE-MIT LICENSE-APACHE $(BUILD)/stage/composer/
	rm -f $(DIR)/$(COMPOSER_ZIP)
	cd $(BUILD)/stage/composer && zip -qrX $(abspath $(DIR))/$(COMPOSER_ZIP) .

# The crate as `cargo publish` would upload it (verified: it builds from the package alone).
# The path dev-dependencies (rescue-sandbox, rescue itself with `fuzzing`) have no version,
# so cargo leaves them out of the published manifest; the tests that use them are not in the
# package (cargo says "ignoring test ..." for each). `publish --dry-run` needs the crates.io
# index (it fails with --offline), which every machine of ours reaches.
dist-crate:
	mkdir -p $(DIST)
	$(CARGO) package -p rescue --allow-dirty
	$(CARGO) publish -p rescue --dry-run --allow-dirty
	cp target/package/rescue-$(RESCUE_VERSION).crate $(DIST)/

dist-python: $(DIST_VENV)/.installed
	mkdir -p $(DIST)
	rm -f $(DIST)/librescue-$(RESCUE_VERSION)*.whl $(DIST)/librescue-$(RESCUE_VERSION).tar.gz
	PATH="$(abspath $(DIST_VENV))/bin:$$PATH" PYO3_PYTHON=$(abspath $(DIST_PY)) \
	    $(DIST_VENV)/bin/maturin build --release --quiet --out $(DIST)
	$(DIST_VENV)/bin/maturin sdist --out $(DIST)
	$(DIST_VENV)/bin/twine check --strict $(DIST)/librescue-$(RESCUE_VERSION)*.whl \
	    $(DIST)/librescue-$(RESCUE_VERSION).tar.gz

dist-windows: windows
	rm -rf $(BUILD)/stage/$(WIN_ZIP_NAME) && mkdir -p $(BUILD)/stage/$(WIN_ZIP_NAME) $(DIST)
	cp $(WIN_OUT)/rescue.dll $(WIN_OUT)/librescue.dll.a $(WIN_OUT)/rescue.lib $(WIN_OUT)/rescue.def \
	    $(WIN_OUT)/rescue.h $(WIN_OUT)/rescue.hpp bindings/c/README.md CHANGELOG.md \
	    LICENSE-MIT LICENSE-APACHE $(BUILD)/stage/$(WIN_ZIP_NAME)/
	rm -f $(DIST)/$(WIN_ZIP_NAME).zip
	cd $(BUILD)/stage && zip -qrX $(abspath $(DIST))/$(WIN_ZIP_NAME).zip $(WIN_ZIP_NAME)

# The .NET lane's package (mk/dotnet.mk: build/dotnet/Librescue.VERSION.nupkg).
dist-dotnet:
	$(if $(HAVE_DOTNET_PACK),$(MAKE) dotnet-pack,@echo "dist: no dotnet-pack target: no .nupkg")
	$(if $(HAVE_DOTNET_PACK),cp $(BUILD)/dotnet/Librescue.$(RESCUE_VERSION).nupkg $(DIST)/)

dist: dist-deps
	rm -rf $(DIST) && mkdir -p $(DIST)
	$(MAKE) dist-c-tarball DIR=$(DIST)
	$(MAKE) dist-composer DIR=$(DIST)
	$(MAKE) dist-crate
	$(MAKE) dist-python
	$(if $(filter 1,$(WINDOWS)),$(MAKE) dist-windows)
	$(MAKE) dist-dotnet
	cd $(DIST) && sha256sum $$(ls | grep -v '^SHA256SUMS$$') > SHA256SUMS
	@cat $(DIST)/SHA256SUMS
	$(MAKE) dist-check

# Expected artefacts: every kind `make dist` made here must be there.
DIST_EXPECT = crate wheel sdist c composer $(if $(filter 1,$(WINDOWS)),windows) \
    $(if $(HAVE_DOTNET_PACK),nupkg)
dist-check: dist-deps $(SANDBOX) $(DIST_VENV)/.installed \
    $(if $(filter 1,$(WINDOWS)),windows-deps $(BUILD)/tests/windows/bcryptprimitives.dll)
	cd $(DIST) && sha256sum --check --strict SHA256SUMS
	$(PYTHON) tests/dist/check.py --artefacts $(DIST) --expect $(DIST_EXPECT)
	DIST_SMOKE_PY=$(abspath $(DIST_PY)) WINDOWS=$(WINDOWS) \
	    WIN_CC=$(WIN_CC) WIN_SHIM=$(abspath $(WIN_TEST_BIN))/bcryptprimitives.dll \
	    WINEPREFIX=$(abspath $(WIN_TARGET_DIR)/wine) WINEDEBUG=-all \
	    WINEDLLOVERRIDES='winemenubuilder.exe=d;mscoree,mshtml=' \
	    tests/c/run.sh $(SANDBOX) tests/dist/smoke.sh $(abspath $(DIST))

# In `make test`: seconds once `lib`, the sandbox and the Python venv are built.
dist-test: dist-deps lib $(SANDBOX) python-install
	$(PYTHON) tests/dist/check.py --python $(VENV_PY)
	rm -rf $(DIST_LIGHT)
	$(MAKE) dist-c-tarball DIR=$(DIST_LIGHT)
	$(MAKE) dist-composer DIR=$(DIST_LIGHT)
	$(PYTHON) tests/dist/check.py --artefacts $(DIST_LIGHT) --expect c composer
	tests/c/run.sh $(SANDBOX) tests/dist/smoke.sh $(abspath $(DIST_LIGHT))

dist-clean:
	rm -rf $(DIST) $(DIST_LIGHT) $(BUILD)/stage $(BUILD)/dist

TEST_TARGETS += dist-test
