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
            foreach (RescueTransport transport in Clients.Transports)
            {
                RescueTransport t = transport;
                Runner.Add("invite: SMS sent, SMS failed with a PIN, each language over " + t, () => Sms(t));
            }
            Runner.Add("invite: a PIN for another technician's NodeId", NodeId);
        }

        private static void Sms(RescueTransport transport)
        {
            using (RescueClient client = Clients.New(transport))
            {
                foreach (string lang in new[] { "de", "EN", "es", "fr", "nl", "pt-BR" })
                {
                    string name = Clients.Unique("invite-sms");
                    LensPinResult sent = client.RequestLensPinInvite(
                        new PinRequest { CField0 = name, AuthCode = Accounts.TechAuthCode },
                        new LensInvitation { PhoneNumber = "+4917612345678", LangCode = lang });
                    Assert.Pin(sent.Pin, "PIN");
                    Assert.Equal("sendInvitationForMobileSession_OK", sent.SmsResult, "SMS result in " + lang);
                    string record = Sandbox.Record(name);
                    Assert.True(record != null && record.Contains("\"lang_code\":\"" + lang.ToLowerInvariant() + "\""),
                        "the language as the service writes it: " + record);
                }
                LensPinResult failed = client.RequestLensPinInvite(
                    new PinRequest { AuthCode = Accounts.TechAuthCode },
                    new LensInvitation { PhoneNumber = "+999 000 111" });
                Assert.Pin(failed.Pin, "a PIN although the SMS failed");
                Assert.True(failed.SmsResult != null && failed.SmsResult != "sendInvitationForMobileSession_OK",
                    "the SMS failure comes back as text: " + failed.SmsResult);
            }
        }

        private static void NodeId()
        {
            using (RescueClient client = Clients.New())
            {
                string name = Clients.Unique("invite-node");
                LensPinResult result = client.RequestLensPinInvite(
                    new PinRequest { CField0 = name, AuthCode = Accounts.TechAuthCode, NoTechConsole = true },
                    new LensInvitation { NodeId = "1002" });
                Assert.Pin(result.Pin, "PIN");
                string record = Sandbox.Record(name);
                Assert.True(record != null && record.Contains("\"technician\":\"offline@sandbox.test\""),
                    "the PIN is the NodeId's technician's: " + record);
            }
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
