// One client shared by 8 threads: every PIN arrives, and each thread reads its own message.
using System;
using System.Collections.Generic;
using System.Threading;
using Librescue;

namespace Librescue.Tests
{
    internal static class ThreadTests
    {
        private const int Threads = 8;
        private const int Rounds = 25;

        internal static void Register()
        {
            Runner.Add("8 threads share one client; per-thread error messages", Shared);
        }

        private static void Shared()
        {
            string run = Clients.Unique("thread");
            List<string> failures = new List<string>();
            HashSet<string> pins = new HashSet<string>();
            using (RescueClient client = Clients.LoggedIn(Accounts.Tech))
            using (Barrier start = new Barrier(Threads))
            {
                List<Thread> threads = new List<Thread>();
                for (int t = 0; t < Threads; t++)
                {
                    int index = t;
                    Thread thread = new Thread(() =>
                    {
                        start.SignalAndWait();
                        for (int round = 0; round < Rounds; round++)
                        {
                            try
                            {
                                string pin = client.RequestLensPin(new PinRequest { CField0 = run + "/" + index + "/" + round });
                                lock (pins)
                                {
                                    pins.Add(pin);
                                }
                                // A length of this thread's own: its message must say it, whatever
                                // the other threads' calls left in theirs meanwhile.
                                int length = 65 + index;
                                try
                                {
                                    client.RequestPin(new PinRequest { CField0 = new string('x', length) });
                                    throw new TestFailure("a field of " + length + " characters was accepted");
                                }
                                catch (RescueFieldTooLongException e)
                                {
                                    if (!e.Message.Contains("is " + length + " characters long"))
                                    {
                                        throw new TestFailure("thread " + index + " read another's message: " + e.Message);
                                    }
                                }
                                if (index % 2 == 1)
                                {
                                    try
                                    {
                                        client.RequestPin(new PinRequest { AuthCode = "bad" + index });
                                        throw new TestFailure("a bad authcode was accepted");
                                    }
                                    catch (RescueAuthenticationException e)
                                    {
                                        if (e.Status != RescueStatus.InvalidSecretAuthCode)
                                        {
                                            throw new TestFailure("status " + e.Status);
                                        }
                                    }
                                }
                            }
                            catch (Exception e)
                            {
                                lock (failures)
                                {
                                    failures.Add("thread " + index + " round " + round + ": " + e.Message);
                                }
                            }
                        }
                    });
                    thread.Start();
                    threads.Add(thread);
                }
                foreach (Thread thread in threads)
                {
                    Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "thread finished");
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures.ToArray()));
            Assert.Equal(Threads * Rounds, pins.Count, "distinct PINs");
            Assert.Equal(Threads * Rounds, Sandbox.Count("\"cfield0\":\"" + run + "/"), "recorded sessions");
        }
    }
}
