<?php

declare(strict_types=1);

namespace Rescue;

/**
 * A client of the LogMeIn Rescue API, backed by one `rescue_client` of librescue.
 *
 * ```php
 * $client = new Rescue\Client('http://127.0.0.1:8080/API/', ['timeout' => 10]);
 * $client->login('tech@example.com', $password);
 * $pin = $client->requestLensPin(['cfield0' => 'Jane Doe', 'tracking0' => 'ticket-4711']);
 * ```
 *
 * Every failure is a {@see RescueException}; a wrong option, field name or type is an
 * `\InvalidArgumentException`. The service's rules (field lengths, PIN format, session
 * renewal) live in librescue, not here: this class only converts between PHP and C.
 */
final class Client
{
    /** Text fields of a PIN request, in `rescue_pin_request` order. */
    private const TEXT_FIELDS = ['cfield0', 'cfield1', 'cfield2', 'cfield3', 'cfield4', 'cfield5', 'tracking0'];

    private const OPTIONS = [
        'timeout', 'ca_file', 'system_roots', 'proxy', 'method', 'transport', 'renew_session', 'allow_plain_http',
        'library', 'header',
    ];

    /** The `transport` option's names, in `rescue_transport` order (RESCUE_TRANSPORT_*). */
    private const TRANSPORTS = ['http-post', 'http-get', 'soap11', 'soap12'];

    /** RESCUE_PIN_BUFFER_LEN in rescue.h: six digits and the NUL. */
    private const PIN_BUFFER_LEN = 7;

    /** RESCUE_SMS_RESULT_BUFFER_LEN in rescue.h. */
    private const SMS_RESULT_BUFFER_LEN = 128;

    /** The keys of an invitation, in `rescue_lens_invitation` order. */
    private const INVITATION_KEYS = ['phone_number', 'lang_code', 'node_id'];

    /** First authcode buffer; on BUFFER_TOO_SMALL the call is repeated with a larger one. */
    private const AUTHCODE_BUFFER_LEN = 256;

    /** The core refuses answers over 64 KiB, so an authcode always fits this. */
    private const AUTHCODE_BUFFER_MAX = 65536 + 1;

    /** rescue_log_level of each PSR-3 / setLogger level name. */
    private const LOG_LEVELS = ['error' => 1, 'warning' => 2, 'info' => 3, 'debug' => 4, 'trace' => 5];

    /** @var \Closure|null the FFI callback in use: kept alive while librescue may call it */
    private static $logCallback;

    /** @var \FFI */
    private $ffi;

    /** @var \FFI\CData|null `rescue_client*`, owned; null once freed */
    private $handle;

