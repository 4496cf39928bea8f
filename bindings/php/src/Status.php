<?php

declare(strict_types=1);

namespace Rescue;

/**
 * The numbers of `rescue_status` in rescue.h, as {@see RescueException::getCode()} gives
 * them. 0–13 are the service's documented words, 100 and up failures on this side. The
 * numbers are stable; the constant names are what {@see RescueException::getStatus()} says.
 */
final class Status
{
    /** The call succeeded (never thrown). */
    public const OK = 0;
    /** An unspecified error on the service, such as a timeout. */
    public const ERROR = 1;
    /** A wrong input value, e.g. the email or password. */
    public const INVALID = 2;
    /** Login was called more than ten times in three minutes; use an authcode. */
    public const LIMITREACHED = 3;
    /** Not logged in, or the session expired (20 idle minutes). */
    public const NOTLOGGEDIN = 4;
    /** The account is not a technician. */
    public const NOTTECHNICIAN = 5;
    /** The technician is offline and the console is not running (use `notechconsole`). */
    public const NOTECHCONSOLERUNNING = 6;
    /** No more PIN codes can be generated. */
    public const OUTOFPINCODES = 7;
    /** PINs requested too often: the service allows one per second. */
    public const POLLRATEEXCEEDED = 8;
    /** The authcode is incorrect. */
    public const INVALID_SECRETAUTHCODE = 9;
    /** The authcode's user is deleted. */
    public const USER_IS_DELETED = 10;
    /** The authcode's user is deleted or disabled. */
    public const USER_DELETED_OR_DISABLED = 11;
    /** The user may not use Rescue Lens. */
    public const NO_ACCESS_TO_LENS = 12;
    /** The account only accepts logins from listed IP addresses (SOAP login only). */
    public const GLOBAL_IP_RESTRICTED = 13;
    /** An argument can't be sent (a NUL byte, invalid UTF-8, a bad URL or CA file). */
    public const INVALID_ARGUMENT = 100;
    /** A field is longer than documented; nothing was sent. */
    public const FIELD_TOO_LONG = 101;
    /** An output buffer was too small (the PHP layer retries; seen only from C). */
    public const BUFFER_TOO_SMALL = 102;
    /** DNS, connect, proxy or I/O failure, or the connection closed without an answer. */
    public const NETWORK = 103;
    /** The call did not finish within its timeout. */
    public const TIMEOUT = 104;
    /** The TLS handshake failed, e.g. an untrusted certificate. */
    public const TLS = 105;
    /** The service answered an HTTP status other than 200. */
    public const HTTP_STATUS = 106;
    /** An answer the documentation doesn't describe, or one over 64 KiB. */
    public const UNEXPECTED_RESPONSE = 107;
    /** A bug inside librescue was caught at the boundary. */
    public const PANIC = 108;
    /** Over SOAP, the service answered a soap:Fault (HTTP 500). */
    public const SOAP_FAULT = 109;

    private function __construct()
    {
    }
}
