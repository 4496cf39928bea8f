<?php

// The PHP suites' tiny harness (tests/php/run.php, tests/php/soap_sample.php): warnings are
// errors, `test()` runs one named test and counts what its `check()`s say; each suite prints
// its own closing "…: N passed, M failed" line from $passed and $failed.

declare(strict_types=1);

error_reporting(E_ALL);
set_error_handler(static function (int $severity, string $message, string $file, int $line): bool {
    throw new ErrorException($message, 0, $severity, $file, $line);
});

$passed = 0;
$failed = 0;
$currentTest = '';

function check(bool $ok, string $what): void
{
    global $passed, $failed, $currentTest;
    if ($ok) {
        $passed++;
        return;
    }
    $failed++;
    echo "FAIL [{$currentTest}] {$what}\n";
}

function same($expected, $actual, string $what): void
{
    check($expected === $actual, $what . ': expected ' . var_export($expected, true) . ', got ' . var_export($actual, true));
}

function test(string $name, callable $body): void
{
    global $failed, $currentTest;
    $currentTest = $name;
    try {
        $body();
    } catch (Throwable $e) {
        $failed++;
        echo "FAIL [{$name}] uncaught " . get_class($e) . ': ' . $e->getMessage()
            . ' at ' . basename($e->getFile()) . ':' . $e->getLine() . "\n";
    }
}
