"""Lens invitations: `request_lens_pin_invite` sends the PIN by SMS (v3), in a language,
or creates it for another technician (v4), over every transport it applies to."""

from __future__ import annotations

import pickle
from typing import Any, Dict

import pytest

import rescue
from conftest import AUTHCODES, NODE_IDS, PASSWORD, RECORDED, SOAP, TRANSPORTS, Sandbox, email

SMS_SENT = "sendInvitationForMobileSession_OK"
SMS_FAILED = "sendInvitationForMobileSession_Error"
PHONE = "+1 555 0100"
LANGS = ["de", "en", "es", "fr", "nl", "pt-br"]


def v3(transport: str) -> str:
    return "requestLensPINCodeV3" if transport in SOAP else "requestLensPINCode_v3.aspx"


def only(sandbox: Sandbox) -> Dict[str, Any]:
    (session,) = sandbox.sessions()
    return session


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_sms_sent(sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(sandbox.base_url, transport=transport)
    client.login(email("tech"), PASSWORD)
    lens = client.request_lens_pin_invite(phone_number=PHONE, lang_code="de", cfield0="Jane")
    assert isinstance(lens, rescue.LensPin)
    assert len(lens.pin) == 6 and lens.pin.isdigit()
    assert (lens.sms_result, lens.sms_sent) == (SMS_SENT, True)
    session = only(sandbox)
    assert (session["pin"], session["call"], session["transport"]) == (
        lens.pin,
        v3(transport),
        RECORDED[transport],
    )
    assert session["cfield0"] == "Jane"
    invitation = session["invitation"]
    assert (invitation["phone_number"], invitation["lang_code"]) == (PHONE, "de")
    assert invitation["sms_result"] == SMS_SENT
    assert rescue.join_url(lens.pin) in invitation["sms_text"]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("phone", ["+999 12345", "  +9991", "no digits"])
def test_sms_failed_still_gives_the_pin(sandbox: Sandbox, transport: str, phone: str) -> None:
    client = rescue.Client(sandbox.base_url, transport=transport)
    lens = client.request_lens_pin_invite(phone_number=phone, authcode=AUTHCODES["tech"])
    assert (lens.sms_result, lens.sms_sent) == (SMS_FAILED, False)
    session = only(sandbox)
    assert session["pin"] == lens.pin
    assert session["invitation"]["sms_result"] == SMS_FAILED


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("lang", LANGS)
def test_each_language_in_any_case(sandbox: Sandbox, transport: str, lang: str) -> None:
    # The sandbox refuses any spelling but the service's: the client sends that one.
    client = rescue.Client(sandbox.base_url, transport=transport)
    lens = client.request_lens_pin_invite(
        phone_number=PHONE, lang_code=lang.upper(), authcode=AUTHCODES["tech"]
    )
    assert lens.sms_sent
    invitation = only(sandbox)["invitation"]
    assert invitation["lang_code"] == lang
    assert lens.pin in invitation["sms_text"]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_language_without_phone_sends_no_sms(sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(sandbox.base_url, transport=transport)
    lens = client.request_lens_pin_invite(lang_code="fr", authcode=AUTHCODES["tech"])
    assert (lens.sms_result, lens.sms_sent) == (None, False)
    session = only(sandbox)
    assert session["call"] == v3(transport)
    assert session["invitation"]["sms_text"] is None


@pytest.mark.parametrize("transport", ["http-post", "http-get"])
@pytest.mark.parametrize("node_id", [NODE_IDS["tech"], int(NODE_IDS["tech"])])
def test_node_id_creates_the_pin_for_another_technician(
    sandbox: Sandbox, transport: str, node_id: Any
) -> None:
    # An administrator (no PINs of its own) asks for the technician's.
    client = rescue.Client(sandbox.base_url, transport=transport)
    client.login(email("admin"), PASSWORD)
    with pytest.raises(rescue.NotTechnician):
        client.request_lens_pin()
    lens = client.request_lens_pin_invite(node_id=node_id, phone_number=PHONE, lang_code="nl")
    assert lens.sms_result == SMS_SENT
    session = only(sandbox)
    assert (session["call"], session["technician"], session["requested_by"]) == (
        "requestLensPINCode_v4.aspx",
        email("tech"),
        email("admin"),
    )
    assert session["invitation"]["node_id"] == NODE_IDS["tech"]


@pytest.mark.parametrize("transport", ["http-post", "http-get"])
def test_node_id_technicians_words(sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(sandbox.base_url, transport=transport)
    client.login(email("admin"), PASSWORD)
    with pytest.raises(rescue.NoTechConsoleRunning):  # the NodeId's technician decides
        client.request_lens_pin_invite(node_id=NODE_IDS["offline"])
    lens = client.request_lens_pin_invite(node_id=NODE_IDS["offline"], notechconsole=True)
    assert lens.sms_result is None
    with pytest.raises(rescue.ServiceError):  # no such technician
        client.request_lens_pin_invite(node_id="99999")
    assert [s["technician"] for s in sandbox.sessions()] == [email("offline")]


@pytest.mark.parametrize("transport", SOAP)
def test_node_id_is_refused_over_soap(sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(sandbox.base_url, transport=transport)
    with pytest.raises(rescue.InvalidArgument, match="(?i)node"):
        client.request_lens_pin_invite(node_id="1001", authcode=AUTHCODES["tech"])
    assert sandbox.sessions() == []


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_v1_is_unchanged(sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(sandbox.base_url, transport=transport)
    pin = client.request_lens_pin(authcode=AUTHCODES["tech"])
    lens = client.request_lens_pin_invite(authcode=AUTHCODES["tech"])
    assert isinstance(pin, str)
    assert (lens.sms_result, lens.sms_sent) == (None, False)
    v1 = "requestLensPINCode" if transport in SOAP else "requestLensPINCode.aspx"
    sessions = sandbox.sessions()
    assert [(s["pin"], s["call"], s["invitation"]) for s in sessions] == [
        (pin, v1, None),
        (lens.pin, v1, None),
    ]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("phone_number", ""),
        ("phone_number", "   "),
        ("phone_number", "+1 555\n0100"),
        ("phone_number", "+1 555\x000100"),
        ("phone_number", "1" * 33),
        ("phone_number", "+1 555 \ud800"),
        ("lang_code", "it"),
        ("lang_code", "pt"),
        ("lang_code", "en-us"),
        ("lang_code", ""),
        ("node_id", ""),
        ("node_id", "12a"),
        ("node_id", "-1"),
        ("node_id", -1),
        ("node_id", "１２"),
        ("node_id", "1" * 21),
    ],
)
def test_bad_inputs_are_refused_before_sending(
    sandbox: Sandbox, transport: str, argument: str, value: Any
) -> None:
    client = rescue.Client(sandbox.base_url, transport=transport)
    with pytest.raises(rescue.InvalidArgument) as raised:
        client.request_lens_pin_invite(authcode=AUTHCODES["tech"], **{argument: value})
    assert isinstance(raised.value, ValueError)
    if argument == "phone_number" and value.strip():
        assert value not in str(raised.value)
    assert sandbox.sessions() == []


def test_wrong_types_are_type_errors(sandbox: Sandbox) -> None:
    client = rescue.Client(sandbox.base_url)
    for value in [True, 1.5, b"1001", ["1001"]]:
        with pytest.raises(TypeError, match="node_id"):
            client.request_lens_pin_invite(node_id=value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.request_lens_pin_invite(phone_number=5550100)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.request_lens_pin_invite(PHONE)  # type: ignore[misc]
    assert sandbox.sessions() == []


def test_the_field_limits_apply(sandbox: Sandbox) -> None:
    client = rescue.Client(sandbox.base_url)
    with pytest.raises(rescue.FieldTooLong):
        client.request_lens_pin_invite(phone_number=PHONE, cfield0="x" * 65)
    assert sandbox.sessions() == []


def test_lens_pin_is_a_small_frozen_value() -> None:
    lens = rescue.LensPin("012345", SMS_SENT)
    assert (lens.pin, lens.sms_result, lens.sms_sent) == ("012345", SMS_SENT, True)
    assert repr(lens) == f"rescue.LensPin(pin='012345', sms_result='{SMS_SENT}')"
    assert repr(rescue.LensPin("000001")) == "rescue.LensPin(pin='000001', sms_result=None)"
    assert lens == rescue.LensPin("012345", SMS_SENT) != rescue.LensPin("012345")
    assert len({lens, rescue.LensPin("012345", SMS_SENT)}) == 1
    assert pickle.loads(pickle.dumps(lens)) == lens
    with pytest.raises(AttributeError):
        lens.pin = "000000"  # type: ignore[misc]
    with pytest.raises(rescue.InvalidArgument):
        rescue.LensPin("12345")
