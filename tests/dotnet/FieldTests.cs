// PIN request fields: non-ASCII text arrives exactly, the limits count characters, and
// what can't be sent is refused before sending.
using System;
using System.Text;
using Librescue;

namespace Librescue.Tests
{
    internal static class FieldTests
    {
        private static readonly string[] Names = { "cfield0", "cfield1", "cfield2", "cfield3", "cfield4", "cfield5", "tracking0" };
        private static readonly int[] Limits = { 64, 512, 512, 256, 64, 64, 64 };

        internal static void Register()
        {
            foreach (RescueTransport transport in Clients.Transports)
            {
                RescueTransport t = transport;
                Runner.Add("non-ASCII fields arrive exactly over " + t, () => NonAscii(t));
            }
            Runner.Add("field limits count characters, astral ones too", Limits_);
            Runner.Add("NUL and lone surrogates are refused before sending", Unsendable);
            Runner.Add("null arguments are ArgumentNullExceptions", Nulls);
        }

        private static void Set(PinRequest request, int field, string value)
        {
            switch (field)
            {
                case 0: request.CField0 = value; break;
                case 1: request.CField1 = value; break;
                case 2: request.CField2 = value; break;
                case 3: request.CField3 = value; break;
                case 4: request.CField4 = value; break;
                case 5: request.CField5 = value; break;
                default: request.Tracking0 = value; break;
            }
        }

        private static void NonAscii(RescueTransport transport)
        {
            string marker = Clients.Unique("Zoë Ünïcødé");
            PinRequest request = new PinRequest
            {
                CField0 = marker,
                CField1 = "日本語のテキスト, 中文, 한국어",
                CField2 = "emoji 🎉🚀 (astral) and \"quotes\" \\ backslash",
                CField3 = "XML-ish <tag attr='x'> & &amp; ]]>",
                CField4 = "Ελληνικά кириллица",
                CField5 = "עברית العربية",
                Tracking0 = "ticket #4711 / 50% + 1 = ?&x=y",
                AuthCode = Accounts.TechAuthCode,
            };
            using (RescueClient client = Clients.New(transport))
            {
                Assert.Pin(client.RequestLensPin(request), "PIN");
            }
            string record = Sandbox.Record(marker);
            Assert.True(record != null, "recorded: " + Sandbox.Sessions());
            string[] values = { request.CField0, request.CField1, request.CField2, request.CField3, request.CField4, request.CField5, request.Tracking0 };
            for (int i = 0; i < Names.Length; i++)
            {
                Assert.True(record.Contains("\"" + Names[i] + "\":" + Sandbox.Json(values[i]) + ","),
                    Names[i] + " arrived exactly: " + record);
            }
        }

        private static void Limits_()
        {
            // Each character here is one Unicode scalar value but two UTF-16 units and four
            // UTF-8 bytes: the limit counts it once.
            const string Astral = "😀";
            using (RescueClient client = Clients.New())
            {
                for (int field = 0; field < Names.Length; field++)
                {
                    int limit = Limits[field];
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < limit; i++)
                    {
                        text.Append(i % 2 == 0 ? Astral : "é");
                    }
                    PinRequest atLimit = new PinRequest { AuthCode = Accounts.TechAuthCode };
                    Set(atLimit, field, text.ToString());
                    Assert.Pin(client.RequestPin(atLimit), Names[field] + " at its limit of " + limit);

                    PinRequest over = new PinRequest { AuthCode = Accounts.TechAuthCode };
                    Set(over, field, text + "x");
                    int before = Sandbox.Count("\"pin\"");
                    RescueFieldTooLongException e = Assert.Status<RescueFieldTooLongException>(
                        RescueStatus.FieldTooLong, () => client.RequestLensPin(over), Names[field] + " over");
                    Assert.True(e.Message.Contains(Names[field]) && e.Message.Contains((limit + 1).ToString())
                        && e.Message.Contains(limit.ToString()), "the message names field, length and limit: " + e.Message);
                    Assert.True(e is ArgumentException, "an ArgumentException");
                    Assert.Equal(before, Sandbox.Count("\"pin\""), "nothing sent");
                }
            }
        }

        private static void Unsendable()
        {
            using (RescueClient client = Clients.New())
            {
                PinRequest nul = new PinRequest { CField3 = "before\0after", AuthCode = Accounts.TechAuthCode };
                RescueArgumentException e = Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                    () => client.RequestLensPin(nul), "NUL");
                Assert.True(e.Message.Contains("cfield3") && e.Message.Contains("NUL"), "names the field: " + e.Message);
                Assert.Equal("request", e.ParamName, "ParamName");

                PinRequest surrogate = new PinRequest { Tracking0 = "half \ud83d of an emoji", AuthCode = Accounts.TechAuthCode };
                e = Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                    () => client.RequestPin(surrogate), "lone surrogate");
                Assert.True(e.Message.Contains("tracking0"), "names the field: " + e.Message);

                e = Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                    () => client.Login(Accounts.Tech, "pass\0word"), "NUL in the password");
                Assert.Equal("password", e.ParamName, "ParamName");
                Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                    () => client.RequestAuthCode("tech\0@sandbox.test", Accounts.Password), "NUL in the email");
                Assert.Equal(0, Sandbox.Count("\"pin\""), "no PIN session created");
                Assert.True(!Sandbox.Logins().Contains(Accounts.Tech), "no login sent: " + Sandbox.Logins());
            }
            // The SOAP encoding can't carry control characters: librescue refuses them there.
            using (RescueClient client = Clients.New(RescueTransport.Soap12))
            {
                PinRequest control = new PinRequest { CField1 = "bell \u0007", AuthCode = Accounts.TechAuthCode };
                Assert.Status<RescueArgumentException>(RescueStatus.InvalidArgument,
                    () => client.RequestLensPin(control), "a control character over SOAP");
            }
        }

        private static void Nulls()
        {
            using (RescueClient client = Clients.New())
            {
                Assert.Equal("email", Assert.Throws<ArgumentNullException>(() => client.Login(null, "x"), "email").ParamName, "email");
                Assert.Equal("password", Assert.Throws<ArgumentNullException>(() => client.Login("x", null), "password").ParamName, "password");
                Assert.Throws<ArgumentNullException>(() => client.RequestAuthCode(null, "x"), "authcode email");
                Assert.Throws<ArgumentNullException>(() => client.RequestAuthCode("x", null), "authcode password");
                // A null PinRequest is the empty request: here, no session.
                Assert.Status<RescueAuthenticationException>(RescueStatus.NotLoggedIn, () => client.RequestPin(null), "null request");
            }
        }
    }
}
