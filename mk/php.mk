# The PHP package (bindings/php) and its suite against the sandbox.
#   make php-test    php-cli and php-soap (installed on a fresh Debian machine), the C
#                    library (`lib`, mk/c.mk) and the sandbox, then tests/php/run.php and
#                    tests/php/soap_sample.php (the vendor's SoapClient sample, no librescue)

.PHONY: php-test php-deps php-sandbox

PHP ?= php

# Debian's php-cli ships ext-ffi (enabled by /etc/php/*/cli/conf.d/20-ffi.ini).
# php-soap is PHP's own SoapClient, for the vendor's "PHP with SOAP" sample.
php-deps:
	@command -v $(PHP) >/dev/null || (apt-get update && apt-get install -y php-cli)
	@$(PHP) -m | grep -qi '^ffi$$' || { echo "php-test: $(PHP) lacks ext-ffi (php -m)" >&2; exit 1; }
	@$(PHP) -m | grep -qi '^soap$$' || (apt-get update && apt-get install -y php-soap)

php-sandbox:
	$(CARGO) build -p rescue-sandbox

# The header is found beside the library (build/include/rescue_ffi.h), as after an install.
php-test: php-deps lib php-sandbox
	RESCUE_LIBRARY=$(abspath build/lib/librescue.so) \
	RESCUE_SANDBOX=$(abspath target/debug/rescue-sandbox) \
	    $(PHP) -d ffi.enable=1 tests/php/run.php
	RESCUE_SANDBOX=$(abspath target/debug/rescue-sandbox) $(PHP) tests/php/soap_sample.php

TEST_TARGETS += php-test
