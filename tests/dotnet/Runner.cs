// The .NET suite's runner and helpers: plain C# (Mono's mcs, C# 7.2), no test framework.
// Run by tests/dotnet/suite.sh under tests/c/run.sh, which exports the sandboxes' URLs.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Text;
using Librescue;

namespace Librescue.Tests
{
    internal sealed class TestFailure : Exception
    {
        public TestFailure(string message) : base(message)
        {
        }
    }

    internal static class Runner
    {
        private static readonly List<KeyValuePair<string, Action>> All = new List<KeyValuePair<string, Action>>();

        internal static void Add(string name, Action test)
        {
            All.Add(new KeyValuePair<string, Action>(name, test));
        }

        private static int Main(string[] args)
        {
            CallTests.Register();
            StatusTests.Register();
            FieldTests.Register();
            LifetimeTests.Register();
            AsyncTests.Register();
            ThreadTests.Register();
            SecretTests.Register();
            InvitationTests.Register();

            string only = args.Length > 0 ? args[0] : null;
            int passed = 0;
            int failed = 0;
            Stopwatch total = Stopwatch.StartNew();
            foreach (KeyValuePair<string, Action> test in All)
            {
                if (only != null && test.Key.IndexOf(only, StringComparison.Ordinal) < 0)
                {
                    continue;
                }
                Stopwatch watch = Stopwatch.StartNew();
                try
                {
                    // Every test starts from a clean sandbox: no sessions, no login counts.
                    Sandbox.Post(Env.Url, "reset");
                    test.Value();
                    passed++;
                    Console.WriteLine("ok   {0} ({1} ms)", test.Key, watch.ElapsedMilliseconds);
                }
                catch (Exception e)
                {
                    failed++;
                    Console.WriteLine("FAIL {0}: {1}", test.Key, e);
                }
            }
            Console.WriteLine("dotnet tests: {0} passed, {1} failed ({2:F1} s)", passed, failed,
                total.Elapsed.TotalSeconds);
            return failed == 0 ? 0 : 1;
        }
    }

    /// <summary>What tests/c/run.sh exports.</summary>
    internal static class Env
    {
        internal static string Url { get { return Get("RESCUE_URL"); } }
        internal static string PollUrl { get { return Get("RESCUE_POLL_URL"); } }
        internal static string TlsUrl { get { return Get("RESCUE_TLS_URL"); } }
        internal static string TlsCert { get { return Get("RESCUE_TLS_CERT"); } }

