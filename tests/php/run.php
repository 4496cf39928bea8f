<?php

// The PHP suite: Rescue\Client against the sandbox over real HTTP.
//
//   php -d ffi.enable=1 tests/php/run.php     (or: make php-test)
//
// RESCUE_LIBRARY (default build/lib/librescue.so), RESCUE_HEADER (default: the package's
// lookup, i.e. include/rescue_ffi.h) and RESCUE_SANDBOX (default
// target/debug/rescue-sandbox) choose what is tested. Prints each failure and a last line
// "php: N passed, M failed"; exits 1 on any failure.

declare(strict_types=1);

use Rescue\Client;
use Rescue\Library;
use Rescue\RescueException;
use Rescue\Status;

require __DIR__ . '/harness.php';

$root = dirname(__DIR__, 2);
require $root . '/bindings/php/rescue.php';

$library = getenv('RESCUE_LIBRARY') ?: $root . '/build/lib/librescue.so';
$sandboxBinary = getenv('RESCUE_SANDBOX') ?: $root . '/target/debug/rescue-sandbox';

const PASSWORD = 'sandbox';
const AUTHCODES = [
    'tech' => 'ytzw7h07nu9o4oxqbf49dpayuqvdnmzd',
    'offline' => 'hol3me96ecp5ojnz32wxmkwu8e74dpoh',
    'admin' => 'oc3ka44px5lvk72k2yrlrq6p87sldyyt',
    'nolens' => 'mj3lxvbbdkvry3fvex5tb5buy72o0zr7',
    'nopins' => 'ma51fmfe21sj39k99k4t0pst4zn91j3z',
    'deleted' => 'sabazl9xjms8m4aujkhyqvwarl9w2ijg',
    'disabled' => '8tdidic9u8zhv6uv4il90jp97w1vn8b4',
    'error' => 'ehfx9wfix2hhtqjscgdvqklahfzy8hpo',
];

// ===== tiny harness: tests/php/harness.php =====

/** Runs `$call`, which must throw RescueException `$status`; returns it. */
function expectStatus(string $status, int $code, callable $call, string $what): ?RescueException
{
    try {
        $call();
    } catch (RescueException $e) {
        same($status, $e->getStatus(), "{$what}: status");
        same($code, $e->getCode(), "{$what}: code");
        check($e->getMessage() !== '', "{$what}: has a message");
        return $e;
    } catch (Throwable $e) {
        check(false, "{$what}: expected {$status}, got " . get_class($e) . ': ' . $e->getMessage());
        return null;
    }
    check(false, "{$what}: expected {$status}, but it succeeded");
    return null;
}

function expectThrows(string $class, callable $call, string $what): void
{
    try {
        $call();
    } catch (Throwable $e) {
        check($e instanceof $class, "{$what}: expected {$class}, got " . get_class($e) . ': ' . $e->getMessage());
        return;
    }
    check(false, "{$what}: expected {$class}, but nothing was thrown");
}

function isPin($pin): bool
{
    return is_string($pin) && preg_match('/\A[0-9]{6}\z/', $pin) === 1;
}

/** null when the record has `$name` as null (not sent), else what it has. */
function notSent(?array $record, string $name)
{
    return $record !== null && array_key_exists($name, $record) ? $record[$name] : 'missing';
}

function rssKib(): int
{
    $status = (string) file_get_contents('/proc/self/status');
    return preg_match('/^VmRSS:\s+(\d+) kB/m', $status, $m) === 1 ? (int) $m[1] : -1;
}

// ===== the sandbox, a subprocess =====

final class Sandbox
{
    /** @var string e.g. http://127.0.0.1:PORT/API/ */
    public $url;
    /** @var string http://127.0.0.1:PORT/ */
    public $origin;
    /** @var resource|null */
    private $process;
    /** @var string */
    private $log;

    /** @var list<Sandbox> stopped at shutdown whatever happens */
    private static $running = [];

    public static function start(string $binary, array $args = []): self
    {
        if (!is_executable($binary)) {
            throw new RuntimeException("no sandbox at {$binary}: run `cargo build -p rescue-sandbox`");
        }
        $sandbox = new self();
        $sandbox->log = (string) tempnam(sys_get_temp_dir(), 'rescue-sandbox-log');
        $process = proc_open(
            array_merge([$binary], $args),
            [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['file', $sandbox->log, 'w']],
            $pipes
        );
        if (!is_resource($process)) {
            throw new RuntimeException("cannot start {$binary}");
        }
        $sandbox->process = $process;
        self::$running[] = $sandbox;
        $read = [$pipes[1]];
        $none = null;
        $line = stream_select($read, $none, $none, 30) === 1 ? fgets($pipes[1]) : false;
        fclose($pipes[1]);
        if ($line === false || preg_match('#\Ahttps?://[^/]+/API/\z#', rtrim($line)) !== 1) {
            $sandbox->stop();
            throw new RuntimeException("the sandbox printed no base URL: " . var_export($line, true));
        }
        $sandbox->url = rtrim($line);
        $sandbox->origin = substr($sandbox->url, 0, -strlen('API/'));
        return $sandbox;
    }

