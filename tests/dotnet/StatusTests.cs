// Every status a .NET caller can meet, from the sandbox's trigger accounts and fault
// variants, each as its exception class.
using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Librescue;

namespace Librescue.Tests
{
    internal static class StatusTests
    {
        internal static void Register()
        {
            foreach (RescueTransport transport in Clients.Transports)
            {
                RescueTransport t = transport;
                Runner.Add("service statuses from the trigger accounts over " + t, () => ServiceStatuses(t));
                Runner.Add("transport failures over " + t, () => TransportFailures(t));
            }
            Runner.Add("LIMITREACHED: the 11th login", LimitReached);
            Runner.Add("POLLRATEEXCEEDED: two PINs inside a second", PollRate);
            Runner.Add("GLOBAL_IP_RESTRICTED over SOAP 1.1 and 1.2, ERROR over the pages", IpRestricted);
            Runner.Add("SOAP_FAULT from a loopback server answering a soap:Fault", SoapFault);
        }

        private static PinRequest By(string authcode)
        {
            return new PinRequest { AuthCode = authcode };
        }

        private static void ServiceStatuses(RescueTransport transport)
        {
            using (RescueClient client = Clients.New(transport))
            {
                Assert.Status<RescueAuthenticationException>(RescueStatus.Invalid,
                    () => client.Login(Accounts.Tech, "wrong"), "wrong password");
                Assert.Status<RescueAuthenticationException>(RescueStatus.Invalid,
                    () => client.Login("nobody@sandbox.test", "sandbox"), "unknown email");
                Assert.Status<RescueAuthenticationException>(RescueStatus.Invalid,
                    () => client.RequestAuthCode(Accounts.Tech, "wrong"), "authcode, wrong password");
                Assert.Status<RescueAuthenticationException>(RescueStatus.Invalid,
                    () => client.Login("deleted@sandbox.test", "sandbox"), "deleted account login");
                Assert.Status<RescueAuthenticationException>(RescueStatus.NotLoggedIn,
                    () => client.RequestLensPin(), "no session");
                Assert.Status<RescueAuthenticationException>(RescueStatus.NotLoggedIn,
                    () => client.RequestPin(), "no session, desktop");
                Assert.Status<RescueAuthenticationException>(RescueStatus.NotLoggedIn,
                    () => client.Logout(), "logout without a session");

                Assert.Status<RescueException>(RescueStatus.NotTechnician,
                    () => client.RequestPin(By(Accounts.AdminAuthCode)), "admin");
                Assert.Status<RescueException>(RescueStatus.NoTechConsoleRunning,
                    () => client.RequestPin(By(Accounts.OfflineAuthCode)), "offline");
                Assert.Pin(client.RequestPin(new PinRequest { AuthCode = Accounts.OfflineAuthCode, NoTechConsole = true }),
                    "offline with NoTechConsole");
                Assert.Status<RescueException>(RescueStatus.OutOfPinCodes,
                    () => client.RequestLensPin(By(Accounts.NoPinsAuthCode)), "no pins");
                Assert.Status<RescueAuthenticationException>(RescueStatus.InvalidSecretAuthCode,
                    () => client.RequestLensPin(By("00000000000000000000000000000000")), "unknown authcode");
                Assert.Status<RescueAuthenticationException>(RescueStatus.UserIsDeleted,
                    () => client.RequestLensPin(By(Accounts.DeletedAuthCode)), "deleted");
                Assert.Status<RescueAuthenticationException>(RescueStatus.UserDeletedOrDisabled,
                    () => client.RequestPin(By(Accounts.DisabledAuthCode)), "disabled");
                Assert.Status<RescueException>(RescueStatus.NoAccessToLens,
                    () => client.RequestLensPin(By(Accounts.NoLensAuthCode)), "no lens");
                Assert.Pin(client.RequestPin(By(Accounts.NoLensAuthCode)), "no lens: desktop PIN works");
            }
            using (RescueClient client = Clients.LoggedIn("error@sandbox.test", transport))
            {
                Assert.Status<RescueException>(RescueStatus.Error, () => client.RequestLensPin(), "error account PIN");
                Assert.Status<RescueException>(RescueStatus.Error,
                    () => client.RequestAuthCode("error@sandbox.test", "sandbox"), "error account authcode");
                Assert.Status<RescueException>(RescueStatus.Error, () => client.Logout(), "error account logout");
            }
        }

