using System;

namespace Librescue
{
    /// <summary>
    /// What every librescue exception has: the status number and its name. Implemented by
    /// <see cref="RescueException"/> (the service and the network) and by
    /// <see cref="RescueArgumentException"/> (bad arguments, an <see cref="ArgumentException"/>),
    /// so <c>catch (Exception e) when (e is IRescueError)</c> catches both.
    /// </summary>
    public interface IRescueError
    {
        /// <summary>Why the call failed.</summary>
        RescueStatus Status { get; }

        /// <summary>The status's name in every language: <c>"NOTLOGGEDIN"</c>, <c>"FIELD_TOO_LONG"</c>…</summary>
        string StatusName { get; }
    }

    /// <summary>
    /// A call failed: the service answered a word other than OK, or the network, TLS or the
    /// answer failed. The message is librescue's detail for the calling thread; it never holds
    /// a password, authcode, cookie or proxy credential. Subclasses group what callers handle
    /// apart; every other status (ERROR, NOTTECHNICIAN, NOTECHCONSOLERUNNING, OUTOFPINCODES,
    /// NO_ACCESS_TO_LENS, HTTP_STATUS, UNEXPECTED_RESPONSE, SOAP_FAULT…) is this class itself.
    /// Bad arguments are <see cref="RescueArgumentException"/>s instead, as .NET expects.
    /// </summary>
    public class RescueException : Exception, IRescueError
    {
        /// <summary>An exception for <paramref name="status"/> with librescue's message.</summary>
        public RescueException(RescueStatus status, string message) : base(message)
        {
            Status = status;
        }

        /// <inheritdoc/>
        public RescueStatus Status { get; private set; }

        /// <inheritdoc/>
        public string StatusName
        {
            get { return Status.ToStatusName(); }
        }

        /// <summary>The exception class for <paramref name="status"/>; one place decides them all.</summary>
        internal static Exception For(RescueStatus status, string message)
        {
            switch (status)
            {
                case RescueStatus.Invalid:
                case RescueStatus.NotLoggedIn:
                case RescueStatus.InvalidSecretAuthCode:
                case RescueStatus.UserIsDeleted:
                case RescueStatus.UserDeletedOrDisabled:
                case RescueStatus.GlobalIpRestricted:
                    return new RescueAuthenticationException(status, message);
                case RescueStatus.LimitReached:
                case RescueStatus.PollRateExceeded:
                    return new RescueRateLimitException(status, message);
                case RescueStatus.Network:
                case RescueStatus.Tls:
                    return new RescueNetworkException(status, message);
                case RescueStatus.Timeout:
                    return new RescueTimeoutException(message);
                case RescueStatus.InvalidArgument:
                    return new RescueArgumentException(status, message, null);
                case RescueStatus.FieldTooLong:
                    return new RescueFieldTooLongException(message);
                default:
                    return new RescueException(status, message);
            }
        }
    }

    /// <summary>
    /// The credentials or the authcode were refused, or there is no login session:
    /// INVALID (at login), NOTLOGGEDIN, INVALID_SECRETAUTHCODE, USER_IS_DELETED,
    /// USER_DELETED_OR_DISABLED, GLOBAL_IP_RESTRICTED.
    /// </summary>
    public class RescueAuthenticationException : RescueException
    {
        /// <summary>An authentication failure with librescue's message.</summary>
        public RescueAuthenticationException(RescueStatus status, string message) : base(status, message)
        {
        }
    }

    /// <summary>
    /// The service's rate limits: LIMITREACHED (more than ten logins in three minutes: use an
    /// authcode) and POLLRATEEXCEEDED (one PIN per second).
    /// </summary>
    public class RescueRateLimitException : RescueException
    {
        /// <summary>A rate limit with librescue's message.</summary>
        public RescueRateLimitException(RescueStatus status, string message) : base(status, message)
        {
        }
    }

    /// <summary>The service could not be reached (NETWORK) or TLS failed (TLS); see <see cref="RescueTimeoutException"/>.</summary>
    public class RescueNetworkException : RescueException
    {
        /// <summary>A network failure with librescue's message.</summary>
        public RescueNetworkException(RescueStatus status, string message) : base(status, message)
        {
        }
    }

    /// <summary>The call did not finish within <see cref="RescueClientOptions.Timeout"/> (TIMEOUT).</summary>
    public class RescueTimeoutException : RescueNetworkException
    {
        /// <summary>A timeout with librescue's message.</summary>
        public RescueTimeoutException(string message) : base(RescueStatus.Timeout, message)
        {
        }
    }

    /// <summary>
    /// An argument can't be sent (INVALID_ARGUMENT): a NUL character or a lone surrogate in a
    /// string, a bad base URL, proxy URL or CA file, a zero timeout, plain http:// to another
    /// machine without <see cref="RescueClientOptions.AllowPlainHttp"/>. Nothing was sent.
    /// An <see cref="ArgumentException"/>, so it is not a <see cref="RescueException"/>.
    /// </summary>
    public class RescueArgumentException : ArgumentException, IRescueError
    {
        /// <summary>An argument failure; <paramref name="paramName"/> is the .NET parameter, when known.</summary>
        public RescueArgumentException(RescueStatus status, string message, string paramName)
            : base(message, paramName)
        {
            Status = status;
        }

        /// <inheritdoc/>
        public RescueStatus Status { get; private set; }

        /// <inheritdoc/>
        public string StatusName
        {
            get { return Status.ToStatusName(); }
        }
    }

    /// <summary>
    /// A PIN request field is longer than the service allows (FIELD_TOO_LONG), counted in
    /// characters (Unicode scalar values); the message names the field and its limit. Nothing
    /// was sent.
    /// </summary>
    public class RescueFieldTooLongException : RescueArgumentException
    {
        /// <summary>A field-length failure with librescue's message.</summary>
        public RescueFieldTooLongException(string message)
            : base(RescueStatus.FieldTooLong, message, "request")
        {
        }
    }
}