    /** SIGTERM by PID (proc_open with an array runs the binary itself, no shell). */
    public function stop(): void
    {
        if ($this->process !== null) {
            proc_terminate($this->process, 15);
            proc_close($this->process);
            $this->process = null;
            @unlink($this->log);
        }
    }

    public static function stopAll(): void
    {
        foreach (self::$running as $sandbox) {
            $sandbox->stop();
        }
        self::$running = [];
    }

    /** The base URL that answers with fault `$kind` (slow-<ms>, hang, status-500, …). */
    public function fault(string $kind): string
    {
        return $this->origin . "fault/{$kind}/API/";
    }

    /** @return list<array<string, mixed>> every recorded PIN session, oldest first */
    public function sessions(): array
    {
        return json_decode((string) file_get_contents($this->origin . 'sandbox/sessions'), true, 512, JSON_THROW_ON_ERROR);
    }

    /** @return array<string, mixed>|null the record of `$pin` */
    public function session(string $pin): ?array
    {
        foreach (array_reverse($this->sessions()) as $record) {
            if ($record['pin'] === $pin) {
                return $record;
            }
        }
        return null;
    }

    public function post(string $path): void
    {
        $context = stream_context_create(['http' => ['method' => 'POST', 'header' => 'Content-Length: 0']]);
        file_get_contents($this->origin . $path, false, $context);
    }

    public function reset(): void
    {
        $this->post('sandbox/reset');
    }
}

register_shutdown_function([Sandbox::class, 'stopAll']);

// ===== the suite =====

/** A client of `$url` on the library under test, over the transport under test. */
function client(?string $url, array $options = []): Client
{
    global $library, $transport;
    if (!isset($options['method']) && !isset($options['transport'])) {
        $options['transport'] = $transport;
    }
    return new Client($url, $options + ['library' => $library]);
}

/** The transport `client()` uses unless a test chooses one. */
$transport = 'http-post';

$main = Sandbox::start($sandboxBinary, ['--pin-interval-ms', '0']);
$paced = Sandbox::start($sandboxBinary); // the service's one PIN per second