    /**
     * @param string|null $baseUrl the API's base URL; null: https://secure.logmeinrescue.com/API/
     * @param array{timeout?: int|float, ca_file?: string, system_roots?: bool, proxy?: string,
     *              method?: string, transport?: string, renew_session?: bool, allow_plain_http?: bool,
     *              library?: string, header?: string} $options
     *        timeout: seconds for a whole call (default 30); ca_file: PEM roots to trust
     *        instead of the built-in ones; system_roots: trust the system's certificate store
     *        instead (default false; ca_file wins); proxy: proxy URL (else the *_PROXY variables);
     *        method: 'POST' (default) or 'GET'; transport: 'http-post' (default), 'http-get',
     *        'soap11' or 'soap12' (API.asmx; not together with method); renew_session: log in again once when a
     *        session expired (default true); allow_plain_http: allow http:// to another
     *        machine (default false: calls fail with INVALID_ARGUMENT); library, header: where librescue and its
     *        rescue_ffi.h are (see README). A null value leaves the default.
     *
     * @throws \InvalidArgumentException for an unknown option or a value of the wrong type
     * @throws RescueException INVALID_ARGUMENT for a bad URL, CA file or proxy
     * @throws \RuntimeException when librescue can't be loaded
     */
    public function __construct(?string $baseUrl = null, array $options = [])
    {
        $unknown = array_diff(array_keys($options), self::OPTIONS);
        if ($unknown !== []) {
            throw new \InvalidArgumentException(
                'unknown option ' . self::quote(reset($unknown)) . '; known: ' . implode(', ', self::OPTIONS)
            );
        }
        $library = self::stringOption($options, 'library');
        $header = self::stringOption($options, 'header');
        $caFile = self::stringOption($options, 'ca_file');
        $systemRoots = self::boolOption($options, 'system_roots');
        $proxy = self::stringOption($options, 'proxy');
        $timeoutMs = self::timeoutOption($options);
        $useGet = self::methodOption($options);
        $transport = self::transportOption($options);
        if ($useGet !== null && $transport !== null) {
            throw new \InvalidArgumentException('give option "method" or option "transport", not both');
        }
        $renew = self::boolOption($options, 'renew_session');
        $allowPlainHttp = self::boolOption($options, 'allow_plain_http');

        $this->ffi = Library::load($library, $header);
        $handle = $this->ffi->new('rescue_client*');
        $this->check($this->ffi->rescue_client_new(
            $baseUrl === null ? null : $this->text($baseUrl, 'base_url'),
            \FFI::addr($handle)
        ));
        $this->handle = $handle;
        try {
            if ($timeoutMs !== null) {
                $this->check($this->ffi->rescue_client_set_timeout_ms($handle, $timeoutMs));
            }
            if ($caFile !== null) {
                $this->check($this->ffi->rescue_client_set_ca_file($handle, $this->text($caFile, 'ca_file')));
            }
            if ($systemRoots !== null) {
                $this->check($this->ffi->rescue_client_set_system_roots($handle, $systemRoots));
            }
            if ($proxy !== null) {
                $this->check($this->ffi->rescue_client_set_proxy($handle, $this->text($proxy, 'proxy')));
            }
            if ($useGet !== null) {
                $this->check($this->ffi->rescue_client_set_use_get($handle, $useGet));
            }
            if ($transport !== null) {
                $this->check($this->ffi->rescue_client_set_transport($handle, $transport));
            }
            if ($renew !== null) {
                $this->check($this->ffi->rescue_client_set_renew_session($handle, $renew));
            }
            if ($allowPlainHttp !== null) {
                $this->check($this->ffi->rescue_client_set_allow_plain_http($handle, $allowPlainHttp));
            }
        } catch (\Throwable $e) {
            // A constructor that throws never reaches __destruct.
            $this->free();
            throw $e;
        }
    }

    public function __destruct()
    {
        $this->free();
    }

    /** One PHP object owns one C client: a copy would free it twice. */
    private function __clone()
    {
    }

    /**
     * Logs in (login.aspx); the client keeps the session and, with renew_session, the
     * credentials to log in again once when the session has expired.
     *
     * @throws RescueException INVALID, LIMITREACHED, ERROR, or a transport status
     */
    public function login(string $email, string $password): void
    {
        $this->check($this->ffi->rescue_login(
            $this->handle(),
            $this->text($email, 'email'),
            $this->text($password, 'password')
        ));
    }

    /**
     * Logs out (logout.aspx) and forgets the session and credentials, even when it fails.
     *
     * @throws RescueException
     */
    public function logout(): void
    {
        $this->check($this->ffi->rescue_logout($this->handle()));
    }

    /**
     * Requests the account's secret authcode (requestAuthCode.aspx), which authenticates
     * PIN requests (`authcode` field) without a login session.
     *
     * @throws RescueException INVALID, ERROR, or a transport status
     */
    public function requestAuthCode(string $email, string $password): string
    {
        $email = $this->text($email, 'email');
        $password = $this->text($password, 'password');
        for ($size = self::AUTHCODE_BUFFER_LEN;; $size *= 16) {
            $out = $this->ffi->new("char[{$size}]");
            $status = $this->ffi->rescue_request_auth_code($this->handle(), $email, $password, $out, $size);
            // Nothing was written, so the only way to the code is to ask again.
            if ($status === Status::BUFFER_TOO_SMALL && $size < self::AUTHCODE_BUFFER_MAX) {
                continue;
            }
            $this->check($status);
            $code = \FFI::string($out);
            \FFI::memset($out, 0, $size);
            return $code;
        }
    }

    /**
     * Requests a Rescue Lens PIN (requestLensPINCode.aspx): six digits, leading zeros kept.
     *
     * @param array{cfield0?: string, cfield1?: string, cfield2?: string, cfield3?: string,
     *              cfield4?: string, cfield5?: string, tracking0?: string,
     *              notechconsole?: bool, authcode?: string} $fields
     *        a field that is absent (or null) is not sent
     *
     * @throws \InvalidArgumentException for an unknown key or a value of the wrong type
     * @throws RescueException the service's word, FIELD_TOO_LONG, or a transport status
     */
    public function requestLensPin(array $fields = []): string
    {
        return $this->requestPinCode($fields, true);
    }