        internal static string Get(string name)
        {
            string value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value))
            {
                throw new TestFailure(name + " is not set: run this through tests/c/run.sh");
            }
            return value;
        }

        /// <summary>The base URL of a sandbox fault variant, e.g. hang.</summary>
        internal static string Fault(string kind)
        {
            return Url.Replace("/API/", "/fault/" + kind + "/API/");
        }
    }

    /// <summary>The built-in accounts (sandbox/README.md); every password is "sandbox".</summary>
    internal static class Accounts
    {
        internal const string Password = "sandbox";
        internal const string Tech = "tech@sandbox.test";
        internal const string TechAuthCode = "ytzw7h07nu9o4oxqbf49dpayuqvdnmzd";
        internal const string OfflineAuthCode = "hol3me96ecp5ojnz32wxmkwu8e74dpoh";
        internal const string AdminAuthCode = "oc3ka44px5lvk72k2yrlrq6p87sldyyt";
        internal const string NoLensAuthCode = "mj3lxvbbdkvry3fvex5tb5buy72o0zr7";
        internal const string NoPinsAuthCode = "ma51fmfe21sj39k99k4t0pst4zn91j3z";
        internal const string DeletedAuthCode = "sabazl9xjms8m4aujkhyqvwarl9w2ijg";
        internal const string DisabledAuthCode = "8tdidic9u8zhv6uv4il90jp97w1vn8b4";
    }

    /// <summary>The sandbox's inspection endpoints, over plain HTTP.</summary>
    internal static class Sandbox
    {
        internal static string Sessions()
        {
            return Exchange("GET", Env.Url, "sessions");
        }

        internal static string Logins()
        {
            return Exchange("GET", Env.Url, "logins");
        }

        internal static void Post(string baseUrl, string action)
        {
            Exchange("POST", baseUrl, action);
        }

        /// <summary>
        /// The JSON record of the PIN session whose cfield0 is <paramref name="cfield0"/>, or
        /// null. Values are compared as the sandbox writes them (raw UTF-8, \" and \\ escaped).
        /// </summary>
        internal static string Record(string cfield0)
        {
            string sessions = Sessions();
            int at = sessions.IndexOf("\"cfield0\":" + Json(cfield0) + ",", StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }
            int start = sessions.LastIndexOf("{\"pin\"", at, StringComparison.Ordinal);
            // The record runs to the next one (its invitation object comes after "time").
            int end = sessions.IndexOf("{\"pin\"", at, StringComparison.Ordinal);
            return sessions.Substring(start, (end < 0 ? sessions.Length : end) - start);
        }

        internal static int Count(string text)
        {
            string sessions = Sessions();
            int count = 0;
            for (int at = sessions.IndexOf(text, StringComparison.Ordinal); at >= 0;
                 at = sessions.IndexOf(text, at + text.Length, StringComparison.Ordinal))
            {
                count++;
            }
            return count;
        }

        internal static string Json(string value)
        {
            return value == null ? "null" : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        }

        private static string Exchange(string method, string baseUrl, string action)
        {
            string root = baseUrl.Substring(0, baseUrl.IndexOf("/API/", StringComparison.Ordinal) + 1);
            HttpWebRequest request = (HttpWebRequest)WebRequest.Create(root + "sandbox/" + action);
            request.Method = method;
            request.Proxy = null;
            request.Timeout = 10000;
            request.KeepAlive = false;
            if (method == "POST")
            {
                request.ContentLength = 0;
            }
            using (WebResponse response = request.GetResponse())
            using (StreamReader reader = new StreamReader(response.GetResponseStream(), Encoding.UTF8))
            {
                return reader.ReadToEnd();
            }
        }
    }

    internal static class Assert
    {
        internal static void True(bool condition, string what)
        {
            if (!condition)
            {
                throw new TestFailure(what);
            }
        }

        internal static void Equal<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                throw new TestFailure(string.Format("{0}: expected <{1}>, got <{2}>", what, expected, actual));
            }
        }

        internal static void Pin(string pin, string what)
        {
            True(pin != null && pin.Length == 6, what + ": a six-digit PIN, got <" + pin + ">");
            foreach (char c in pin)
            {
                True(c >= '0' && c <= '9', what + ": a six-digit PIN, got <" + pin + ">");
            }
        }

        /// <summary>
        /// Runs <paramref name="call"/> and returns what it threw, which must be exactly a
        /// <typeparamref name="T"/> (not a subclass).
        /// </summary>
        internal static T Throws<T>(Action call, string what) where T : Exception
        {
            try
            {
                call();
            }
            catch (Exception e)
            {
                if (e.GetType() != typeof(T))
                {
                    throw new TestFailure(string.Format("{0}: expected {1}, got {2}", what, typeof(T).Name, e));
                }
                return (T)e;
            }
            throw new TestFailure(string.Format("{0}: expected {1}, nothing thrown", what, typeof(T).Name));
        }

        /// <summary>As <see cref="Throws{T}"/>, and its Status must be <paramref name="status"/>.</summary>
        internal static T Status<T>(RescueStatus status, Action call, string what) where T : Exception, IRescueError
        {
            T e = Throws<T>(call, what);
            Equal(status, e.Status, what + ": status");
            Equal(status.ToStatusName(), e.StatusName, what + ": status name");
            True(e.Message.Length > 0, what + ": a message");
            return e;
        }
    }

    internal static class Clients
    {
        internal static readonly RescueTransport[] Transports =
        {
            RescueTransport.HttpPost, RescueTransport.HttpGet, RescueTransport.Soap11, RescueTransport.Soap12,
        };

        /// <summary>The sandbox's name of a transport in its session records.</summary>
        internal static string SandboxName(RescueTransport transport)
        {
            switch (transport)
            {
                case RescueTransport.HttpGet: return "get";
                case RescueTransport.Soap11: return "soap11";
                case RescueTransport.Soap12: return "soap12";
                default: return "post";
            }
        }

        internal static RescueClient New(RescueTransport transport = RescueTransport.HttpPost, string url = null)
        {
            return new RescueClient(new RescueClientOptions
            {
                BaseUrl = url ?? Env.Url,
                Transport = transport,
                Timeout = TimeSpan.FromSeconds(10),
            });
        }

        internal static RescueClient LoggedIn(string email, RescueTransport transport = RescueTransport.HttpPost)
        {
            RescueClient client = New(transport);
            client.Login(email, Accounts.Password);
            return client;
        }

        private static int unique;

        /// <summary>A value no other test uses, to find this test's session record.</summary>
        internal static string Unique(string prefix)
        {
            return prefix + "-" + System.Threading.Interlocked.Increment(ref unique) + "-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        }
    }
}