try {
    test('package layout', function () use ($root, $library): void {
        $composer = json_decode((string) file_get_contents($root . '/bindings/php/composer.json'), true);
        same('src/', $composer['autoload']['psr-4']['Rescue\\'] ?? null, 'composer.json maps Rescue\\ to src/');
        same('*', $composer['require']['ext-ffi'] ?? null, 'composer.json requires ext-ffi');
        foreach (['Client', 'RescueException', 'Status', 'Library'] as $class) {
            check(is_file("{$root}/bindings/php/src/{$class}.php"), "src/{$class}.php exists for PSR-4");
        }
        $ffi = Library::load($library);
        check($ffi === Library::load($library), 'one FFI instance per (library, header)');
        check(preg_match('/\A\d+\.\d+\.\d+/', $ffi->rescue_version()) === 1, 'rescue_version() is a version');
    });

    test('Status matches the library', function () use ($library): void {
        $ffi = Library::load($library);
        $constants = (new ReflectionClass(Status::class))->getConstants();
        same(24, count($constants), 'number of statuses');
        foreach ($constants as $name => $value) {
            same($name, $ffi->rescue_status_name($value), "rescue_status_name({$value})");
            same($value, $ffi->{'RESCUE_STATUS_' . $name}, "RESCUE_STATUS_{$name}");
        }
        same('UNKNOWN', $ffi->rescue_status_name(14), 'an unknown number');
        same('UNKNOWN', $ffi->rescue_status_name(110), 'an unknown number');
    });

    foreach (['http-post', 'http-get', 'soap11', 'soap12'] as $transport) {
    test("OK: login, PINs, authcode, logout ({$transport})", function () use ($main): void {
        $main->reset();
        $client = client($main->url);
        $client->login('tech@sandbox.test', PASSWORD);
        $lens = $client->requestLensPin();
        check(isPin($lens), 'a Lens PIN is six digits: ' . var_export($lens, true));
        $desktop = $client->requestPin(['cfield0' => 'Jane Doe']);
        check(isPin($desktop), 'a desktop PIN is six digits');
        same('lens', $main->session($lens)['kind'] ?? null, 'recorded as lens');
        same('desktop', $main->session($desktop)['kind'] ?? null, 'recorded as desktop');
        same('tech@sandbox.test', $main->session($desktop)['technician'] ?? null, 'recorded technician');
        $client->logout();
        expectStatus('NOTLOGGEDIN', 4, function () use ($client) {
            $client->requestLensPin();
        }, 'after logout');
        same(AUTHCODES['tech'], $client->requestAuthCode('tech@sandbox.test', PASSWORD), 'authcode');
        check(isPin($client->requestLensPin(['authcode' => AUTHCODES['tech']])), 'a PIN with the authcode');
    });

    test("every service status ({$transport})", function () use ($main, $paced): void {
        $main->reset();
        $withLogin = function (string $account, array $fields = [], bool $lens = true) use ($main): callable {
            return function () use ($main, $account, $fields, $lens) {
                $client = client($main->url);
                $client->login("{$account}@sandbox.test", PASSWORD);
                return $lens ? $client->requestLensPin($fields) : $client->requestPin($fields);
            };
        };
        $withCode = function (string $code, bool $lens = true) use ($main): callable {
            return function () use ($main, $code, $lens) {
                $fields = ['authcode' => $code];
                return $lens ? client($main->url)->requestLensPin($fields) : client($main->url)->requestPin($fields);
            };
        };
        expectStatus('ERROR', Status::ERROR, $withLogin('error'), 'error account');
        $wrong = 'Wr0ng-Passw0rd!';
        $e = expectStatus('INVALID', Status::INVALID, function () use ($main, $wrong) {
            client($main->url)->login('tech@sandbox.test', $wrong);
        }, 'wrong password');
        check($e === null || strpos($e->getMessage(), $wrong) === false, 'the message holds no password');
        expectStatus('INVALID', Status::INVALID, function () use ($main) {
            client($main->url)->requestAuthCode('deleted@sandbox.test', PASSWORD);
        }, 'authcode of a deleted account');
        expectStatus('NOTLOGGEDIN', Status::NOTLOGGEDIN, function () use ($main) {
            client($main->url)->requestLensPin();
        }, 'PIN without a session');
        expectStatus('NOTTECHNICIAN', Status::NOTTECHNICIAN, $withLogin('admin'), 'admin');
        expectStatus('NOTECHCONSOLERUNNING', Status::NOTECHCONSOLERUNNING, $withLogin('offline'), 'offline');
        check(isPin($withLogin('offline', ['notechconsole' => true])()), 'offline with notechconsole');
        expectStatus('OUTOFPINCODES', Status::OUTOFPINCODES, $withLogin('nopins', [], false), 'nopins');
        $bad = 'not-a-real-authcode-4711';
        $e = expectStatus('INVALID_SECRETAUTHCODE', Status::INVALID_SECRETAUTHCODE, $withCode($bad), 'unknown authcode');
        check($e === null || strpos($e->getMessage(), $bad) === false, 'the message holds no authcode');
        expectStatus('USER_IS_DELETED', Status::USER_IS_DELETED, $withCode(AUTHCODES['deleted']), 'deleted');
        expectStatus('USER_DELETED_OR_DISABLED', Status::USER_DELETED_OR_DISABLED, $withCode(AUTHCODES['disabled']), 'disabled');
        expectStatus('NO_ACCESS_TO_LENS', Status::NO_ACCESS_TO_LENS, $withLogin('nolens'), 'nolens, Lens');
        check(isPin($withLogin('nolens', [], false)()), 'nolens, desktop PIN works');

        $paced->reset();
        $client = client($paced->url);
        check(isPin($client->requestPin(['authcode' => AUTHCODES['tech']])), 'first paced PIN');
        expectStatus('POLLRATEEXCEEDED', Status::POLLRATEEXCEEDED, function () use ($client) {
            $client->requestPin(['authcode' => AUTHCODES['tech']]);
        }, 'second PIN within a second');

        $main->reset();
        $client = client($main->url);
        for ($i = 0; $i < 10; $i++) {
            $client->login('admin@sandbox.test', PASSWORD);
        }
        expectStatus('LIMITREACHED', Status::LIMITREACHED, function () use ($client) {
            $client->login('admin@sandbox.test', PASSWORD);
        }, 'eleventh login in three minutes');
        $main->reset();
    });
    }
    $transport = 'http-post';

    test('SOAP: GLOBAL_IP_RESTRICTED, transport option errors', function () use ($main): void {
        foreach (['soap11', 'soap12'] as $soap) {
            expectStatus('GLOBAL_IP_RESTRICTED', Status::GLOBAL_IP_RESTRICTED, function () use ($main, $soap) {
                client($main->url, ['transport' => $soap])->login('iprestricted@sandbox.test', PASSWORD);
            }, "login_GlobalIpRestricted over {$soap}");
        }
        expectThrows(\InvalidArgumentException::class, function () use ($main) {
            client($main->url, ['transport' => 'soap']);
        }, 'an unknown transport');
        expectThrows(\InvalidArgumentException::class, function () use ($main) {
            client($main->url, ['transport' => 'soap12', 'method' => 'GET']);
        }, 'method and transport together');
    });

    $fields = [
        'cfield0' => 'Jöhn "Q" O\'Neil 😀',
        'cfield1' => str_repeat('ä😀', 256), // 512 characters, 1536 bytes
        'cfield2' => 'a&b=c+d%20e%;f?g#h/i\\j',
        'cfield3' => "line 1\nline 2\r\nline 3\ttab",
        'cfield4' => '',
        'cfield5' => '<b>&amp;</b> ¬echconsole',
        'tracking0' => 'ticket-4711 ✓',
    ];
    foreach (['http-post' => 'POST', 'http-get' => 'GET', 'soap11' => 'POST', 'soap12' => 'POST'] as $way => $method) {
        test("fields round-trip byte-exact over {$way}", function () use ($main, $way, $method, $fields): void {
            $soap = strncmp($way, 'soap', 4) === 0;
            $client = client($main->url, ['transport' => $way]);
            $pin = $client->requestLensPin($fields + ['notechconsole' => true, 'authcode' => AUTHCODES['tech']]);
            $record = $main->session($pin);
            check($record !== null, 'the PIN was recorded');
            foreach ($fields as $name => $value) {
                same($value, $record[$name] ?? null, "{$name} as recorded");
            }
            same('1', $record['notechconsole'] ?? null, 'notechconsole');
            same($method, $record['method'] ?? null, 'HTTP method');
            same(str_replace('http-', '', $way), $record['transport'] ?? null, 'transport');

            $pin = $client->requestPin(['authcode' => AUTHCODES['tech'], 'cfield1' => null]);
            $record = $main->session($pin);
            foreach (array_keys($fields) as $name) {
                same(null, notSent($record, $name), "{$name} not sent");
            }
            // SOAP always carries bNoTechConsole (the WSDL requires it): false, recorded as 0.
            $unset = $soap ? '0' : null;
            same($unset, $record['notechconsole'] ?? null, 'notechconsole unset');
            $pin = $client->requestPin(['authcode' => AUTHCODES['tech'], 'notechconsole' => false]);
            same($unset, $main->session($pin)['notechconsole'] ?? null, 'notechconsole false');
        });
    }

    test('Lens invitations: SMS, languages, NodeId, v1 unchanged', function () use ($main, $paced): void {
        $sent = 'sendInvitationForMobileSession_OK';
        $failed = 'sendInvitationForMobileSession_Error'; // the sandbox's word for +999 numbers
        $tech = ['authcode' => AUTHCODES['tech']];
        foreach (['http-post', 'http-get', 'soap11', 'soap12'] as $via) {
            $main->reset();
            $client = client($main->url, ['transport' => $via]);
            $soap = strpos($via, 'soap') === 0;
            $v3 = $soap ? 'requestLensPINCodeV3' : 'requestLensPINCode_v3.aspx';

            $lens = $client->requestLensPinInvite($tech + ['cfield0' => 'Jane'], ['phone_number' => '+1 555 0100', 'lang_code' => 'DE']);
            check(isPin($lens['pin']), "{$via}: a PIN");
            same($sent, $lens['sms_result'], "{$via}: SMS sent");
            $record = $main->session($lens['pin']);
            same($v3, $record['call'] ?? null, "{$via}: the v3 page or operation");
            same('Jane', $record['cfield0'] ?? null, "{$via}: the fields arrive");
            same('de', $record['invitation']['lang_code'] ?? null, "{$via}: the language as the service spells it");
            same('+1 555 0100', $record['invitation']['phone_number'] ?? null, "{$via}: the number");
            check(strpos($record['invitation']['sms_text'] ?? '', 'https://secure.logmeinrescue.com/R?i=2&Code=' . $lens['pin']) !== false, "{$via}: the SMS text has the join link");

            $lens = $client->requestLensPinInvite($tech, ['phone_number' => '+999 555 0100']);
            check(isPin($lens['pin']), "{$via}: a PIN although the SMS failed");
            same($failed, $lens['sms_result'], "{$via}: the failure word, not an exception");

            foreach (['de' => 'Ihr Techniker', 'en' => 'Your technician', 'es' => 'Su técnico', 'fr' => 'Votre technicien', 'nl' => 'Uw technicus', 'pt-br' => 'Seu técnico'] as $code => $opening) {
                $lens = $client->requestLensPinInvite($tech, ['phone_number' => '+1 555 0100', 'lang_code' => strtoupper($code)]);
                $invitation = $main->session($lens['pin'])['invitation'] ?? [];
                same($code, $invitation['lang_code'] ?? null, "{$via}: {$code}");
                check(strpos($invitation['sms_text'] ?? '', $opening) === 0, "{$via}: the {$code} text");
            }

            // Nothing set: the plain v1 request.
            $lens = $client->requestLensPinInvite($tech, []);
            same(null, $lens['sms_result'], "{$via}: no SMS result without an invitation");
            $record = $main->session($lens['pin']);
            same($soap ? 'requestLensPINCode' : 'requestLensPINCode.aspx', $record['call'] ?? null, "{$via}: v1 stays v1");
            check($record !== null && array_key_exists('invitation', $record) && $record['invitation'] === null, "{$via}: no invitation recorded");

            // NodeId: an administrator (a helpdesk system) creates tech@'s PIN; not over SOAP.
            $count = count($main->sessions());
            if ($soap) {
                $e = expectStatus('INVALID_ARGUMENT', Status::INVALID_ARGUMENT, function () use ($client) {
                    $client->requestLensPinInvite(['authcode' => AUTHCODES['admin']], ['node_id' => 1001]);
                }, "{$via}: NodeId over SOAP");
                check($e === null || strpos($e->getMessage(), 'SOAP') !== false, "{$via}: the message says why");
            } else {
                $lens = $client->requestLensPinInvite(['authcode' => AUTHCODES['admin']], ['node_id' => 1001, 'phone_number' => '+1 555 0100']);
                $record = $main->session($lens['pin']);
                same('requestLensPINCode_v4.aspx', $record['call'] ?? null, "{$via}: v4");
                same('tech@sandbox.test', $record['technician'] ?? null, "{$via}: the PIN is tech@'s");
                same('admin@sandbox.test', $record['requested_by'] ?? null, "{$via}: asked by admin@");
                same('1001', $record['invitation']['node_id'] ?? null, "{$via}: the NodeId");
                expectStatus('ERROR', Status::ERROR, function () use ($client, $tech) {
                    $client->requestLensPinInvite($tech, ['node_id' => '4242']);
                }, "{$via}: no such technician");
                $count++;
            }

            // Refused before sending, without the number in the message.
            foreach ([
                ['phone_number' => ''], ['phone_number' => str_repeat('7', 33)], ['phone_number' => "+44 7700\n900123"],
                ['phone_number' => "+44 7700\0 900123"], ['lang_code' => 'it'], ['lang_code' => 'pt'],
                ['node_id' => '12a'], ['node_id' => -1],
            ] as $i => $bad) {
                $e = expectStatus('INVALID_ARGUMENT', Status::INVALID_ARGUMENT, function () use ($client, $tech, $bad) {
                    $client->requestLensPinInvite($tech, $bad);
                }, "{$via}: bad invitation {$i}");
                check($e === null || (strpos($e->getMessage(), '7700') === false && strpos($e->getMessage(), '777') === false), "{$via}: no number in the message {$i}");
            }
            expectThrows(\InvalidArgumentException::class, function () use ($client, $tech) {
                $client->requestLensPinInvite($tech, ['phone' => '+1 555 0100']);
            }, "{$via}: an unknown key");
            expectThrows(\InvalidArgumentException::class, function () use ($client, $tech) {
                $client->requestLensPinInvite($tech, ['lang_code' => 7]);
            }, "{$via}: a language that is not a string");
            same($count, count($main->sessions()), "{$via}: nothing refused was recorded");
        }

        // One PIN per second, shared with v1.
        $paced->reset();
        $client = client($paced->url);
        check(isPin($client->requestLensPin($tech)), 'a paced v1 PIN');
        expectStatus('POLLRATEEXCEEDED', Status::POLLRATEEXCEEDED, function () use ($client, $tech) {
            $client->requestLensPinInvite($tech, ['phone_number' => '+1 555 0100']);
        }, 'an invitation within the second');
        $main->reset();
    });

    test('argument errors', function () use ($main, $library): void {
        $client = client($main->url);
        $code = ['authcode' => AUTHCODES['tech']];
        $before = count($main->sessions());
        expectThrows(InvalidArgumentException::class, function () use ($client, $code) {
            $client->requestLensPin($code + ['cfield6' => 'x']);
        }, 'unknown field');
        expectThrows(InvalidArgumentException::class, function () use ($client, $code) {
            $client->requestLensPin($code + [0 => 'x']);
        }, 'numeric key');
        expectThrows(InvalidArgumentException::class, function () use ($client, $code) {
            $client->requestLensPin($code + ['cfield0' => 42]);
        }, 'non-string field');
        expectThrows(InvalidArgumentException::class, function () use ($client, $code) {
            $client->requestPin($code + ['notechconsole' => 1]);
        }, 'non-bool notechconsole');
        expectThrows(InvalidArgumentException::class, function () use ($main) {
            client($main->url, ['timeot' => 1]);
        }, 'unknown option');
        expectThrows(InvalidArgumentException::class, function () use ($main) {
            client($main->url, ['method' => 'PUT']);
        }, 'unknown method');
        expectThrows(InvalidArgumentException::class, function () use ($main) {
            client($main->url, ['timeout' => '5']);
        }, 'timeout as a string');
        expectThrows(InvalidArgumentException::class, function () use ($main) {
            client($main->url, ['renew_session' => 'yes']);
        }, 'renew_session as a string');
        expectThrows(InvalidArgumentException::class, function () use ($main) {
            client($main->url, ['allow_plain_http' => 1]);
        }, 'allow_plain_http as an int');
        $e = expectStatus('INVALID_ARGUMENT', Status::INVALID_ARGUMENT, function () {
            client('http://rescue.invalid/API/')->login('tech@sandbox.test', PASSWORD);
        }, 'plain http:// to another machine');
        check($e !== null && strpos($e->getMessage(), 'clear text') !== false, 'the message says why');
        expectStatus('NETWORK', Status::NETWORK, function () {
            client('http://rescue.invalid/API/', ['allow_plain_http' => true])->login('tech@sandbox.test', PASSWORD);
        }, 'plain http:// allowed: really sent (and .invalid does not resolve)');

        $e = expectStatus('FIELD_TOO_LONG', 101, function () use ($client, $code) {
            $client->requestLensPin($code + ['cfield0' => str_repeat('x', 65)]);
        }, '65-character cfield0');
        check($e === null || strpos($e->getMessage(), 'cfield0') !== false, 'the message names cfield0');
        check(isPin($client->requestLensPin($code + ['cfield0' => str_repeat('😀', 64)])), '64 emoji in cfield0 fit');
        $before++;
        expectStatus('INVALID_ARGUMENT', 100, function () use ($client, $code) {
            $client->requestLensPin($code + ['cfield2' => "cut\0here"]);
        }, 'NUL byte in a field');
        expectStatus('INVALID_ARGUMENT', 100, function () use ($client) {
            $client->requestLensPin(['authcode' => AUTHCODES['tech'] . "\0"]);
        }, 'NUL byte in the authcode');
        expectStatus('INVALID_ARGUMENT', 100, function () use ($client) {
            $client->login('tech@sandbox.test', "sandbox\0tail");
        }, 'NUL byte in the password');
        expectStatus('INVALID_ARGUMENT', 100, function () use ($client, $code) {
            $client->requestLensPin($code + ['cfield0' => "\xff\xfe"]);
        }, 'invalid UTF-8');
        same($before, count($main->sessions()), 'nothing was recorded');

        expectStatus('INVALID_ARGUMENT', 100, function () {
            client('not a url');
        }, 'a malformed base URL');
        expectStatus('INVALID_ARGUMENT', 100, function () use ($main) {
            client($main->url, ['ca_file' => '/nonexistent/ca.pem']);
        }, 'a missing CA file');
        expectStatus('INVALID_ARGUMENT', 100, function () use ($main) {
            client($main->url, ['timeout' => 0]);
        }, 'timeout 0');
        expectThrows(RuntimeException::class, function () use ($main) {
            client($main->url, ['library' => '/nonexistent/librescue.so']);
        }, 'a missing library');
        expectThrows(RuntimeException::class, function () use ($main, $library) {
            client($main->url, ['header' => '/nonexistent/rescue_ffi.h']);
        }, 'a missing header');
    });

    test('transport failures', function () use ($main): void {
        $code = ['authcode' => AUTHCODES['tech']];
        $start = microtime(true);
        expectStatus('TIMEOUT', Status::TIMEOUT, function () use ($main, $code) {
            client($main->fault('hang'), ['timeout' => 1])->requestLensPin($code);
        }, 'hang with timeout 1');
        $elapsed = microtime(true) - $start;
        check($elapsed < 2.0, sprintf('TIMEOUT within 2 s (took %.2f s)', $elapsed));
        expectStatus('HTTP_STATUS', Status::HTTP_STATUS, function () use ($main, $code) {
            client($main->fault('status-500'))->requestLensPin($code);
        }, 'status-500');
        expectStatus('UNEXPECTED_RESPONSE', Status::UNEXPECTED_RESPONSE, function () use ($main, $code) {
            client($main->fault('unknown'))->requestLensPin($code);
        }, 'an unknown word');
        foreach (['crlf', 'oneline', 'spaced'] as $layout) {
            check(isPin(client($main->fault($layout))->requestLensPin($code)), "the {$layout} layout");
        }
        $server = stream_socket_server('tcp://127.0.0.1:0');
        $address = stream_socket_get_name($server, false);
        fclose($server);
        expectStatus('NETWORK', Status::NETWORK, function () use ($address, $code) {
            client("http://{$address}/API/", ['timeout' => 5])->requestLensPin($code);
        }, 'a refused port');
    });

    test('TLS: ca_file, and system_roots with the Linux system bundle', function () use ($sandboxBinary): void {
        $cert = tempnam(sys_get_temp_dir(), 'rescue-cert');
        $tls = Sandbox::start($sandboxBinary, ['--pin-interval-ms', '0', '--tls', '--cert-out', $cert]);
        try {
            expectStatus('TLS', Status::TLS, function () use ($tls) {
                client($tls->url)->login('tech@sandbox.test', PASSWORD);
            }, 'the built-in roots refuse the sandbox');
            check(isPin(client($tls->url, ['ca_file' => $cert])->requestLensPin(['authcode' => AUTHCODES['tech']])),
                'a PIN with ca_file');
            // On Linux the system store is the bundle SSL_CERT_FILE names: the sandbox's certificate.
            $saved = getenv('SSL_CERT_FILE');
            putenv('SSL_CERT_FILE=' . $cert);
            try {
                check(isPin(client($tls->url, ['system_roots' => true])->requestLensPin(['authcode' => AUTHCODES['tech']])),
                    'a PIN with system_roots');
                expectStatus('TLS', Status::TLS, function () use ($tls) {
                    client($tls->url, ['system_roots' => false])->login('tech@sandbox.test', PASSWORD);
                }, 'system_roots false: the built-in roots');
            } finally {
                putenv($saved === false ? 'SSL_CERT_FILE' : 'SSL_CERT_FILE=' . $saved);
            }
            expectThrows(InvalidArgumentException::class, function () use ($tls) {
                client($tls->url, ['system_roots' => 'yes']);
            }, 'system_roots must be a bool');
        } finally {
            $tls->stop();
            @unlink($cert);
        }
    });

    test('session renewal', function () use ($main): void {
        $main->reset();
        $client = client($main->url);
        $client->login('tech@sandbox.test', PASSWORD);
        $main->post('sandbox/expire');
        check(isPin($client->requestLensPin()), 'a PIN after the session expired (renewed)');

        $fixed = client($main->url, ['renew_session' => false]);
        $fixed->login('tech@sandbox.test', PASSWORD);
        $main->post('sandbox/expire');
        expectStatus('NOTLOGGEDIN', Status::NOTLOGGEDIN, function () use ($fixed) {
            $fixed->requestLensPin();
        }, 'no renewal when renew_session is false');
        $main->reset();
    });

    test('a refused renewal sends one login, not one per call', function () use ($main): void {
        $main->reset();
        $client = client($main->url);
        $client->login('tech@sandbox.test', PASSWORD);
        $main->post('sandbox/password?email=tech%40sandbox.test&password=rotated');
        $main->post('sandbox/expire');
        $e = expectStatus('INVALID', Status::INVALID, function () use ($client) {
            $client->requestLensPin();
        }, 'the renewal login is refused');
        check($e !== null && strpos($e->getMessage(), 'dropped') !== false, 'the message says the credentials were dropped');
        for ($i = 0; $i < 20; $i++) {
            expectStatus('NOTLOGGEDIN', Status::NOTLOGGEDIN, function () use ($client) {
                $client->requestLensPin();
            }, 'later calls answer NOTLOGGEDIN');
        }
        $logins = json_decode((string) file_get_contents($main->origin . 'sandbox/logins'), true, 512, JSON_THROW_ON_ERROR);
        same(['INVALID' => 1, 'OK' => 1], $logins['tech@sandbox.test'] ?? null, 'one login and one refused renewal');
        $client->login('tech@sandbox.test', 'rotated');
        check(isPin($client->requestLensPin()), 'an explicit login starts afresh');
        $main->reset();
    });

    test('setLogger: events at each level, a PSR-3 style logger, no secrets', function () use ($main, $library): void {
        $main->reset();
        $lines = [];
        Client::setLogger(function (string $level, string $message) use (&$lines): void {
            $lines[] = "{$level} {$message}";
        }, 'trace', $library);
        $client = client($main->url);
        try {
            $client->login('tech@sandbox.test', 'Wr0ng-Pass-Never-Logged');
        } catch (RescueException $e) {
        }
        $client->login('tech@sandbox.test', PASSWORD);
        $client->requestLensPin(['cfield0' => 'Field-Never-Logged']);
        $main->post('sandbox/expire');
        $client->requestLensPin();
        client($main->fault('hang'), ['timeout' => 0.3]);
        try {
            client($main->fault('hang'), ['timeout' => 0.3])->login('tech@sandbox.test', PASSWORD);
        } catch (RescueException $e) {
        }
        Client::setLogger(null, 'info', $library);
        $client->requestLensPin();
        $text = implode("\n", $lines);
        foreach (['info logged in', 'debug login.aspx over', 'answered OK', 'trace requestLensPINCode.aspx parameters: cfield0=(18 chars)',
                  'info session renewed', 'warning login.aspx failed', 'TIMEOUT'] as $event) {
            check(strpos($text, $event) !== false, "logged: {$event}");
        }
        check(strpos($text, 'Wr0ng-Pass') === false && strpos($text, 'pwd=sandbox') === false, 'no password logged');
        check(strpos($text, 'Field-Never-Logged') === false, 'no field value logged');
        same(count($lines), count(explode("\n", $text)), 'nothing logged once turned off');

        $psr = new class {
            /** @var list<string> */
            public $records = [];
            public function log($level, $message, array $context = []): void
            {
                $this->records[] = "{$level}:{$message}";
            }
        };
        Client::setLogger($psr, 'debug', $library);
        client($main->url)->requestLensPin(['authcode' => AUTHCODES['tech']]);
        Client::setLogger(null, 'info', $library);
        check(count($psr->records) >= 2 && strpos($psr->records[0], 'debug:') === 0, 'a PSR-3 logger gets debug records');
        expectThrows(\InvalidArgumentException::class, function () use ($library) {
            Client::setLogger(null, 'loud', $library);
        }, 'an unknown level');
        $main->reset();
    });

    test('ffi.enable=preload with ffi.preload (the FPM setup)', function () use ($main, $root, $library): void {
        $header = Library::headerCandidates($library);
        $header = current(array_filter($header, 'is_file'));
        $preload = tempnam(sys_get_temp_dir(), 'rescue-preload') . '.h';
        file_put_contents($preload, "#define FFI_SCOPE \"RESCUE\"\n#define FFI_LIB \"{$library}\"\n" . file_get_contents($header));
        $script = tempnam(sys_get_temp_dir(), 'rescue-preload-test');
        file_put_contents($script, '<?php
            require ' . var_export($root . '/bindings/php/rescue.php', true) . ';
            $pin = (new Rescue\Client(' . var_export($main->url, true) . '))->requestLensPin(["authcode" => ' . var_export(AUTHCODES['tech'], true) . ']);
            $scope = new ReflectionProperty(Rescue\Library::class, "scope");
            $scope->setAccessible(true);
            echo $scope->getValue() instanceof FFI ? "scope " : "no scope ", $pin, "\n";
        ');
        $env = getenv();
        unset($env['RESCUE_LIBRARY'], $env['RESCUE_HEADER']);
        $process = proc_open(
            [PHP_BINARY, '-d', 'ffi.enable=preload', '-d', "ffi.preload={$preload}", $script],
            [1 => ['pipe', 'w'], 2 => ['pipe', 'w']],
            $pipes,
            null,
            $env
        );
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        $status = proc_close($process);
        unlink($preload);
        unlink($script);
        same(0, $status, "the child exited 0 ({$err})");
        check(preg_match('/\Ascope [0-9]{6}\n\z/', (string) $out) === 1, 'a PIN through FFI::scope("RESCUE"): ' . var_export($out, true));
    });

    test('10,000 calls with flat memory', function () use ($main): void {
        $client = client($main->url);
        $fields = ['authcode' => AUTHCODES['tech'], 'cfield0' => 'Jane Doe 😀', 'tracking0' => 'ticket-4711'];
        $round = function (int $i) use ($main, $client, $fields): bool {
            // Every tenth round a whole client is made and freed too.
            if ($i % 10 === 0) {
                $own = client($main->url, ['timeout' => 5]);
                return isPin($own->requestPin($fields));
            }
            if ($i % 10 === 5) {
                try {
                    $client->requestLensPin(['cfield0' => str_repeat('x', 65)] + $fields);
                } catch (RescueException $e) {
                    return $e->getCode() === Status::FIELD_TOO_LONG;
                }
                return false;
            }
            return isPin($client->requestLensPin($fields));
        };
        $ok = 0;
        for ($i = 0; $i < 1000; $i++) {
            $ok += $round($i) ? 1 : 0;
        }
        gc_collect_cycles();
        $heap = memory_get_usage();
        $rss = rssKib();
        for (; $i < 10000; $i++) {
            $ok += $round($i) ? 1 : 0;
        }
        gc_collect_cycles();
        $heapGrowth = memory_get_usage() - $heap;
        $rssGrowth = rssKib() - $rss;
        same(10000, $ok, 'every call answered as expected');
        printf("php: 10,000 calls: heap %d -> %+d bytes, RSS %d KiB -> %+d KiB after the first 1,000\n", $heap, $heapGrowth, $rss, $rssGrowth);
        check($heapGrowth < 16 * 1024, "PHP heap grew {$heapGrowth} bytes (bound 16 KiB)");
        check($rssGrowth < 2048, "RSS grew {$rssGrowth} KiB (bound 2 MiB)");
        $main->reset();
    });
} finally {
    Sandbox::stopAll();
}

echo "php: {$passed} passed, {$failed} failed\n";
exit($failed === 0 ? 0 : 1);
