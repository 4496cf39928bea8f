<?php

// Run by tests/install/run.sh after `make install`: the PHP package as the README has a user
// load it — no "library" option, no RESCUE_LIBRARY — must find the installed librescue
// through the dynamic loader and request a Lens PIN from the sandbox.
//
//   php tests/install/load.php BASE_URL LIBDIR      (the CLI allows FFI by default)
//
// Prints the PIN and the library file it loaded; exits 1 when anything differs.

declare(strict_types=1);

error_reporting(E_ALL);

[$script, $baseUrl, $libdir] = $argv + [null, null, null];
if ($baseUrl === null || $libdir === null) {
    fwrite(STDERR, "usage: load.php BASE_URL LIBDIR\n");
    exit(2);
}

require dirname(__DIR__, 2) . '/bindings/php/rescue.php';

function fail(string $what): void
{
    fwrite(STDERR, "load.php: {$what}\n");
    exit(1);
}

if (getenv('RESCUE_LIBRARY') !== false) {
    fail('RESCUE_LIBRARY is set; this test is about the lookup without it');
}

try {
    $client = new Rescue\Client($baseUrl);
    $client->login('tech@sandbox.test', 'sandbox');
    $pin = $client->requestLensPin(['cfield0' => 'install test']);
    $client->logout();
} catch (Throwable $e) {
    fail(get_class($e) . ': ' . $e->getMessage());
}
if (preg_match('/\A[0-9]{6}\z/', $pin) !== 1) {
    fail('not a PIN: ' . var_export($pin, true));
}

// Which librescue the loader mapped into this process.
$mapped = [];
foreach (file('/proc/self/maps', FILE_IGNORE_NEW_LINES) ?: [] as $line) {
    if (preg_match('#\s(/\S*/librescue\.so[^/\s]*)$#', $line, $m) === 1) {
        $mapped[$m[1]] = true;
    }
}
$mapped = array_keys($mapped);
$expected = realpath($libdir);
if (count($mapped) !== 1 || $expected === false || dirname((string) realpath($mapped[0])) !== $expected) {
    fail('expected one librescue from ' . $libdir . ', mapped: ' . (implode(', ', $mapped) ?: 'none'));
}
echo "PIN {$pin} from {$mapped[0]}\n";
