"""Field values arrive byte-exact over every transport; bad ones are refused before sending."""

from __future__ import annotations

import pytest

import rescue
from conftest import AUTHCODES, RECORDED, SOAP, TRANSPORTS, Sandbox

FIELDS = ["cfield0", "cfield1", "cfield2", "cfield3", "cfield4", "cfield5", "tracking0"]

SAMPLES = {
    "cfield0": "Zoë Ünïcødé 東京 🦀👩‍💻",
    "cfield1": "x" * 511 + "é",
    "cfield2": "a&b=c+d%20e%f?g#h;i/j",
    "cfield3": "quotes ' \" ` and <tags> and \\backslash",
    "cfield4": "line one\nline two\r\nthree\ttab",
    "cfield5": "   spaces kept   ",
    "tracking0": "",
}


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_fields_round_trip_byte_exact(base_url: str, sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(base_url, transport=transport)
    pin = client.request_lens_pin(
        cfield0=SAMPLES["cfield0"],
        cfield1=SAMPLES["cfield1"],
        cfield2=SAMPLES["cfield2"],
        cfield3=SAMPLES["cfield3"],
        cfield4=SAMPLES["cfield4"],
        cfield5=SAMPLES["cfield5"],
        tracking0=SAMPLES["tracking0"],
        authcode=AUTHCODES["tech"],
    )
    (session,) = sandbox.sessions()
    assert session["pin"] == pin
    assert session["transport"] == RECORDED[transport]
    for name in FIELDS:
        assert session[name] == SAMPLES[name], name
    assert len(session["cfield1"]) == 512


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_absent_fields_are_not_sent(base_url: str, sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(base_url, transport=transport)
    client.request_pin(cfield2="only", authcode=AUTHCODES["tech"])
    (session,) = sandbox.sessions()
    assert session["cfield2"] == "only"
    assert [session[name] for name in FIELDS if name != "cfield2"] == [None] * 6
    # SOAP always sends bNoTechConsole (the WSDL requires it): false.
    assert session["notechconsole"] == ("0" if transport in SOAP else None)


@pytest.mark.parametrize("transport", SOAP)
@pytest.mark.parametrize("bad", ["bell\x07", "nul\x00", "esc\x1b[0m", "\ufffe"])
def test_text_xml_cannot_carry_is_refused_before_sending(
    base_url: str, sandbox: Sandbox, transport: str, bad: str
) -> None:
    client = rescue.Client(base_url, transport=transport)
    with pytest.raises(rescue.InvalidArgument, match="cfield3"):
        client.request_lens_pin(cfield3=bad, authcode=AUTHCODES["tech"])
    # The core names the password by its wire name over SOAP (`pwd`).
    with pytest.raises(rescue.InvalidArgument, match="pwd|password"):
        client.login("tech@sandbox.test", "pw" + bad)
    assert sandbox.sessions() == []
    assert sandbox.logins("tech@sandbox.test") == {}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize(
    ("name", "limit"),
    [("cfield0", 64), ("cfield1", 512), ("cfield3", 256), ("tracking0", 64)],
)
def test_field_too_long_sends_nothing(
    base_url: str, sandbox: Sandbox, name: str, limit: int, transport: str
) -> None:
    client = rescue.Client(base_url, transport=transport)
    client.request_lens_pin(authcode=AUTHCODES["tech"], **{name: "é" * limit})  # type: ignore[arg-type]
    sandbox.reset()
    with pytest.raises(rescue.FieldTooLong) as raised:
        client.request_lens_pin(authcode=AUTHCODES["tech"], **{name: "é" * (limit + 1)})  # type: ignore[arg-type]
    error = raised.value
    assert (error.field, error.length, error.limit) == (name, limit + 1, limit)
    assert error.status is rescue.Status.FIELD_TOO_LONG
    assert isinstance(error, ValueError)
    assert name in str(error)
    assert sandbox.sessions() == []


def test_65_char_cfield0(base_url: str, sandbox: Sandbox) -> None:
    with pytest.raises(rescue.FieldTooLong) as raised:
        rescue.Client(base_url).request_lens_pin(cfield0="c" * 65, authcode=AUTHCODES["tech"])
    assert (raised.value.field, raised.value.length, raised.value.limit) == ("cfield0", 65, 64)
    assert sandbox.sessions() == []


def test_nul_byte_is_invalid_argument(base_url: str, sandbox: Sandbox) -> None:
    client = rescue.Client(base_url)
    with pytest.raises(rescue.InvalidArgument, match="cfield2"):
        client.request_lens_pin(cfield2="a\0b", authcode=AUTHCODES["tech"])
    with pytest.raises(rescue.InvalidArgument, match="password"):
        client.login("tech@sandbox.test", "sand\0box")
    assert sandbox.sessions() == []


def test_lone_surrogate_is_invalid_argument(base_url: str, sandbox: Sandbox) -> None:
    client = rescue.Client(base_url)
    with pytest.raises(rescue.InvalidArgument, match="cfield0.*surrogate"):
        client.request_lens_pin(cfield0="a\ud800b", authcode=AUTHCODES["tech"])
    with pytest.raises(rescue.InvalidArgument, match="authcode"):
        client.request_lens_pin(authcode="\udc80")
    with pytest.raises(ValueError):
        client.login("tech@sandbox.test", "pw\udfff")
    assert sandbox.sessions() == []


def test_empty_authcode_is_invalid_argument(base_url: str) -> None:
    with pytest.raises(rescue.InvalidArgument, match="authcode"):
        rescue.Client(base_url).request_lens_pin(authcode="")


def test_non_str_arguments_are_type_errors(base_url: str) -> None:
    client = rescue.Client(base_url)
    with pytest.raises(TypeError):
        client.login(1, "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.request_lens_pin(cfield0=b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.request_lens_pin(notechconsole=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.request_lens_pin("positional")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        client.request_lens_pin(cfield9="no such field")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        rescue.Client(base_url, timeout="1")  # type: ignore[arg-type]
