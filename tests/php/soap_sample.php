<?php

// The vendor page's "PHP with SOAP" sample, run with PHP's own SoapClient (ext-soap, Debian
// php-soap) against the sandbox's API.asmx and its WSDL; plus SOAP 1.2, the shared cookie
// session and fault variants over SOAP. No librescue here: this is what the seed's PHP
// users run today.
//
//   php tests/php/soap_sample.php     (or: make php-test)
//
// RESCUE_SANDBOX (default target/debug/rescue-sandbox) is the sandbox binary. Prints each
// failure and a last line "php soap: N passed, M failed"; exits 1 on any failure.

declare(strict_types=1);

require __DIR__ . '/harness.php';

const NS = 'https://secure.logmeinrescue.com/API/API.asmx';
const PASSWORD = 'sandbox';
const TECH = 'tech@sandbox.test';
const TECH_CODE = 'ytzw7h07nu9o4oxqbf49dpayuqvdnmzd';

$root = dirname(__DIR__, 2);
$binary = getenv('RESCUE_SANDBOX') ?: $root . '/target/debug/rescue-sandbox';
if (!extension_loaded('soap')) {
    fwrite(STDERR, "php soap: ext-soap is missing (Debian: apt-get install php-soap; make php-deps)\n");
    exit(1);
}

// ===== tiny harness: tests/php/harness.php =====

/** Runs `$call`, which must throw a SoapFault; returns it. */
function expectSoapFault(callable $call, string $what): ?SoapFault
{
    try {
        $call();
    } catch (SoapFault $e) {
        return $e;
    } catch (Throwable $e) {
        check(false, "{$what}: expected a SoapFault, got " . get_class($e) . ': ' . $e->getMessage());
        return null;
    }
    check(false, "{$what}: expected a SoapFault, but it succeeded");
    return null;
}

// ===== the sandbox, a subprocess stopped by its handle (SIGTERM to its PID) =====

final class Sandbox
{
    /** @var string http://127.0.0.1:PORT/API/ */
    public $url;
    /** @var string http://127.0.0.1:PORT/ */
    public $origin;
    /** @var resource|null */
    private $process;