    /**
     * Requests a desktop-session PIN (requestPINCode.aspx); the same fields and failures
     * as {@see requestLensPin()}, except NO_ACCESS_TO_LENS.
     *
     * @param array{cfield0?: string, cfield1?: string, cfield2?: string, cfield3?: string,
     *              cfield4?: string, cfield5?: string, tracking0?: string,
     *              notechconsole?: bool, authcode?: string} $fields
     *
     * @throws \InvalidArgumentException for an unknown key or a value of the wrong type
     * @throws RescueException the service's word, FIELD_TOO_LONG, or a transport status
     */
    public function requestPin(array $fields = []): string
    {
        return $this->requestPinCode($fields, false);
    }

    /**
     * Requests a Rescue Lens PIN with an SMS invitation: the service texts the PIN and its
     * join link to the customer's phone (requestLensPINCode_v3), in their language, and
     * with a `node_id` creates the PIN for that technician (requestLensPINCode_v4; HTTP
     * transports only). An empty invitation is the plain {@see requestLensPin()} request.
     *
     * ```php
     * $lens = $client->requestLensPinInvite(['cfield0' => 'Jane Doe'],
     *     ['phone_number' => '+1 555 0100', 'lang_code' => 'de']);
     * echo $lens['pin'], ' ', $lens['sms_result'] ?? 'no SMS';
     * ```
     *
     * @param array{cfield0?: string, cfield1?: string, cfield2?: string, cfield3?: string,
     *              cfield4?: string, cfield5?: string, tracking0?: string,
     *              notechconsole?: bool, authcode?: string} $fields as for requestLensPin()
     * @param array{phone_number?: string, lang_code?: string, node_id?: string|int} $invitation
     *        phone_number: at most 32 characters, no control characters (the service
     *        decides what a valid number is); lang_code: de, en, es, fr, nl or pt-br, any
     *        case (default: the service's, en); node_id: the technician's id, decimal
     *        digits. An absent (or null) key is not sent.
     * @return array{pin: string, sms_result: ?string} the PIN, and the service's
     *         SMS_RESULT word (`sendInvitationForMobileSession_OK` when the SMS was sent)
     *         or null when the answer has none. Any other word is returned, not thrown:
     *         the PIN exists even when the SMS failed.
     *
     * @throws \InvalidArgumentException for an unknown key or a value of the wrong type
     * @throws RescueException INVALID_ARGUMENT for a bad phone number, language or
     *         NodeId (and a NodeId over SOAP), before anything is sent; otherwise as
     *         requestLensPin()
     */
    public function requestLensPinInvite(array $fields, array $invitation): array
    {
        $strings = [];
        $request = $this->pinRequest($fields, $strings);
        $invite = $this->ffi->new('rescue_lens_invitation');
        foreach ($invitation as $name => $value) {
            if (!in_array($name, self::INVITATION_KEYS, true)) {
                throw new \InvalidArgumentException(
                    'unknown invitation key ' . self::quote($name) . '; known: ' . implode(', ', self::INVITATION_KEYS)
                );
            }
            if ($value === null) {
                continue;
            }
            if ($name === 'node_id' && is_int($value)) {
                $value = (string) $value;
            }
            if (!is_string($value)) {
                throw new \InvalidArgumentException("invitation key \"{$name}\" must be a string, not " . gettype($value));
            }
            $strings[$name] = $this->cString($this->text($value, $name));
            $invite->{$name} = $this->ffi->cast('char*', $strings[$name]);
        }
        $pin = $this->ffi->new('char[' . self::PIN_BUFFER_LEN . ']');
        $sms = $this->ffi->new('char[' . self::SMS_RESULT_BUFFER_LEN . ']');
        try {
            $this->check($this->ffi->rescue_request_lens_pin_invite(
                $this->handle(),
                \FFI::addr($request),
                \FFI::addr($invite),
                $pin,
                self::PIN_BUFFER_LEN,
                $sms,
                self::SMS_RESULT_BUFFER_LEN
            ));
        } finally {
            // The authcode is a secret and the phone number personal data: no copy lingers.
            foreach (['authcode', 'phone_number'] as $name) {
                if (isset($strings[$name])) {
                    \FFI::memset($strings[$name], 0, \FFI::sizeof($strings[$name]));
                }
            }
        }
        $result = \FFI::string($sms);
        return ['pin' => \FFI::string($pin), 'sms_result' => $result === '' ? null : $result];
    }

