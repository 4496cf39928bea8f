// Every call over every transport, the options, and the native library's names.
using System;
using System.Threading;
using Librescue;

namespace Librescue.Tests
{
    internal static class CallTests
    {
        internal static void Register()
        {
            Runner.Add("version is the crate's", Version);
            Runner.Add("every RescueStatus number has librescue's name", StatusNames);
            foreach (RescueTransport transport in Clients.Transports)
            {
                RescueTransport t = transport;
                Runner.Add("login, Lens PIN, desktop PIN, logout over " + t, () => SessionFlow(t));
                Runner.Add("authcode, then PINs without a session over " + t, () => AuthCodeFlow(t));
            }
            Runner.Add("an expired session is renewed; RenewSession=false fails", Renewal);
            Runner.Add("LoginLimitCooldown: renewal refused LIMITREACHED cools down", Cooldown);
            Runner.Add("CA file, system roots and the TLS refusal", Tls);
            Runner.Add("bad options are RescueArgumentExceptions at construction", BadOptions);
            Runner.Add("plain http:// to another machine is refused unless allowed", PlainHttp);
            Runner.Add("a proxy that refuses is a network error", Proxy);
        }

        private static void Version()
        {
            string expected = Env.Get("RESCUE_VERSION");
            Assert.Equal(expected, RescueClient.LibraryVersion, "rescue_version()");
        }

        private static void StatusNames()
        {
            // The README's table: the C numbers and the names every language shares.
            object[] table =
            {
                RescueStatus.Ok, 0, "OK", RescueStatus.Error, 1, "ERROR", RescueStatus.Invalid, 2, "INVALID",
                RescueStatus.LimitReached, 3, "LIMITREACHED", RescueStatus.NotLoggedIn, 4, "NOTLOGGEDIN",
                RescueStatus.NotTechnician, 5, "NOTTECHNICIAN",
                RescueStatus.NoTechConsoleRunning, 6, "NOTECHCONSOLERUNNING",
                RescueStatus.OutOfPinCodes, 7, "OUTOFPINCODES", RescueStatus.PollRateExceeded, 8, "POLLRATEEXCEEDED",
                RescueStatus.InvalidSecretAuthCode, 9, "INVALID_SECRETAUTHCODE",
                RescueStatus.UserIsDeleted, 10, "USER_IS_DELETED",
                RescueStatus.UserDeletedOrDisabled, 11, "USER_DELETED_OR_DISABLED",
                RescueStatus.NoAccessToLens, 12, "NO_ACCESS_TO_LENS",
                RescueStatus.GlobalIpRestricted, 13, "GLOBAL_IP_RESTRICTED",
                RescueStatus.InvalidArgument, 100, "INVALID_ARGUMENT", RescueStatus.FieldTooLong, 101, "FIELD_TOO_LONG",
                RescueStatus.BufferTooSmall, 102, "BUFFER_TOO_SMALL", RescueStatus.Network, 103, "NETWORK",
                RescueStatus.Timeout, 104, "TIMEOUT", RescueStatus.Tls, 105, "TLS",
                RescueStatus.HttpStatus, 106, "HTTP_STATUS", RescueStatus.UnexpectedResponse, 107, "UNEXPECTED_RESPONSE",
                RescueStatus.Panic, 108, "PANIC", RescueStatus.SoapFault, 109, "SOAP_FAULT",
            };
            Assert.Equal(Enum.GetValues(typeof(RescueStatus)).Length, table.Length / 3, "every member in the table");
            for (int i = 0; i < table.Length; i += 3)
            {
                RescueStatus status = (RescueStatus)table[i];
                Assert.Equal((int)table[i + 1], (int)status, status + " number");
                Assert.Equal((string)table[i + 2], status.ToStatusName(), status + " name from librescue");
            }
            // A number C does not know: librescue says so, nothing breaks.
            Assert.Equal("UNKNOWN", ((RescueStatus)14).ToStatusName(), "14");
            Assert.Equal("UNKNOWN", ((RescueStatus)110).ToStatusName(), "110");
        }

