using System;

namespace Librescue
{
    /// <summary>
    /// The parameters of a PIN request (<c>requestLensPINCode</c>, <c>requestPINCode</c>).
    /// Every member is optional: null is not sent. Limits, counted in characters (checked by
    /// librescue before sending, <see cref="RescueFieldTooLongException"/>): CField0 64,
    /// CField1 512, CField2 512, CField3 256, CField4 64, CField5 64, Tracking0 64.
    /// </summary>
    public sealed class PinRequest
    {
        /// <summary>Custom field 0, e.g. the customer's name.</summary>
        public string CField0 { get; set; }

        /// <summary>Custom field 1.</summary>
        public string CField1 { get; set; }

        /// <summary>Custom field 2.</summary>
        public string CField2 { get; set; }

        /// <summary>Custom field 3.</summary>
        public string CField3 { get; set; }

        /// <summary>Custom field 4.</summary>
        public string CField4 { get; set; }

        /// <summary>Custom field 5.</summary>
        public string CField5 { get; set; }

        /// <summary>The tracking field, e.g. a ticket number.</summary>
        public string Tracking0 { get; set; }

        /// <summary>True: the PIN may be created while the technician's console is not running.</summary>
        public bool NoTechConsole { get; set; }

        /// <summary>
        /// A secret authcode (<see cref="RescueClient.RequestAuthCode"/>) that authenticates this
        /// request instead of the login session; null to use the session.
        /// </summary>
        public string AuthCode { get; set; }
    }

    /// <summary>
    /// What a Lens PIN request adds for an invitation (<see cref="RescueClient.RequestLensPinInvite"/>).
    /// Every member is optional (null). librescue checks them before sending.
    /// </summary>
    public sealed class LensInvitation
    {
        /// <summary>
        /// The customer's phone number: the service texts the PIN and its join link there. At
        /// most 32 characters, no control characters; the service decides what is valid.
        /// Personal data: never in exception messages. Null: no SMS.
        /// </summary>
        public string PhoneNumber { get; set; }

        /// <summary>The invitation's language: de, en, es, fr, nl or pt-br (any case). Null: the service's default (en).</summary>
        public string LangCode { get; set; }

        /// <summary>
        /// The technician the PIN is created for (NodeId, decimal digits); HTTP POST and GET
        /// only (INVALID_ARGUMENT over SOAP). Null: the calling technician.
        /// </summary>
        public string NodeId { get; set; }
    }

    /// <summary>A Lens PIN and what the service said about its invitation SMS.</summary>
    public sealed class LensPinResult
    {
        internal LensPinResult(string pin, string smsResult)
        {
            Pin = pin;
            SmsResult = smsResult;
        }

        /// <summary>The six-digit PIN (leading zeros kept).</summary>
        public string Pin { get; private set; }

        /// <summary>
        /// The service's word about the SMS, as text: <c>sendInvitationForMobileSession_OK</c>
        /// when it was sent; any other word means it was not, and the PIN is still valid. Null
        /// when the answer had none (no phone number, or the plain request).
        /// </summary>
        public string SmsResult { get; private set; }
    }

    /// <summary>
    /// How a <see cref="RescueClient"/> is set up; read once, by its constructor. Null (or the
    /// default) keeps librescue's default.
    /// </summary>
    public sealed class RescueClientOptions
    {
        /// <summary>Creates options with every default.</summary>
        public RescueClientOptions()
        {
            RenewSession = true;
        }

        /// <summary>
        /// The API's base URL, e.g. <c>http://127.0.0.1:8080/API/</c> for the sandbox; null: the
        /// public service, <c>https://secure.logmeinrescue.com/API/</c>.
        /// </summary>
        public string BaseUrl { get; set; }

        /// <summary>
        /// The longest one call may take, a session renewal and its retry included (default
        /// 30 s). Rounded up to whole milliseconds; zero or negative is refused.
        /// </summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>How calls travel (default <see cref="RescueTransport.HttpPost"/>).</summary>
        public RescueTransport Transport { get; set; }

        /// <summary>A PEM file whose certificates are trusted instead of the built-in roots (read at construction).</summary>
        public string CaFile { get; set; }

        /// <summary>
        /// True: trust the system's certificate store (Windows store, macOS keychain, Linux
        /// bundle) instead of the built-in Mozilla roots, for networks that re-sign TLS. A
        /// <see cref="CaFile"/> wins over both. Default false.
        /// </summary>
        public bool SystemRoots { get; set; }

        /// <summary>
        /// Every request through this proxy (<c>http://host:port</c>, <c>socks5://…</c>); null:
        /// <c>HTTPS_PROXY</c>, <c>HTTP_PROXY</c>, <c>ALL_PROXY</c> and <c>NO_PROXY</c> apply.
        /// </summary>
        public string Proxy { get; set; }

        /// <summary>
        /// True (default): a PIN request answered NOTLOGGEDIN logs in again with the last
        /// successful <see cref="RescueClient.Login"/>'s credentials and is retried once.
        /// </summary>
        public bool RenewSession { get; set; }

        /// <summary>
        /// After a renewal login answered LIMITREACHED, how long no renewal is tried (default
        /// 3 minutes, the service's window); set it shorter only in tests against the sandbox.
        /// </summary>
        public TimeSpan? LoginLimitCooldown { get; set; }

        /// <summary>
        /// True: allow a plain <c>http://</c> base URL to another machine. False (default): such
        /// calls fail with INVALID_ARGUMENT before sending, so credentials never travel in clear
        /// text by accident. Loopback is always allowed.
        /// </summary>
        public bool AllowPlainHttp { get; set; }
    }
}
