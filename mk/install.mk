# `make install` and `make uninstall` as a user types them (tests/install/run.sh): into a
# prefix registered with the loader, a pkg-config program and PHP's default lookup run
# against the sandbox, and nothing left behind.
#   make install-test

.PHONY: install-test

install-test: c-deps php-deps lib $(SANDBOX)
	MAKE="$(MAKE)" PHP="$(PHP)" tests/c/run.sh $(SANDBOX) tests/install/run.sh

TEST_TARGETS += install-test