        private static void SessionFlow(RescueTransport transport)
        {
            using (RescueClient client = Clients.New(transport))
            {
                client.Login(Accounts.Tech, Accounts.Password);
                string lensName = Clients.Unique("lens");
                string lens = client.RequestLensPin(new PinRequest { CField0 = lensName, Tracking0 = "T-1" });
                Assert.Pin(lens, "Lens PIN");
                string record = Sandbox.Record(lensName);
                Assert.True(record != null, "the Lens session is recorded");
                Assert.True(record.Contains("\"pin\":\"" + lens + "\""), "the recorded PIN is the one returned: " + record);
                Assert.True(record.Contains("\"kind\":\"lens\""), "kind lens: " + record);
                Assert.True(record.Contains("\"tracking0\":\"T-1\""), "tracking0: " + record);
                Assert.True(record.Contains("\"transport\":\"" + Clients.SandboxName(transport) + "\""),
                    "sent over " + transport + ": " + record);

                string desktopName = Clients.Unique("desktop");
                string desktop = client.RequestPin(new PinRequest { CField0 = desktopName });
                Assert.Pin(desktop, "desktop PIN");
                record = Sandbox.Record(desktopName);
                Assert.True(record != null && record.Contains("\"kind\":\"desktop\""), "desktop session: " + record);

                Assert.Pin(client.RequestLensPin(), "Lens PIN without a request");
                client.Logout();
                Assert.Status<RescueAuthenticationException>(RescueStatus.NotLoggedIn,
                    () => client.RequestLensPin(), "after logout");
                Assert.Status<RescueAuthenticationException>(RescueStatus.NotLoggedIn,
                    () => client.Logout(), "second logout");
            }
        }

        private static void AuthCodeFlow(RescueTransport transport)
        {
            using (RescueClient client = Clients.New(transport))
            {
                string code = client.RequestAuthCode(Accounts.Tech, Accounts.Password);
                Assert.Equal(Accounts.TechAuthCode, code, "the account's authcode");
                string name = Clients.Unique("authcode");
                string pin = client.RequestPin(new PinRequest { CField0 = name, AuthCode = code, NoTechConsole = true });
                Assert.Pin(pin, "PIN by authcode");
                string record = Sandbox.Record(name);
                Assert.True(record != null && record.Contains("\"technician\":\"tech@sandbox.test\"")
                    && record.Contains("\"notechconsole\":\"1\""), "recorded with notechconsole: " + record);
                Assert.Pin(client.RequestLensPin(new PinRequest { AuthCode = code }), "Lens PIN by authcode");
            }
        }

        private static void Renewal()
        {
            using (RescueClient client = Clients.LoggedIn(Accounts.Tech))
            {
                Sandbox.Post(Env.Url, "expire");
                Assert.Pin(client.RequestLensPin(), "renewed by default");
            }
            RescueClientOptions options = new RescueClientOptions { BaseUrl = Env.Url, RenewSession = false };
            using (RescueClient client = new RescueClient(options))
            {
                client.Login(Accounts.Tech, Accounts.Password);
                Sandbox.Post(Env.Url, "expire");
                Assert.Status<RescueAuthenticationException>(RescueStatus.NotLoggedIn,
                    () => client.RequestLensPin(), "RenewSession = false");
            }
        }

        /// <summary>How many logins of tech@ the sandbox answered LIMITREACHED.</summary>
        private static int LimitReachedLogins()
        {
            string logins = Sandbox.Logins();
            int account = logins.IndexOf("\"" + Accounts.Tech + "\":{", StringComparison.Ordinal);
            if (account < 0)
            {
                return 0;
            }
            int end = logins.IndexOf('}', account);
            int at = logins.IndexOf("\"LIMITREACHED\":", account, StringComparison.Ordinal);
            if (at < 0 || at > end)
            {
                return 0;
            }
            at += "\"LIMITREACHED\":".Length;
            int stop = at;
            while (char.IsDigit(logins[stop]))
            {
                stop++;
            }
            return int.Parse(logins.Substring(at, stop - at));
        }

        // Each client logs in, ten more logins fill the sandbox's window (10 per 2 s here),
        // the session expires: the renewal login is refused LIMITREACHED. The next PIN request
        // then sends a renewal login again only when the cool-down has passed.
        private static void Cooldown()
        {
            foreach (bool shortCooldown in new[] { false, true })
            {
                Sandbox.Post(Env.Url, "reset");
                RescueClientOptions options = new RescueClientOptions { BaseUrl = Env.Url };
                if (shortCooldown)
                {
                    options.LoginLimitCooldown = TimeSpan.FromMilliseconds(1);
                }
                using (RescueClient client = new RescueClient(options))
                using (RescueClient other = Clients.New())
                {
                    client.Login(Accounts.Tech, Accounts.Password);
                    for (int i = 0; i < 9; i++)
                    {
                        other.Login(Accounts.Tech, Accounts.Password);
                    }
                    Sandbox.Post(Env.Url, "expire");
                    Assert.Status<RescueRateLimitException>(RescueStatus.LimitReached,
                        () => client.RequestLensPin(), "renewal refused");
                    Assert.Equal(1, LimitReachedLogins(), "one renewal login refused");
                    Thread.Sleep(20);
                    Assert.Status<RescueRateLimitException>(RescueStatus.LimitReached,
                        () => client.RequestLensPin(), "again");
                    Assert.Equal(shortCooldown ? 2 : 1, LimitReachedLogins(),
                        shortCooldown ? "1 ms cool-down: a second renewal login" : "default cool-down: no second login");
                }
            }
        }