    /**
     * A `rescue_pin_request` of `$fields`; the C strings it points at go into `$strings`,
     * which must outlive the call.
     */
    private function pinRequest(array $fields, array &$strings): \FFI\CData
    {
        $request = $this->ffi->new('rescue_pin_request');
        foreach ($fields as $name => $value) {
            if ($name === 'notechconsole') {
                if (!is_bool($value)) {
                    throw new \InvalidArgumentException('field "notechconsole" must be a bool');
                }
                $request->notechconsole = $value;
                continue;
            }
            if ($name !== 'authcode' && !in_array($name, self::TEXT_FIELDS, true)) {
                throw new \InvalidArgumentException(
                    'unknown field ' . self::quote($name) . '; known: '
                    . implode(', ', self::TEXT_FIELDS) . ', notechconsole, authcode'
                );
            }
            if ($value === null) {
                continue;
            }
            if (!is_string($value)) {
                throw new \InvalidArgumentException("field \"{$name}\" must be a string, not " . gettype($value));
            }
            $strings[$name] = $this->cString($this->text($value, $name));
            $request->{$name} = $this->ffi->cast('char*', $strings[$name]);
        }
        return $request;
    }

    private function requestPinCode(array $fields, bool $lens): string
    {
        // The C strings: the struct only points at them, so they must outlive the call.
        $strings = [];
        $request = $this->pinRequest($fields, $strings);
        $pin = $this->ffi->new('char[' . self::PIN_BUFFER_LEN . ']');
        try {
            $function = $lens ? 'rescue_request_lens_pin' : 'rescue_request_pin';
            $this->check($this->ffi->$function($this->handle(), \FFI::addr($request), $pin, self::PIN_BUFFER_LEN));
        } finally {
            if (isset($strings['authcode'])) {
                \FFI::memset($strings['authcode'], 0, \FFI::sizeof($strings['authcode']));
            }
        }
        return \FFI::string($pin);
    }

    /** An owned, NUL-terminated copy of `$value`, released with its PHP object. */
    private function cString(string $value): \FFI\CData
    {
        $length = strlen($value);
        $buffer = $this->ffi->new('char[' . ($length + 1) . ']');
        \FFI::memcpy($buffer, $value, $length);
        return $buffer;
    }

    /**
     * `$value` if C can receive it whole. A C string ends at the first NUL, so a PHP
     * string holding one would arrive cut short: refuse it, as librescue refuses NULs.
     */
    private function text(string $value, string $name): string
    {
        if (strpos($value, "\0") !== false) {
            throw new RescueException(
                $this->ffi->rescue_status_name(Status::INVALID_ARGUMENT),
                Status::INVALID_ARGUMENT,
                "invalid argument `{$name}`: contains a NUL byte"
            );
        }
        return $value;
    }

    /** Throws the failure `$status` describes, with this thread's detail from librescue. */
    private function check(int $status): void
    {
        if ($status === Status::OK) {
            return;
        }
        $length = $this->ffi->rescue_last_error_message(null, 0);
        $message = '';
        if ($length > 0) {
            $buffer = $this->ffi->new('char[' . ($length + 1) . ']');
            $this->ffi->rescue_last_error_message($buffer, $length + 1);
            $message = \FFI::string($buffer);
        }
        $name = $this->ffi->rescue_status_name($status);
        throw new RescueException($name, $status, $message !== '' ? $message : $name);
    }

    private function handle(): \FFI\CData
    {
        if ($this->handle === null) {
            throw new \LogicException('the Rescue\\Client was not constructed');
        }
        return $this->handle;
    }

    private function free(): void
    {
        if ($this->handle !== null) {
            $this->ffi->rescue_client_free($this->handle);
            $this->handle = null;
        }
    }

    /** A bool option, or null when absent. */
    private static function boolOption(array $options, string $name): ?bool
    {
        $value = $options[$name] ?? null;
        if ($value !== null && !is_bool($value)) {
            throw new \InvalidArgumentException("option \"{$name}\" must be a bool");
        }
        return $value;
    }

