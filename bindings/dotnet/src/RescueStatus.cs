namespace Librescue
{
    /// <summary>
    /// Why a call failed: the C library's <c>rescue_status</c> numbers, unchanged. 0–13 are the
    /// service's documented words, 100 and up are failures on this side. The numbers are stable
    /// and shared with C, C++, Python and PHP; a retired number is never reused.
    /// </summary>
    public enum RescueStatus
    {
        /// <summary><c>OK</c>: success (never carried by an exception).</summary>
        Ok = 0,
        /// <summary><c>ERROR</c>: an unspecified error on the service, such as a timeout.</summary>
        Error = 1,
        /// <summary><c>INVALID</c>: a wrong input value, e.g. bad credentials.</summary>
        Invalid = 2,
        /// <summary><c>LIMITREACHED</c>: more than ten logins in three minutes; use an authcode.</summary>
        LimitReached = 3,
        /// <summary><c>NOTLOGGEDIN</c>: no (or an expired) login session.</summary>
        NotLoggedIn = 4,
        /// <summary><c>NOTTECHNICIAN</c>: the account is not a technician.</summary>
        NotTechnician = 5,
        /// <summary><c>NOTECHCONSOLERUNNING</c>: the technician is offline (set <see cref="PinRequest.NoTechConsole"/>).</summary>
        NoTechConsoleRunning = 6,
        /// <summary><c>OUTOFPINCODES</c>: no more PIN codes can be generated.</summary>
        OutOfPinCodes = 7,
        /// <summary><c>POLLRATEEXCEEDED</c>: PINs requested too often (one per second is allowed).</summary>
        PollRateExceeded = 8,
        /// <summary><c>INVALID_SECRETAUTHCODE</c>: the authcode is incorrect.</summary>
        InvalidSecretAuthCode = 9,
        /// <summary><c>USER_IS_DELETED</c>: the authcode's user is deleted.</summary>
        UserIsDeleted = 10,
        /// <summary><c>USER_DELETED_OR_DISABLED</c>: the authcode's user is deleted or disabled.</summary>
        UserDeletedOrDisabled = 11,
        /// <summary><c>NO_ACCESS_TO_LENS</c>: the user may not use Rescue Lens.</summary>
        NoAccessToLens = 12,
        /// <summary><c>GLOBAL_IP_RESTRICTED</c>: the account only accepts logins from listed IP addresses (SOAP login only).</summary>
        GlobalIpRestricted = 13,
        /// <summary>An argument can't be sent: a NUL character, invalid UTF-16, a bad URL or CA file. Nothing sent.</summary>
        InvalidArgument = 100,
        /// <summary>A PIN request field is longer than the service allows. Nothing sent.</summary>
        FieldTooLong = 101,
        /// <summary>(C) an output buffer is too small; this binding sizes its buffers, so it does not occur here.</summary>
        BufferTooSmall = 102,
        /// <summary>The service could not be reached (DNS, connect, proxy, I/O).</summary>
        Network = 103,
        /// <summary>The call did not finish within the timeout.</summary>
        Timeout = 104,
        /// <summary>The TLS handshake failed, e.g. an untrusted certificate.</summary>
        Tls = 105,
        /// <summary>The service answered an HTTP status other than 200.</summary>
        HttpStatus = 106,
        /// <summary>The answer is not one the documentation describes.</summary>
        UnexpectedResponse = 107,
        /// <summary>A bug in librescue was caught at its boundary; the call did not complete.</summary>
        Panic = 108,
        /// <summary>Over SOAP, the service answered a <c>soap:Fault</c> (HTTP 500).</summary>
        SoapFault = 109,
    }

    /// <summary>How calls travel: the C library's <c>rescue_transport</c> numbers.</summary>
    public enum RescueTransport
    {
        /// <summary>The <c>.aspx</c> pages with a form body (default): secrets stay out of URLs.</summary>
        HttpPost = 0,
        /// <summary>The <c>.aspx</c> pages with a query string.</summary>
        HttpGet = 1,
        /// <summary><c>API.asmx</c>, SOAP 1.1.</summary>
        Soap11 = 2,
        /// <summary><c>API.asmx</c>, SOAP 1.2.</summary>
        Soap12 = 3,
    }

    /// <summary>The service's spelling of a status.</summary>
    public static class RescueStatusExtensions
    {
        /// <summary>
        /// The name librescue gives <paramref name="status"/> in every language: the service's
        /// word (<c>"NOTLOGGEDIN"</c>) or the client-side name (<c>"FIELD_TOO_LONG"</c>);
        /// <c>"UNKNOWN"</c> for a number librescue does not know.
        /// </summary>
        public static string ToStatusName(this RescueStatus status)
        {
            return Native.StatusName(status);
        }
    }
}
