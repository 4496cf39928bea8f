// Dispose, use after dispose, a Dispose racing a call, and the finalizer of a leaked client.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Librescue;

namespace Librescue.Tests
{
    internal static class LifetimeTests
    {
        internal static void Register()
        {
            Runner.Add("Dispose twice; every call after it is ObjectDisposedException", UseAfterDispose);
            Runner.Add("Dispose during a call on another thread waits for it", DisposeDuringCall);
            Runner.Add("the finalizer frees a leaked client (its connections close)", Finalizer);
        }

        /// <summary>A loopback URL where nothing listens.</summary>
        internal static string RefusedUrl()
        {
            TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return "http://127.0.0.1:" + port + "/API/";
        }

        private static void UseAfterDispose()
        {
            RescueClient client = Clients.LoggedIn(Accounts.Tech);
            Assert.Pin(client.RequestLensPin(), "before");
            client.Dispose();
            client.Dispose();
            Assert.Throws<ObjectDisposedException>(() => client.Login(Accounts.Tech, Accounts.Password), "Login");
            Assert.Throws<ObjectDisposedException>(() => client.Logout(), "Logout");
            Assert.Throws<ObjectDisposedException>(() => client.RequestAuthCode(Accounts.Tech, Accounts.Password), "RequestAuthCode");
            Assert.Throws<ObjectDisposedException>(() => client.RequestLensPin(), "RequestLensPin");
            Assert.Throws<ObjectDisposedException>(() => client.RequestPin(new PinRequest()), "RequestPin");
            Task<string> task = client.RequestLensPinAsync();
            Assert.Throws<ObjectDisposedException>(() => Wait(task), "RequestLensPinAsync");
            Assert.True(task.IsFaulted, "the task is faulted");
        }

        /// <summary>Waits for <paramref name="task"/> and throws what it threw, unwrapped.</summary>
        internal static void Wait(Task task)
        {
            try
            {
                task.Wait();
            }
            catch (AggregateException e)
            {
                if (e.InnerExceptions.Count == 1)
                {
                    throw e.InnerExceptions[0];
                }
                throw;
            }
        }

        // The call holds the SafeHandle, so Dispose only marks it; librescue's client is freed
        // when the call returns (with its timeout), never under it.
        private static void DisposeDuringCall()
        {
            RescueClient client = new RescueClient(new RescueClientOptions
            {
                BaseUrl = Env.Fault("hang"), Timeout = TimeSpan.FromMilliseconds(1500),
            });
            Exception thrown = null;
            Thread caller = new Thread(() =>
            {
                try
                {
                    client.RequestLensPin();
                }
                catch (Exception e)
                {
                    thrown = e;
                }
            });
            caller.Start();
            Thread.Sleep(300);
            client.Dispose();
            Assert.True(caller.Join(TimeSpan.FromSeconds(20)), "the call ends");
            Assert.True(thrown is RescueTimeoutException, "the running call timed out normally: " + thrown);
            Assert.Throws<ObjectDisposedException>(() => client.RequestLensPin(), "after");
        }

        /// <summary>
        /// Established TCP connections from this machine to <paramref name="port"/> on loopback
        /// (the client side; the sandbox's side has the port as its local one).
        /// </summary>
        private static int ConnectionsTo(int port)
        {
            int count = 0;
            foreach (string line in File.ReadAllLines("/proc/net/tcp"))
            {
                string[] parts = line.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 4 || parts[0] == "sl")
                {
                    continue;
                }
                string remote = parts[2];
                int remotePort = int.Parse(remote.Substring(remote.IndexOf(':') + 1), NumberStyles.HexNumber);
                if (remotePort == port && parts[3] == "01")
                {
                    count++;
                }
            }
            return count;
        }

        // Each client makes a call and keeps its connection in its pool; nothing disposes them.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Leak(int count)
        {
            for (int i = 0; i < count; i++)
            {
                RescueClient client = Clients.New();
                Assert.Pin(client.RequestPin(new PinRequest { AuthCode = Accounts.TechAuthCode }), "leaked client's PIN");
            }
        }

        private static void Finalizer()
        {
            int port = new Uri(Env.Url).Port;
            Collect();
            int before = ConnectionsTo(port);
            const int Leaked = 8;
            // On a thread of its own, so that no stack slot of this one still points at them.
            Thread leaker = new Thread(() => Leak(Leaked));
            leaker.Start();
            leaker.Join();
            int open = ConnectionsTo(port);
            Assert.True(open >= before + Leaked, string.Format("each leaked client holds a connection: {0} before, {1} now", before, open));
            int after = open;
            for (int i = 0; i < 50 && after > before; i++)
            {
                Collect();
                Thread.Sleep(100);
                after = ConnectionsTo(port);
            }
            Assert.True(after <= before, string.Format("finalized: {0} connections before, {1} leaked, {2} after GC", before, open, after));
        }

        private static void Collect()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
    }
}
