using System;
using System.Threading;
using System.Threading.Tasks;

namespace Librescue
{
    /// <summary>
    /// A client of the LogMeIn Rescue API: its settings, connection pool and login session,
    /// held by librescue (the C library this binds). One client may be used by many threads at
    /// once. Dispose it when done; a client never disposed is freed by its finalizer.
    /// Every failure throws a <see cref="RescueException"/> (service, network) or a
    /// <see cref="RescueArgumentException"/> (nothing was sent). A PIN is a string: keep its
    /// leading zeros.
    /// </summary>
    public sealed class RescueClient : IDisposable
    {
        private delegate uint PinFunction(ClientHandle client, ref NativePinRequest request,
            byte[] pinOut, UIntPtr pinOutLen);

        private readonly ClientHandle handle;

        /// <summary>A client of the public service with every default.</summary>
        public RescueClient() : this(new RescueClientOptions())
        {
        }

        /// <summary>A client of the service at <paramref name="baseUrl"/> (null: the public service).</summary>
        public RescueClient(string baseUrl) : this(new RescueClientOptions { BaseUrl = baseUrl })
        {
        }

        /// <summary>A client set up by <paramref name="options"/>. Sends nothing.</summary>
        public RescueClient(RescueClientOptions options)
        {
            if (options == null)
            {
                throw new ArgumentNullException("options");
            }
            ClientHandle created;
            using (Utf8Strings strings = new Utf8Strings())
            {
                IntPtr url = strings.Add(options.BaseUrl, "base_url", "options");
                uint status = Native.rescue_client_new(url, out created);
                if (status != 0)
                {
                    created.Dispose();
                    Native.Check(status);
                }
            }
            handle = created;
            try
            {
                Configure(options);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        /// <summary>librescue's version, e.g. <c>"0.1.0"</c> (the loaded native library's).</summary>
        public static string LibraryVersion
        {
            get { return Native.Version(); }
        }

        /// <summary>
        /// <c>login.aspx</c>: starts a login session, kept by this client. The credentials are
        /// kept by librescue (zeroed when released) to renew the session.
        /// </summary>
        public void Login(string email, string password)
        {
            ClientHandle client = Live();
            Required(email, "email");
            Required(password, "password");
            using (Utf8Strings strings = new Utf8Strings())
            {
                IntPtr e = strings.Add(email, "email", "email");
                IntPtr p = strings.Add(password, "password", "password");
                Native.Check(Native.rescue_login(client, e, p));
            }
        }

        /// <summary><c>logout.aspx</c>: ends the login session and forgets the credentials.</summary>
        public void Logout()
        {
            Native.Check(Native.rescue_logout(Live()));
        }

        /// <summary>
        /// <c>requestAuthCode.aspx</c>: the account's secret authcode, which authenticates PIN
        /// requests without a login session (<see cref="PinRequest.AuthCode"/>). Keep it secret.
        /// </summary>
        public string RequestAuthCode(string email, string password)
        {
            ClientHandle client = Live();
            Required(email, "email");
            Required(password, "password");
            using (Utf8Strings strings = new Utf8Strings())
            {
                IntPtr e = strings.Add(email, "email", "email");
                IntPtr p = strings.Add(password, "password", "password");
                byte[] code = new byte[128];
                try
                {
                    uint status = Native.rescue_request_auth_code(client, e, p, code, (UIntPtr)code.Length);
                    if (status == (uint)RescueStatus.BufferTooSmall)
                    {
                        // Longer than any seen: ask again with room to spare.
                        code = new byte[4096];
                        status = Native.rescue_request_auth_code(client, e, p, code, (UIntPtr)code.Length);
                    }
                    Native.Check(status);
                    return Native.FromBuffer(code);
                }
                finally
                {
                    Array.Clear(code, 0, code.Length);
                }
            }
        }

        /// <summary>
        /// <c>requestLensPINCode.aspx</c>: a PIN code for a Rescue Lens (phone camera) session.
        /// <paramref name="request"/> null: no fields, authenticated by the login session.
        /// </summary>
        public string RequestLensPin(PinRequest request = null)
        {
            return Pin(Native.rescue_request_lens_pin, request);
        }

        /// <summary><c>requestPINCode.aspx</c>: a PIN code for a desktop session; as <see cref="RequestLensPin"/>.</summary>
        public string RequestPin(PinRequest request = null)
        {
            return Pin(Native.rescue_request_pin, request);
        }

        /// <summary>
        /// <c>requestLensPINCode</c> with an invitation: <c>_v3</c> when it has a phone number or
        /// a language (the service texts the PIN to the customer), <c>_v4</c> when it has a
        /// NodeId (a PIN for that technician), the plain page when it is null or empty; over
        /// SOAP, <c>requestLensPINCodeV3</c>. An SMS that failed is not an exception: see
        /// <see cref="LensPinResult.SmsResult"/>.
        /// </summary>
        public LensPinResult RequestLensPinInvite(PinRequest request, LensInvitation invitation)
        {
            ClientHandle client = Live();
            using (Utf8Strings strings = new Utf8Strings())
            {
                NativePinRequest c = NativePinRequest.From(request, strings);
                NativeLensInvitation i = NativeLensInvitation.From(invitation, strings);
                byte[] pin = new byte[Native.PinBufferLength];
                byte[] sms = new byte[Native.SmsResultBufferLength];
                Native.Check(Native.rescue_request_lens_pin_invite(client, ref c, ref i,
                    pin, (UIntPtr)pin.Length, sms, (UIntPtr)sms.Length));
                string smsResult = Native.FromBuffer(sms);
                return new LensPinResult(Native.FromBuffer(pin), smsResult.Length == 0 ? null : smsResult);
            }
        }

        // ===== async =====
        // Each runs the blocking call on the thread pool. The token is honoured until the call
        // starts; a started call runs to its end or to the client's timeout.

        /// <summary><see cref="Login"/> on the thread pool.</summary>
        public Task LoginAsync(string email, string password,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            return Start(() => { Login(email, password); return true; }, cancellationToken);
        }

        /// <summary><see cref="Logout"/> on the thread pool.</summary>
        public Task LogoutAsync(CancellationToken cancellationToken = default(CancellationToken))
        {
            return Start(() => { Logout(); return true; }, cancellationToken);
        }

        /// <summary><see cref="RequestAuthCode"/> on the thread pool.</summary>
        public Task<string> RequestAuthCodeAsync(string email, string password,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            return Start(() => RequestAuthCode(email, password), cancellationToken);
        }

        /// <summary><see cref="RequestLensPin"/> on the thread pool.</summary>
        public Task<string> RequestLensPinAsync(PinRequest request = null,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            return Start(() => RequestLensPin(request), cancellationToken);
        }

        /// <summary><see cref="RequestPin"/> on the thread pool.</summary>
        public Task<string> RequestPinAsync(PinRequest request = null,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            return Start(() => RequestPin(request), cancellationToken);
        }

        /// <summary><see cref="RequestLensPinInvite"/> on the thread pool.</summary>
        public Task<LensPinResult> RequestLensPinInviteAsync(PinRequest request, LensInvitation invitation,
            CancellationToken cancellationToken = default(CancellationToken))
        {
            return Start(() => RequestLensPinInvite(request, invitation), cancellationToken);
        }

        /// <summary>
        /// Frees the native client: its connections and session (not logged out: call
        /// <see cref="Logout"/> first to end it on the service). A call running on another
        /// thread finishes first. Later calls throw <see cref="ObjectDisposedException"/>.
        /// </summary>
        public void Dispose()
        {
            handle.Dispose();
        }

        private static Task<T> Start<T>(Func<T> call, CancellationToken cancellationToken)
        {
            // Task.Run checks the token before it runs the delegate; the delegate checks it
            // again in case it was cancelled while queued.
            return Task.Run(() =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return call();
            }, cancellationToken);
        }

        private void Configure(RescueClientOptions options)
        {
            if (options.Timeout.HasValue)
            {
                Native.Check(Native.rescue_client_set_timeout_ms(handle, Milliseconds(options.Timeout.Value)));
            }
            if (options.LoginLimitCooldown.HasValue)
            {
                Native.Check(Native.rescue_client_set_login_limit_cooldown_ms(handle,
                    Milliseconds(options.LoginLimitCooldown.Value)));
            }
            Native.Check(Native.rescue_client_set_transport(handle, (uint)options.Transport));
            Native.Check(Native.rescue_client_set_system_roots(handle, options.SystemRoots));
            Native.Check(Native.rescue_client_set_renew_session(handle, options.RenewSession));
            Native.Check(Native.rescue_client_set_allow_plain_http(handle, options.AllowPlainHttp));
            using (Utf8Strings strings = new Utf8Strings())
            {
                if (options.CaFile != null)
                {
                    IntPtr path = strings.Add(options.CaFile, "pem_path", "options");
                    Native.Check(Native.rescue_client_set_ca_file(handle, path));
                }
                if (options.Proxy != null)
                {
                    IntPtr proxy = strings.Add(options.Proxy, "proxy_url", "options");
                    Native.Check(Native.rescue_client_set_proxy(handle, proxy));
                }
            }
        }

        private string Pin(PinFunction function, PinRequest request)
        {
            ClientHandle client = Live();
            using (Utf8Strings strings = new Utf8Strings())
            {
                NativePinRequest c = NativePinRequest.From(request, strings);
                byte[] pin = new byte[Native.PinBufferLength];
                Native.Check(function(client, ref c, pin, (UIntPtr)pin.Length));
                return Native.FromBuffer(pin);
            }
        }

        /// <summary>
        /// The handle, or ObjectDisposedException. A Dispose racing with the call that follows
        /// is safe: the marshaller refuses a closed handle with the same exception.
        /// </summary>
        private ClientHandle Live()
        {
            if (handle.IsClosed)
            {
                throw new ObjectDisposedException(typeof(RescueClient).FullName);
            }
            return handle;
        }

        private static void Required(string value, string name)
        {
            if (value == null)
            {
                throw new ArgumentNullException(name);
            }
        }

        // Rounded up, so a positive span never becomes the refused 0; clamped to uint.
        private static uint Milliseconds(TimeSpan span)
        {
            double ms = Math.Ceiling(span.TotalMilliseconds);
            if (ms <= 0)
            {
                return 0;
            }
            return ms >= uint.MaxValue ? uint.MaxValue : (uint)ms;
        }
    }
}
