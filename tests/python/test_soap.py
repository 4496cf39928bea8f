"""What only SOAP has: GLOBAL_IP_RESTRICTED, soap:Fault answers, the fault variants over
API.asmx. (Every call and status over SOAP is in test_service.py, parametrized.)"""

from __future__ import annotations

import http.server
import threading
from typing import Iterator, List, Tuple

import pytest

import rescue
from conftest import AUTHCODES, PASSWORD, SOAP, Sandbox, email

IP_RESTRICTED = email("iprestricted")


@pytest.mark.parametrize("transport", SOAP)
def test_login_global_ip_restricted(sandbox: Sandbox, transport: str) -> None:
    client = rescue.Client(sandbox.base_url, transport=transport)
    with pytest.raises(rescue.GlobalIpRestricted) as raised:
        client.login(IP_RESTRICTED, PASSWORD)
    assert raised.value.status is rescue.Status.GLOBAL_IP_RESTRICTED == 13
    assert "GLOBAL_IP_RESTRICTED" in str(raised.value)
    assert PASSWORD not in str(raised.value).replace("sandbox.test", "")
    assert sandbox.logins(IP_RESTRICTED) == {"GLOBALIPRESTRICTED": 1}
    # No session started; the alternative the vendor recommends works.
    with pytest.raises(rescue.NotLoggedIn):
        client.request_lens_pin()
    assert client.request_auth_code(IP_RESTRICTED, PASSWORD) == AUTHCODES["iprestricted"]
    assert len(client.request_lens_pin(authcode=AUTHCODES["iprestricted"])) == 6


@pytest.mark.parametrize("transport", ["http-post", "http-get"])
def test_the_pages_have_no_word_for_it(sandbox: Sandbox, transport: str) -> None:
    # login.aspx has no GLOBAL_IP_RESTRICTED word: the sandbox answers ERROR there.
    with pytest.raises(rescue.ServiceError):
        rescue.Client(sandbox.base_url, transport=transport).login(IP_RESTRICTED, PASSWORD)


FAULT_11 = (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope'
    ' xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>'
    "<faultcode>soap:Client</faultcode><faultstring>Server did not recognize the value of"
    " HTTP Header SOAPAction: x.</faultstring><detail /></soap:Fault></soap:Body>"
    "</soap:Envelope>"
)
FAULT_12 = (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope'
    ' xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault>'
    "<soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason>"
    '<soap:Text xml:lang="en">Unable to handle request without a valid action parameter.'
    "</soap:Text></soap:Reason><soap:Detail /></soap:Fault></soap:Body></soap:Envelope>"
)


class _FaultServer(http.server.BaseHTTPRequestHandler):
    """Answers every POST with HTTP 500 and the fault of the request's SOAP version, as
    ASMX does for an operation it does not know (the sandbox never faults a well-formed
    request of this client)."""

    bodies: List[bytes] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.bodies.append(self.rfile.read(length))
        soap12 = self.headers.get("Content-Type", "").startswith("application/soap+xml")
        body = (FAULT_12 if soap12 else FAULT_11).encode()
        self.send_response(500)
        self.send_header("Content-Type", "application/soap+xml" if soap12 else "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def fault_server() -> Iterator[Tuple[str, List[bytes]]]:
    _FaultServer.bodies = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FaultServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/API/", _FaultServer.bodies
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize(
    ("transport", "code", "text"),
    [
        ("soap11", "soap:Client", "Server did not recognize the value of HTTP Header SOAPAction"),
        ("soap12", "soap:Sender", "Unable to handle request without a valid action parameter"),
    ],
)
def test_soap_fault(
    fault_server: Tuple[str, List[bytes]], transport: str, code: str, text: str
) -> None:
    base_url, bodies = fault_server
    client = rescue.Client(base_url, transport=transport, timeout=5.0)
    secret = "Fault-Pw-0b7e"
    with pytest.raises(rescue.SoapFault) as raised:
        client.login(email("tech"), secret)
    fault = raised.value
    assert fault.status is rescue.Status.SOAP_FAULT == 109
    assert (fault.fault_code, fault.fault_text.startswith(text)) == (code, True)
    assert code in str(fault) and text in str(fault)
    # The password went out in the envelope, and comes back in no error.
    assert secret.encode() in bodies[0]
    assert secret not in str(fault) + repr(fault) + fault.fault_text
    with pytest.raises(rescue.SoapFault):
        client.request_lens_pin(authcode=AUTHCODES["tech"])
    assert AUTHCODES["tech"] not in str(raised.value)


def test_a_500_is_an_http_status_on_the_pages(fault_server: Tuple[str, List[bytes]]) -> None:
    # The same answer to a page request: only SOAP reads a fault out of a 500.
    base_url, _ = fault_server
    with pytest.raises(rescue.HttpStatusError) as raised:
        rescue.Client(base_url).login(email("tech"), PASSWORD)
    assert raised.value.http_status == 500