    private static function stringOption(array $options, string $name): ?string
    {
        $value = $options[$name] ?? null;
        if ($value !== null && !is_string($value)) {
            throw new \InvalidArgumentException("option \"{$name}\" must be a string");
        }
        return $value;
    }

    /** Seconds as given, milliseconds as rescue_client_set_timeout_ms takes them. */
    private static function timeoutOption(array $options): ?int
    {
        $seconds = $options['timeout'] ?? null;
        if ($seconds === null) {
            return null;
        }
        if (!is_int($seconds) && !is_float($seconds)) {
            throw new \InvalidArgumentException('option "timeout" must be a number of seconds');
        }
        $ms = ceil($seconds * 1000);
        // uint32_t milliseconds; 0 reaches librescue, which refuses it with its own message.
        if (!($ms >= 0 && $ms <= 0xFFFFFFFF)) {
            throw new \InvalidArgumentException('option "timeout" must be between 0 and 4294967 seconds');
        }
        return (int) $ms;
    }

    /** true for GET, false for POST, null for the default. */
    private static function methodOption(array $options): ?bool
    {
        $method = $options['method'] ?? null;
        if ($method === null) {
            return null;
        }
        if ($method !== 'POST' && $method !== 'GET') {
            throw new \InvalidArgumentException('option "method" must be "POST" or "GET"');
        }
        return $method === 'GET';
    }

    /** The `rescue_transport` number of the `transport` option, null for the default. */
    private static function transportOption(array $options): ?int
    {
        $transport = $options['transport'] ?? null;
        if ($transport === null) {
            return null;
        }
        $index = is_string($transport) ? array_search($transport, self::TRANSPORTS, true) : false;
        if ($index === false) {
            throw new \InvalidArgumentException(
                'option "transport" must be one of "' . implode('", "', self::TRANSPORTS) . '"'
            );
        }
        return $index;
    }

    /**
     * Sends librescue's events (what was sent where, answers, timings, renewals) to
     * `$logger`, process-wide, from now on: a callable `fn(string $level, string $message)`
     * or a PSR-3 logger (any object with `log($level, $message)`; psr/log is not required).
     * Levels: 'error', 'warning', 'info', 'debug', 'trace' (a PSR-3 logger gets 'debug' for
     * 'trace'). null turns logging off. Messages never hold a password, authcode, cookie or
     * field value; a phone number shows its last two digits. The logger runs synchronously
     * inside the call being logged.
     *
     * @param callable|object|null $logger
     * @throws \InvalidArgumentException for an unknown level or a logger of the wrong type
     */
    public static function setLogger($logger, string $minLevel = 'info', ?string $library = null, ?string $header = null): void
    {
        if (!isset(self::LOG_LEVELS[$minLevel])) {
            throw new \InvalidArgumentException(
                'minimum level must be one of ' . implode(', ', array_keys(self::LOG_LEVELS))
            );
        }
        $names = array_flip(self::LOG_LEVELS);
        if ($logger === null) {
            $sink = null;
        } elseif (is_object($logger) && !($logger instanceof \Closure) && method_exists($logger, 'log')) {
            $sink = static function (string $level, string $message) use ($logger): void {
                $logger->log($level === 'trace' ? 'debug' : $level, $message);
            };
        } elseif (is_callable($logger)) {
            $sink = \Closure::fromCallable($logger);
        } else {
            throw new \InvalidArgumentException('the logger must be a callable, a PSR-3 logger or null');
        }
        $ffi = Library::load($library, $header);
        $callback = $sink === null ? null : static function ($userData, int $level, $message) use ($sink, $names): void {
            try {
                // FFI hands a const char* argument over as a PHP string already.
                $sink($names[$level] ?? 'error', is_string($message) ? $message : \FFI::string($message));
            } catch (\Throwable $e) {
                // An exception must not unwind into librescue.
            }
        };
        $status = $ffi->rescue_set_log_callback($callback, null, self::LOG_LEVELS[$minLevel]);
        if ($status !== Status::OK) {
            throw new RescueException((string) $ffi->rescue_status_name($status), $status, 'rescue_set_log_callback failed');
        }
        // Keep the previous callback alive too: a thread may still be inside it.
        self::$logCallback = $callback ?? self::$logCallback;
    }

    /** @param int|string $key */
    private static function quote($key): string
    {
        return is_string($key) ? "\"{$key}\"" : (string) $key;
    }
}
