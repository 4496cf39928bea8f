<?php
// The PHP contenders: the FFI binding (Rescue\Client), ext-curl and ext-soap's SoapClient.
//
//   php contenders.php CONTENDER seq|cold|rss BASE_URL [N]
//
// The same workload and output as the C driver (bench/c/harness.h). PHP has no threads
// (without ZTS and ext-parallel), so there is no threaded run. RESCUE_LIBRARY names
// librescue.so for the FFI binding, BENCH_TRANSPORT its transport ('soap11'…; default POST).

// The sandbox allows ten logins per account in three minutes and every run is a fresh
// process that logs in once: bench/run.py gives each run its own account.
define('EMAIL', getenv('BENCH_EMAIL') ?: 'tech@sandbox.test');
const PASSWORD = 'sandbox';
const WARMUP = 50;

function parsePin(string $body): string
{
    // What a hand-written client does with `OK PINCODE:123456`: check, find, cut.
    $at = strpos($body, 'PINCODE:');
    $pin = $at === false ? '' : substr(ltrim(substr($body, $at + 8)), 0, 6);
    if (strncmp($body, 'OK', 2) !== 0 || strlen($pin) !== 6 || !ctype_digit($pin)) {
        throw new RuntimeException("unexpected answer " . var_export($body, true));
    }
    return $pin;
}

function rescueContender(string $base): array
{
    require __DIR__ . '/../../bindings/php/rescue.php';
    $options = ['library' => getenv('RESCUE_LIBRARY')];
    if ((string) getenv('BENCH_TRANSPORT') !== '') {
        $options['transport'] = getenv('BENCH_TRANSPORT');
    }
    $client = new Rescue\Client($base, $options);
    $client->login(EMAIL, PASSWORD);
    $version = FFI::cdef('const char *rescue_version(void);', getenv('RESCUE_LIBRARY'))->rescue_version();
    return [$version, function () use ($client): string {
        return $client->requestLensPin(['cfield0' => 'bench']);
    }];
}

function curlContender(string $base): array
{
    $curl = curl_init();
    curl_setopt_array($curl, [
        CURLOPT_COOKIEFILE => '',
        CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => 30,
        CURLOPT_USERAGENT => 'bench-php-curl',
    ]);
    $post = function (string $page, array $form) use ($curl, $base): string {
        curl_setopt($curl, CURLOPT_URL, $base . $page);
        curl_setopt($curl, CURLOPT_POSTFIELDS, http_build_query($form));
        $body = curl_exec($curl);
        if ($body === false || curl_getinfo($curl, CURLINFO_RESPONSE_CODE) !== 200) {
            throw new RuntimeException('curl: ' . curl_error($curl));
        }
        return $body;
    };
    if ($post('login.aspx', ['email' => EMAIL, 'pwd' => PASSWORD]) !== 'OK') {
        throw new RuntimeException('login failed');
    }
    return [curl_version()['version'], function () use ($post): string {
        return parsePin($post('requestLensPINCode.aspx', ['cfield0' => 'bench']));
    }];
}

// What the vendor's PHP users run today: the "PHP with SOAP" sample's SoapClient on the
// WSDL, with the one fix it needs ('bNoTechConsole' => false, bindings/php/README.md) and
// the PIN read as PHP 8 answers it (an object; an int, padded back to six digits).
function soapContender(string $base): array
{
    if (!extension_loaded('soap')) {
        throw new RuntimeException('ext-soap is missing (Debian php-soap)');
    }
    ini_set('soap.wsdl_cache_enabled', '0'); // every run is a new port: nothing to reuse
    $soapclient = new SoapClient($base . 'API.asmx?wsdl', ['connection_timeout' => 30]);
    $login = $soapclient->login(['sEmail' => EMAIL, 'sPassword' => PASSWORD]);
    if ($login->loginResult !== 'login_OK') {
        throw new RuntimeException('login answered ' . $login->loginResult);
    }
    $params = ['sCField0' => 'bench', 'bNoTechConsole' => false];
    return [phpversion('soap'), function () use ($soapclient, $params): string {
        $answer = $soapclient->requestLensPINCode($params);
        if ($answer->requestLensPINCodeResult !== 'requestPINCode_OK') {
            throw new RuntimeException('answered ' . $answer->requestLensPINCodeResult);
        }
        return sprintf('%06d', $answer->iPINCode);
    }];
}

function rssKb(): int
{
    $statm = explode(' ', file_get_contents('/proc/self/statm'));
    return intdiv((int)$statm[1] * 4096, 1024);
}

// VmHWM: ru_maxrss of a fork/exec'ed child starts at its parent's (the harness's).
function peakRssKb(): int
{
    preg_match('/^VmHWM:\s+(\d+) kB/m', file_get_contents('/proc/self/status'), $m);
    return (int)($m[1] ?? -1);
}

function seconds(array $r, string $which): float
{
    return $r["ru_{$which}.tv_sec"] + $r["ru_{$which}.tv_usec"] / 1e6;
}

[, $name, $mode, $base] = $argv;
$n = (int)($argv[4] ?? 1);
$open = ['php-rescue' => 'rescueContender', 'php-curl' => 'curlContender', 'php-soap' => 'soapContender'];
if (!isset($open[$name])) {
    fwrite(STDERR, "unknown contender {$name}\n");
    exit(2);
}
[$version, $pin] = $open[$name]($base);
echo 'PIN ', $pin(), "\n";
flush();
if ($mode === 'cold') {
    $n = 0;
} else {
    for ($i = 0; $i < WARMUP; $i++) {
        $pin();
    }
}
$samples = [];
$every = max(intdiv($n, 20), 1);
$r0 = getrusage();
$t0 = hrtime(true);
for ($i = 0; $i < $n; $i++) {
    if ($mode === 'rss' && $i % $every === 0) {
        $samples[] = [$i, rssKb()];
    }
    if (strlen($pin()) !== 6) {
        throw new RuntimeException('bad PIN');
    }
}
$wall = (hrtime(true) - $t0) / 1e9;
$r1 = getrusage();
if ($mode === 'rss') {
    $samples[] = [$n, rssKb()];
}
echo json_encode([
    'contender' => $name, 'mode' => $mode, 'n' => max($n, 1), 'threads' => 1,
    'wall_s' => $wall, 'user_s' => seconds($r1, 'utime') - seconds($r0, 'utime'),
    'sys_s' => seconds($r1, 'stime') - seconds($r0, 'stime'),
    'maxrss_kb' => peakRssKb(), 'version' => $version, 'rss_samples' => $samples,
]), "\n";
