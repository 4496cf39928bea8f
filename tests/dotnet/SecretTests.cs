// No password, authcode or proxy credential in any exception's text, on any path.
using System;
using System.Collections.Generic;
using Librescue;

namespace Librescue.Tests
{
    internal static class SecretTests
    {
        private const string Password = "Pw-0f-The-Secret-Kind";
        private const string BadAuthCode = "zzsecretauthcodezz0123456789abcd";
        private const string ProxySecret = "proxy-Secret-77";

        internal static void Register()
        {
            Runner.Add("no secret in any exception text", NoSecrets);
        }

        private static void NoSecrets()
        {
            string[] secrets = { Password, BadAuthCode, ProxySecret, Accounts.TechAuthCode, Accounts.DeletedAuthCode };
            List<Exception> seen = new List<Exception>();
            foreach (RescueTransport transport in Clients.Transports)
            {
                foreach (string url in new[] { Env.Url, Env.Fault("hang"), Env.Fault("status-503"), Env.Fault("html"), Env.Fault("reset") })
                {
                    RescueClientOptions options = new RescueClientOptions
                    {
                        BaseUrl = url, Transport = transport, Timeout = TimeSpan.FromMilliseconds(250),
                    };
                    using (RescueClient client = new RescueClient(options))
                    {
                        Catch(seen, () => client.Login(Accounts.Tech, Password));
                        Catch(seen, () => client.RequestAuthCode(Accounts.Tech, Password));
                        Catch(seen, () => client.RequestLensPin(new PinRequest { AuthCode = BadAuthCode }));
                        Catch(seen, () => client.RequestPin(new PinRequest { AuthCode = Accounts.DeletedAuthCode }));
                        Catch(seen, () => client.RequestPin(new PinRequest { AuthCode = Accounts.TechAuthCode, CField0 = new string('x', 70) }));
                        Catch(seen, () => client.Login(Accounts.Tech, Password + "\0"));
                        Catch(seen, () => client.RequestLensPin(new PinRequest { AuthCode = BadAuthCode + "\ud800" }));
                    }
                }
            }
            // Proxy credentials: a proxy that refuses, and a malformed proxy URL.
            Catch(seen, () =>
            {
                using (RescueClient client = new RescueClient(new RescueClientOptions
                {
                    BaseUrl = Env.Url, Proxy = LifetimeTests.RefusedUrl().Replace("http://", "http://user:" + ProxySecret + "@"),
                }))
                {
                    client.Login(Accounts.Tech, Password);
                }
            });
            Catch(seen, () => new RescueClient(new RescueClientOptions { BaseUrl = Env.Url, Proxy = "http://user:" + ProxySecret + "@[::bad" }));
            Assert.True(seen.Count >= 5 * 4 * 7, "every call failed: " + seen.Count);
            HashSet<RescueStatus> statuses = new HashSet<RescueStatus>();
            foreach (Exception e in seen)
            {
                string text = e.ToString();
                foreach (string secret in secrets)
                {
                    Assert.True(text.IndexOf(secret, StringComparison.OrdinalIgnoreCase) < 0,
                        "a secret in " + e.GetType().Name + ": " + text);
                }
                statuses.Add(((IRescueError)e).Status);
            }
            // The paths above reach these; a missing one means the test lost its reach.
            foreach (RescueStatus expected in new[]
            {
                RescueStatus.Invalid, RescueStatus.InvalidSecretAuthCode, RescueStatus.UserIsDeleted,
                RescueStatus.FieldTooLong, RescueStatus.InvalidArgument, RescueStatus.Timeout,
                RescueStatus.HttpStatus, RescueStatus.UnexpectedResponse, RescueStatus.Network,
            })
            {
                Assert.True(statuses.Contains(expected), "reached " + expected);
            }
        }

        private static void Catch(List<Exception> seen, Action call)
        {
            try
            {
                call();
            }
            catch (Exception e)
            {
                if (!(e is IRescueError))
                {
                    throw new TestFailure("not a librescue exception: " + e);
                }
                seen.Add(e);
                return;
            }
            throw new TestFailure("the call succeeded");
        }
    }
}
