// The Task-returning variants: results, exceptions, and cancellation before (not during) a call.
using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Librescue;

namespace Librescue.Tests
{
    internal static class AsyncTests
    {
        internal static void Register()
        {
            Runner.Add("async: every call, off the caller's thread", EveryCall);
            Runner.Add("async: failures fault the task with the same exception", Failures);
            Runner.Add("async: a cancelled token stops the call before it starts", CancelledBefore);
            Runner.Add("async: a started call runs to its timeout despite cancellation", CancelledDuring);
        }

        private static void EveryCall()
        {
            using (RescueClient client = Clients.New(RescueTransport.Soap11))
            {
                int caller = Thread.CurrentThread.ManagedThreadId;
                client.LoginAsync(Accounts.Tech, Accounts.Password).Wait();
                string name = Clients.Unique("async");
                Task<string> lens = client.RequestLensPinAsync(new PinRequest { CField0 = name });
                Assert.Pin(lens.Result, "Lens PIN");
                Assert.True(Sandbox.Record(name) != null, "recorded");
                Assert.Pin(client.RequestPinAsync().Result, "desktop PIN");
                client.LogoutAsync().Wait();
                Assert.Equal(Accounts.TechAuthCode, client.RequestAuthCodeAsync(Accounts.Tech, Accounts.Password).Result, "authcode");
                int worker = Task.Run(() => Thread.CurrentThread.ManagedThreadId).Result;
                Assert.True(worker != caller, "the pool runs the calls");
            }
        }

        private static void Failures()
        {
            using (RescueClient client = Clients.New())
            {
                Task<string> task = client.RequestLensPinAsync();
                Assert.Status<RescueAuthenticationException>(RescueStatus.NotLoggedIn, () => LifetimeTests.Wait(task), "no session");
                Assert.True(task.IsFaulted, "faulted");
                Task login = client.LoginAsync(Accounts.Tech, "wrong");
                Assert.Status<RescueAuthenticationException>(RescueStatus.Invalid, () => LifetimeTests.Wait(login), "wrong password");
                Task<string> tooLong = client.RequestPinAsync(new PinRequest { CField0 = new string('x', 65) });
                Assert.Status<RescueFieldTooLongException>(RescueStatus.FieldTooLong, () => LifetimeTests.Wait(tooLong), "too long");
            }
        }

        private static void CancelledBefore()
        {
            using (RescueClient client = Clients.New())
            using (CancellationTokenSource source = new CancellationTokenSource())
            {
                source.Cancel();
                string name = Clients.Unique("cancelled");
                Task<string> task = client.RequestLensPinAsync(
                    new PinRequest { CField0 = name, AuthCode = Accounts.TechAuthCode }, source.Token);
                try
                {
                    task.Wait();
                }
                catch (AggregateException e)
                {
                    Assert.True(e.InnerException is TaskCanceledException, "cancelled: " + e.InnerException);
                }
                Assert.True(task.IsCanceled, "the task is cancelled");
                Assert.True(client.LoginAsync(Accounts.Tech, Accounts.Password, source.Token).ContinueWith(t => t.IsCanceled).Result,
                    "LoginAsync cancelled too");
                Assert.True(Sandbox.Record(name) == null, "nothing was sent");
                Assert.True(!Sandbox.Logins().Contains(Accounts.Tech), "no login was sent");
            }
        }

        private static void CancelledDuring()
        {
            using (RescueClient client = new RescueClient(new RescueClientOptions
            {
                BaseUrl = Env.Fault("hang"), Timeout = TimeSpan.FromMilliseconds(800),
            }))
            using (CancellationTokenSource source = new CancellationTokenSource())
            {
                Stopwatch watch = Stopwatch.StartNew();
                Task<string> task = client.RequestLensPinAsync(null, source.Token);
                // Cancel once the delegate runs (and has passed its own token check).
                for (int i = 0; i < 500 && task.Status != TaskStatus.Running; i++)
                {
                    Thread.Sleep(10);
                }
                Thread.Sleep(200);
                source.Cancel();
                Assert.Status<RescueTimeoutException>(RescueStatus.Timeout, () => LifetimeTests.Wait(task), "ran to its timeout");
                Assert.True(watch.ElapsedMilliseconds >= 700, "not cut short by the token: " + watch.ElapsedMilliseconds + " ms");
            }
        }
    }
}
