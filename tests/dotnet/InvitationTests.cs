// The Lens invitation (rescue_request_lens_pin_invite): the plain request when there is none,
// and bad inputs refused before sending, without the phone number in any message.
using System;
using Librescue;

namespace Librescue.Tests
{
    internal static class InvitationTests
    {
        internal static void Register()
        {
            foreach (RescueTransport transport in Clients.Transports)
            {
                RescueTransport t = transport;
                Runner.Add("invite: no invitation is the plain Lens request over " + t, () => Plain(t));
            }
            Runner.Add("invite: bad phone, language and NodeId are refused before sending", Refused);
        }

        private static void Plain(RescueTransport transport)
        {
            using (RescueClient client = Clients.New(transport))
            {
                foreach (LensInvitation invitation in new[] { null, new LensInvitation() })
                {
                    string name = Clients.Unique("invite-plain");
                    LensPinResult result = client.RequestLensPinInvite(
                        new PinRequest { CField0 = name, AuthCode = Accounts.TechAuthCode }, invitation);
                    Assert.Pin(result.Pin, "PIN");
                    Assert.True(result.SmsResult == null, "no SMS result: " + result.SmsResult);
                    string record = Sandbox.Record(name);
                    Assert.True(record != null && record.Contains("\"pin\":\"" + result.Pin + "\"")
                        && record.Contains("\"kind\":\"lens\""), "a Lens session: " + record);
                }
                LensPinResult async = client.RequestLensPinInviteAsync(new PinRequest { AuthCode = Accounts.TechAuthCode }, null).Result;
                Assert.Pin(async.Pin, "async PIN");
            }
        }

        private static void Refused()
        {
            const string Phone = "+4917612345678";
            PinRequest request = new PinRequest { AuthCode = Accounts.TechAuthCode };
            using (RescueClient client = Clients.New())
            using (RescueClient soap = Clients.New(RescueTransport.Soap11))
            {
                LensInvitation[] bad =
                {
                    new LensInvitation { PhoneNumber = Phone, LangCode = "xx" },
                    new LensInvitation { PhoneNumber = "" },
                    new LensInvitation { PhoneNumber = Phone + "0123456789012345678" },
                    new LensInvitation { PhoneNumber = Phone + "\n" },
                    new LensInvitation { NodeId = "12a" },
                    new LensInvitation { PhoneNumber = Phone + "\0" },
                };
                foreach (LensInvitation invitation in bad)
                {
                    RescueArgumentException e = Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                        () => client.RequestLensPinInvite(request, invitation), "refused");
                    Assert.True(!e.ToString().Contains(Phone), "no phone number in: " + e);
                }
                Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                    () => soap.RequestLensPinInvite(request, new LensInvitation { NodeId = "1001" }), "NodeId over SOAP");
                Assert.Status<RescueFieldTooLongException>(RescueStatus.FieldTooLong,
                    () => client.RequestLensPinInvite(new PinRequest { CField0 = new string('x', 65) },
                        new LensInvitation { LangCode = "de" }), "the PIN request's limits apply");
            }
            Assert.Equal(0, Sandbox.Count("\"pin\""), "nothing sent");
        }
    }
}