        private static void TransportFailures(RescueTransport transport)
        {
            Stopwatch watch = Stopwatch.StartNew();
            using (RescueClient client = Timed(Env.Fault("hang"), transport, 500))
            {
                Assert.Status<RescueTimeoutException>(RescueStatus.Timeout, () => client.RequestLensPin(), "hang");
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the timeout bounds the call: " + watch.Elapsed);
            using (RescueClient client = Timed(Env.Fault("reset"), transport, 5000))
            {
                Assert.Status<RescueNetworkException>(RescueStatus.Network, () => client.RequestLensPin(), "reset");
            }
            using (RescueClient client = Timed(LifetimeTests.RefusedUrl(), transport, 5000))
            {
                Assert.Status<RescueNetworkException>(RescueStatus.Network, () => client.RequestLensPin(), "refused");
            }
            using (RescueClient client = Timed(Env.Fault("status-503"), transport, 5000))
            {
                RescueException e = Assert.Status<RescueException>(RescueStatus.HttpStatus,
                    () => client.RequestLensPin(), "503");
                Assert.True(e.Message.Contains("503"), "the message names the HTTP status: " + e.Message);
            }
            using (RescueClient client = Timed(Env.Fault("unknown"), transport, 5000))
            {
                Assert.Status<RescueException>(RescueStatus.UnexpectedResponse,
                    () => client.RequestLensPin(By(Accounts.TechAuthCode)), "unknown word");
            }
            using (RescueClient client = Timed(Env.Fault("html"), transport, 5000))
            {
                Assert.Status<RescueException>(RescueStatus.UnexpectedResponse,
                    () => client.RequestLensPin(By(Accounts.TechAuthCode)), "HTML page");
            }
            using (RescueClient client = Timed(Env.Fault("slow-200"), transport, 5000))
            {
                Assert.Pin(client.RequestLensPin(By(Accounts.TechAuthCode)), "slow but inside the timeout");
            }
        }

        private static RescueClient Timed(string url, RescueTransport transport, int ms)
        {
            return new RescueClient(new RescueClientOptions
            {
                BaseUrl = url, Transport = transport, Timeout = TimeSpan.FromMilliseconds(ms),
            });
        }

        private static void LimitReached()
        {
            using (RescueClient client = Clients.New())
            {
                for (int i = 0; i < 10; i++)
                {
                    client.Login("nopins@sandbox.test", Accounts.Password);
                }
                Assert.Status<RescueRateLimitException>(RescueStatus.LimitReached,
                    () => client.Login("nopins@sandbox.test", Accounts.Password), "11th login");
            }
        }

        private static void PollRate()
        {
            using (RescueClient client = Clients.New(RescueTransport.HttpPost, Env.PollUrl))
            {
                // A fresh technician per run would need its own sandbox; wait out any earlier PIN.
                Thread.Sleep(1100);
                Assert.Pin(client.RequestLensPin(By(Accounts.TechAuthCode)), "first PIN");
                Assert.Status<RescueRateLimitException>(RescueStatus.PollRateExceeded,
                    () => client.RequestPin(By(Accounts.TechAuthCode)), "second PIN at once");
            }
        }

        private static void IpRestricted()
        {
            foreach (RescueTransport transport in new[] { RescueTransport.Soap11, RescueTransport.Soap12 })
            {
                using (RescueClient client = Clients.New(transport))
                {
                    Assert.Status<RescueAuthenticationException>(RescueStatus.GlobalIpRestricted,
                        () => client.Login("iprestricted@sandbox.test", Accounts.Password), transport.ToString());
                }
            }
            using (RescueClient client = Clients.New(RescueTransport.HttpPost))
            {
                Assert.Status<RescueException>(RescueStatus.Error,
                    () => client.Login("iprestricted@sandbox.test", Accounts.Password), "login.aspx");
            }
        }

        // The sandbox answers a well-formed request with a result, never a fault, so this test
        // serves one canned ASMX fault (HTTP 500) on loopback and stops its server itself.
        private static void SoapFault()
        {
            TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            Exception serverError = null;
            Thread server = new Thread(() =>
            {
                try
                {
                    using (TcpClient connection = listener.AcceptTcpClient())
                    {
                        NetworkStream stream = connection.GetStream();
                        ReadRequest(stream);
                        string body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                            + "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                            + "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><soap:Body><soap:Fault>"
                            + "<faultcode>soap:Server</faultcode><faultstring>Server was unable to process "
                            + "request. ---&gt; Object reference not set to an instance of an object."
                            + "</faultstring><detail /></soap:Fault></soap:Body></soap:Envelope>";
                        byte[] bytes = Encoding.UTF8.GetBytes(body);
                        string head = "HTTP/1.1 500 Internal Server Error\r\n"
                            + "Content-Type: text/xml; charset=utf-8\r\nContent-Length: " + bytes.Length
                            + "\r\nConnection: close\r\n\r\n";
                        byte[] headBytes = Encoding.ASCII.GetBytes(head);
                        stream.Write(headBytes, 0, headBytes.Length);
                        stream.Write(bytes, 0, bytes.Length);
                    }
                }
                catch (Exception e)
                {
                    serverError = e;
                }
            });
            server.Start();
            try
            {
                RescueClientOptions options = new RescueClientOptions
                {
                    BaseUrl = "http://127.0.0.1:" + port + "/API/", Transport = RescueTransport.Soap11,
                    Timeout = TimeSpan.FromSeconds(5),
                };
                using (RescueClient client = new RescueClient(options))
                {
                    RescueException e = Assert.Status<RescueException>(RescueStatus.SoapFault,
                        () => client.RequestLensPin(By(Accounts.TechAuthCode)), "soap:Fault");
                    Assert.True(e.Message.Contains("soap:Server") && e.Message.Contains("unable to process"),
                        "the fault's code and text: " + e.Message);
                }
            }
            finally
            {
                listener.Stop();
                server.Join(10000);
            }
            Assert.True(serverError == null, "the loopback server: " + serverError);
        }

        /// <summary>Reads one HTTP request's headers and its Content-Length body.</summary>
        private static void ReadRequest(Stream stream)
        {
            MemoryStream head = new MemoryStream();
            int matched = 0;
            byte[] end = { 13, 10, 13, 10 };
            while (matched < 4)
            {
                int b = stream.ReadByte();
                if (b < 0)
                {
                    return;
                }
                head.WriteByte((byte)b);
                matched = b == end[matched] ? matched + 1 : (b == 13 ? 1 : 0);
            }
            string headers = Encoding.ASCII.GetString(head.ToArray()).ToLowerInvariant();
            int at = headers.IndexOf("content-length:", StringComparison.Ordinal);
            if (at < 0)
            {
                return;
            }
            int eol = headers.IndexOf("\r\n", at, StringComparison.Ordinal);
            int length = int.Parse(headers.Substring(at + 15, eol - at - 15).Trim());
            byte[] body = new byte[length];
            for (int read = 0; read < length;)
            {
                int n = stream.Read(body, read, length - read);
                if (n <= 0)
                {
                    return;
                }
                read += n;
            }
        }
    }
}