        private static void Tls()
        {
            using (RescueClient client = Clients.New(RescueTransport.HttpPost, Env.TlsUrl))
            {
                Assert.Status<RescueNetworkException>(RescueStatus.Tls,
                    () => client.RequestAuthCode(Accounts.Tech, Accounts.Password), "self-signed, built-in roots");
            }
            RescueClientOptions system = new RescueClientOptions { BaseUrl = Env.TlsUrl, SystemRoots = true };
            using (RescueClient client = new RescueClient(system))
            {
                Assert.Status<RescueNetworkException>(RescueStatus.Tls,
                    () => client.RequestAuthCode(Accounts.Tech, Accounts.Password), "self-signed, system roots");
            }
            foreach (RescueTransport transport in Clients.Transports)
            {
                RescueClientOptions options = new RescueClientOptions
                {
                    BaseUrl = Env.TlsUrl, CaFile = Env.TlsCert, SystemRoots = true, Transport = transport,
                };
                using (RescueClient client = new RescueClient(options))
                {
                    client.Login(Accounts.Tech, Accounts.Password);
                    Assert.Pin(client.RequestLensPin(), "over HTTPS with the CA file, " + transport);
                    client.Logout();
                }
            }
        }

        private static void BadOptions()
        {
            Assert.Throws<ArgumentNullException>(() => new RescueClient((RescueClientOptions)null), "null options");
            Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                () => new RescueClient("not a url"), "base URL");
            Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                () => new RescueClient("ftp://127.0.0.1/API/"), "base URL scheme");
            Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                () => new RescueClient(new RescueClientOptions { BaseUrl = Env.Url, Timeout = TimeSpan.Zero }),
                "zero timeout");
            Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                () => new RescueClient(new RescueClientOptions { BaseUrl = Env.Url, Timeout = TimeSpan.FromSeconds(-1) }),
                "negative timeout");
            Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                () => new RescueClient(new RescueClientOptions { BaseUrl = Env.Url, Transport = (RescueTransport)4 }),
                "transport 4");
            Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                () => new RescueClient(new RescueClientOptions { BaseUrl = Env.Url, CaFile = "/nonexistent/ca.pem" }),
                "missing CA file");
            Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                () => new RescueClient(new RescueClientOptions { BaseUrl = Env.Url, Proxy = "not a proxy" }),
                "proxy URL");
            Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                () => new RescueClient(Env.Url + "\0x"), "NUL in the base URL");
            // A tiny positive timeout is rounded up to 1 ms, not turned into the refused 0.
            using (RescueClient client = new RescueClient(new RescueClientOptions
            {
                BaseUrl = Env.Fault("hang"), Timeout = TimeSpan.FromTicks(1),
            }))
            {
                Assert.Status<RescueTimeoutException>(RescueStatus.Timeout, () => client.RequestLensPin(), "1 tick");
            }
        }

        private static void PlainHttp()
        {
            // 192.0.2.1 is TEST-NET-1: never a real host.
            RescueClientOptions options = new RescueClientOptions
            {
                BaseUrl = "http://192.0.2.1/API/", Timeout = TimeSpan.FromMilliseconds(300),
            };
            using (RescueClient client = new RescueClient(options))
            {
                RescueArgumentException e = Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                    () => client.Login(Accounts.Tech, "pw"), "plain http refused");
                Assert.True(e.Message.Contains("http"), "the message says why: " + e.Message);
            }
            options.AllowPlainHttp = true;
            using (RescueClient client = new RescueClient(options))
            {
                try
                {
                    client.Login(Accounts.Tech, "pw");
                    throw new TestFailure("a login to TEST-NET-1 succeeded");
                }
                catch (RescueNetworkException e)
                {
                    // Sent this time: it timed out or found no route.
                    Assert.True(e.Status == RescueStatus.Timeout || e.Status == RescueStatus.Network, "status " + e.Status);
                }
            }
        }

        private static void Proxy()
        {
            string refused = LifetimeTests.RefusedUrl();
            RescueClientOptions options = new RescueClientOptions
            {
                BaseUrl = Env.Url, Proxy = refused.Replace("/API/", "/"), Timeout = TimeSpan.FromSeconds(5),
            };
            using (RescueClient client = new RescueClient(options))
            {
                Assert.Status<RescueNetworkException>(RescueStatus.Network,
                    () => client.RequestAuthCode(Accounts.Tech, Accounts.Password), "through a refusing proxy");
            }
        }
    }
}