    public function __construct(string $binary)
    {
        if (!is_executable($binary)) {
            throw new RuntimeException("no sandbox at {$binary}: run `cargo build -p rescue-sandbox`");
        }
        $process = proc_open(
            [$binary, '--pin-interval-ms', '0'],
            [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']],
            $pipes
        );
        if (!is_resource($process)) {
            throw new RuntimeException("cannot start {$binary}");
        }
        $this->process = $process;
        $read = [$pipes[1]];
        $none = null;
        $line = stream_select($read, $none, $none, 30) === 1 ? fgets($pipes[1]) : false;
        fclose($pipes[1]);
        if ($line === false || preg_match('#\Ahttp://[^/]+/API/\z#', rtrim($line)) !== 1) {
            $this->stop();
            throw new RuntimeException('the sandbox printed no base URL');
        }
        $this->url = rtrim($line);
        $this->origin = substr($this->url, 0, -strlen('API/'));
    }

    public function stop(): void
    {
        if ($this->process !== null) {
            proc_terminate($this->process, 15);
            proc_close($this->process);
            $this->process = null;
        }
    }

    public function fault(string $kind): string
    {
        return $this->origin . "fault/{$kind}/API/";
    }

    /** @return list<array<string, mixed>> */
    public function sessions(): array
    {
        $json = (string) file_get_contents($this->origin . 'sandbox/sessions');
        return json_decode($json, true, 512, JSON_THROW_ON_ERROR);
    }

    /** POSTs a raw body; returns [HTTP status, body]. */
    public static function post(string $url, array $headers, string $body): array
    {
        $context = stream_context_create(['http' => [
            'method' => 'POST',
            'header' => implode("\r\n", $headers),
            'content' => $body,
            'ignore_errors' => true,
            'timeout' => 10,
        ]]);
        $answer = (string) file_get_contents($url, false, $context);
        $status = preg_match('#^HTTP/\S+ (\d{3})#', $http_response_header[0] ?? '', $m) === 1 ? (int) $m[1] : 0;
        return [$status, $answer];
    }
}

$sandbox = new Sandbox($binary);
register_shutdown_function([$sandbox, 'stop']);
// SoapClient caches WSDLs on disk by URL; every run has a new port, but keep it clean.
ini_set('soap.wsdl_cache_enabled', '0');

// ===== the seed's sample =====

test('the seed sample, with bNoTechConsole added, runs unchanged otherwise', function () use ($sandbox): void {
    $before = count($sandbox->sessions());
    ob_start();
    // --- the vendor page's code: only the WSDL URL, the credentials and the one missing
    // --- 'bNoTechConsole' => false differ (API.md, "A bug in the seed's PHP sample").
    $soapclient = new SoapClient($sandbox->url . "api.asmx?wsdl");
    //define parameters
    $loginparams = array (
    'sEmail' => TECH,
    'sPassword' => PASSWORD
    );
    //login
    $loginResult = $soapclient->login($loginparams);
    //print the result
    echo "<b>Login full response.</b><br />"; //formatting
    print_r($loginResult);
    echo "<br /><br />"; //formatting
    //get account info
    $sCField0 = "some customer";
    $sCField1 = "first custom field";
    $sCField2 = "second custom field";
    $sCField3 = "third custom field";
    $sCField4 = "fourth custom field";
    $sCField5 = "fifth custom field";
    $sTracking0 = $sCField0 . date("c"); //to ensure unique
    //create params array for SOAP request
    $requestLensPINCodeParams = array(
    'sCField0' => $sCField0,
    'sCField1' => $sCField1,
    'sCField2' => $sCField2,
    'sCField3' => $sCField3,
    'sCField4' => $sCField4,
    'sCField5' => $sCField5,
    'sTracking0' => $sTracking0,
    'bNoTechConsole' => false
    );
    $requestLensPINCodeResult = $soapclient->requestLensPINCode($requestLensPINCodeParams);
    //print out the PIN Code full response
    print_r("<b>requestLensPINCode full response.</b><br />");
    print_r($requestLensPINCodeResult);
    echo "<br /><br />"; //formatting
    //show the PIN code only (PHP 8's SoapClient answers objects: ->, not ["iPINCode"])
    $PINCode = $requestLensPINCodeResult->iPINCode;
    // --- end of the sample
    $printed = (string) ob_get_clean();

    same('login_OK', $loginResult->loginResult, 'loginResult');
    same('requestPINCode_OK', $requestLensPINCodeResult->requestLensPINCodeResult, 'requestLensPINCodeResult');
    check(is_int($PINCode), 'iPINCode is an int: ' . var_export($PINCode, true));
    $sessions = $sandbox->sessions();
    same($before + 1, count($sessions), 'one PIN session made');
    $record = end($sessions);
    same(sprintf('%06d', $PINCode), $record['pin'], 'the int PIN, padded back to six digits, is the PIN made');
    same('lens', $record['kind'], 'a Lens session');
    same('soap11', $record['transport'], 'over SOAP 1.1 (the first port of the WSDL)');
    same('POST', $record['method'], 'SOAP is a POST');
    same('first custom field', $record['cfield1'], 'cfield1 as sent');
    same($sTracking0, $record['tracking0'], 'tracking0 as sent');
    same('0', $record['notechconsole'], 'bNoTechConsole false');
    check(strpos($printed, 'requestPINCode_OK') !== false, 'the sample printed the answer');
    // The sample's own ["iPINCode"] fails on PHP 8: the answer is an object.
    try {
        $requestLensPINCodeResult["iPINCode"];
        check(false, '["iPINCode"] on an object should fail');
    } catch (Error $e) {
        same('Cannot use object of type stdClass as array', $e->getMessage(), 'the sample\'s array access');
    }
});

test('the seed sample as printed fails before sending', function () use ($sandbox): void {
    $soapclient = new SoapClient($sandbox->url . "api.asmx?wsdl");
    $loginResult = $soapclient->login(array('sEmail' => TECH, 'sPassword' => PASSWORD));
    same('login_OK', $loginResult->loginResult, 'login');
    $before = count($sandbox->sessions());
    $fault = expectSoapFault(function () use ($soapclient) {
        $soapclient->requestLensPINCode(array(
            'sCField0' => 'some customer',
            'sCField1' => 'first custom field',
            'sCField2' => 'second custom field',
            'sCField3' => 'third custom field',
            'sCField4' => 'fourth custom field',
            'sCField5' => 'fifth custom field',
            'sTracking0' => 'some customer' . date('c'),
        ));
    }, 'the seven strings only');
    if ($fault !== null) {
        same("SOAP-ERROR: Encoding: object has no 'bNoTechConsole' property", $fault->getMessage(), 'the SoapFault');
        same('Client', $fault->faultcode, 'a client-side fault');
    }
    same($before, count($sandbox->sessions()), 'nothing was requested');
});

// ===== beyond the sample =====

test('SOAP 1.2 with SoapClient: requestLensPINCodeV2 answers the PIN as a string', function () use ($sandbox): void {
    $client = new SoapClient($sandbox->url . 'API.asmx?WSDL', ['soap_version' => SOAP_1_2, 'trace' => true]);
    same('login_OK', $client->login(['sEmail' => TECH, 'sPassword' => PASSWORD])->loginResult, 'login');
    check(strpos((string) $client->__getLastResponse(), '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"') !== false, 'a 1.2 envelope');
    $answer = $client->requestLensPINCodeV2(['sCField0' => 'v2', 'bNoTechConsole' => true]);
    same('requestPINCode_OK', $answer->requestLensPINCodeV2Result, 'result');
    $sessions = $sandbox->sessions();
    $record = end($sessions);
    same($record['pin'], $answer->sPINCode, 'sPINCode, zero-padded');
    same('soap12', $record['transport'], 'transport');
    same('1', $record['notechconsole'], 'bNoTechConsole true');
    $none = $client->logout();
    same('logout_OK', $none->logoutResult, 'logout');
    same('logout_NotLoggedIn', $client->logout()->logoutResult, 'logout again');
});

test('the SoapClient cookie session works on the .aspx pages', function () use ($sandbox): void {
    $client = new SoapClient($sandbox->url . 'api.asmx?wsdl');
    same('login_OK', $client->login(['sEmail' => TECH, 'sPassword' => PASSWORD])->loginResult, 'login');
    $cookies = $client->__getCookies();
    check(isset($cookies['ASP.NET_SessionId'][0]), 'SoapClient keeps ASP.NET_SessionId');
    $cookie = 'ASP.NET_SessionId=' . ($cookies['ASP.NET_SessionId'][0] ?? '');
    [$status, $body] = Sandbox::post(
        $sandbox->url . 'requestPINCode.aspx',
        ['Content-Type: application/x-www-form-urlencoded', "Cookie: {$cookie}"],
        'cfield0=page'
    );
    same(200, $status, 'HTTP status');
    check(preg_match('/\AOK\r\nPINCODE:[0-9]{6}\z/', $body) === 1, 'a PIN in the default layout: ' . var_export($body, true));
    $desktop = $client->requestPINCode(['bNoTechConsole' => false]);
    same('requestPINCode_OK', $desktop->requestPINCodeResult, 'and over SOAP');
    $ip = $client->login(['sEmail' => 'iprestricted@sandbox.test', 'sPassword' => PASSWORD]);
    same('login_GlobalIpRestricted', $ip->loginResult, 'the IP-restricted account');
    $denied = $client->requestLensPINCode(['bNoTechConsole' => false, 'sAuthCode' => 'nope']);
    same('requestPINCode_Invalid_SecretAuthCode', $denied->requestLensPINCodeResult, 'a wrong authcode');
    same(0, $denied->iPINCode, 'no PIN: the int is 0');
});

test('fault variants over SOAP', function () use ($sandbox): void {
    $params = ['bNoTechConsole' => false, 'sAuthCode' => TECH_CODE];
    // A fault variant's WSDL points its calls at that variant.
    $fault = expectSoapFault(function () use ($sandbox, $params) {
        (new SoapClient($sandbox->fault('status-503') . 'API.asmx?wsdl'))->requestLensPINCode($params);
    }, 'status-503');
    if ($fault !== null) {
        same('HTTP', $fault->faultcode, 'an HTTP-level fault');
        same('Service Unavailable', $fault->getMessage(), 'its message');
    }
    $unknown = (new SoapClient($sandbox->fault('unknown') . 'API.asmx?wsdl'))->requestLensPINCode($params);
    same('requestPINCode_SomethingNew', $unknown->requestLensPINCodeResult, 'an unknown result word comes through');
    $slow = new SoapClient($sandbox->fault('slow-200') . 'API.asmx?wsdl', ['soap_version' => SOAP_1_2]);
    same('requestPINCode_OK', $slow->requestPINCode($params)->requestPINCodeResult, 'slow-200 answers normally');
    $html = expectSoapFault(function () use ($sandbox, $params) {
        (new SoapClient($sandbox->fault('html') . 'API.asmx?wsdl'))->requestPINCode($params);
    }, 'html');
    check($html !== null && $html->faultcode === 'Client', 'html: SoapClient cannot parse the page');
    $previous = ini_set('default_socket_timeout', '1');
    $start = microtime(true);
    $hang = expectSoapFault(function () use ($sandbox, $params) {
        (new SoapClient($sandbox->fault('hang') . 'API.asmx?wsdl'))->requestPINCode($params);
    }, 'hang');
    ini_set('default_socket_timeout', (string) $previous);
    check($hang !== null && $hang->faultcode === 'HTTP', 'hang: an HTTP fault after the socket timeout');
    check(microtime(true) - $start < 5.0, 'hang gave up within 5 s');
    // Non-WSDL mode sends an action the service doesn't have: the server's soap:Client fault.
    $raw = new SoapClient(null, ['location' => $sandbox->url . 'API.asmx', 'uri' => NS]);
    $nope = expectSoapFault(function () use ($raw) {
        $raw->__soapCall('nope', []);
    }, 'an unknown operation');
    if ($nope !== null) {
        same('soap:Client', $nope->faultcode, 'fault code');
        same('Server did not recognize the value of HTTP Header SOAPAction: ' . NS . '#nope.', $nope->getMessage(), 'fault string');
    }
    // Raw SOAP 1.2 with an unknown body element (no operation takes a NodeId, so V4 has none): the 1.2 fault shape.
    [$status, $body] = Sandbox::post(
        $sandbox->url . 'API.asmx',
        ['Content-Type: application/soap+xml; charset=utf-8'],
        '<?xml version="1.0"?><soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope">'
        . '<soap12:Body><requestLensPINCodeV4 xmlns="' . NS . '"/></soap12:Body></soap12:Envelope>'
    );
    same(500, $status, 'SOAP 1.2 fault status');
    check(strpos($body, '<soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>') !== false, 'a Sender fault: ' . $body);
});

echo "php soap: {$passed} passed, {$failed} failed\n";
exit($failed === 0 ? 0 : 1);
