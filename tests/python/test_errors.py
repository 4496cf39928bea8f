"""The numbering shared with C and PHP, and the exception hierarchy."""

from __future__ import annotations

import pickle
from typing import Dict, Type

import pytest

import rescue
from rescue import _rescue

SERVICE_CLASSES = {
    rescue.Status.ERROR: rescue.ServiceError,
    rescue.Status.INVALID: rescue.InvalidCredentials,
    rescue.Status.LIMITREACHED: rescue.LimitReached,
    rescue.Status.NOTLOGGEDIN: rescue.NotLoggedIn,
    rescue.Status.NOTTECHNICIAN: rescue.NotTechnician,
    rescue.Status.NOTECHCONSOLERUNNING: rescue.NoTechConsoleRunning,
    rescue.Status.OUTOFPINCODES: rescue.OutOfPinCodes,
    rescue.Status.POLLRATEEXCEEDED: rescue.PollRateExceeded,
    rescue.Status.INVALID_SECRETAUTHCODE: rescue.InvalidSecretAuthCode,
    rescue.Status.USER_IS_DELETED: rescue.UserIsDeleted,
    rescue.Status.USER_DELETED_OR_DISABLED: rescue.UserDeletedOrDisabled,
    rescue.Status.NO_ACCESS_TO_LENS: rescue.NoAccessToLens,
    rescue.Status.GLOBAL_IP_RESTRICTED: rescue.GlobalIpRestricted,
}

CLIENT_CLASSES = {
    rescue.Status.INVALID_ARGUMENT: (rescue.InvalidArgument, ValueError),
    rescue.Status.FIELD_TOO_LONG: (rescue.FieldTooLong, ValueError),
    rescue.Status.NETWORK: (rescue.NetworkError, ConnectionError),
    rescue.Status.TIMEOUT: (rescue.Timeout, TimeoutError),
    rescue.Status.TLS: (rescue.TlsError, Exception),
    rescue.Status.HTTP_STATUS: (rescue.HttpStatusError, Exception),
    rescue.Status.UNEXPECTED_RESPONSE: (rescue.UnexpectedResponse, Exception),
    rescue.Status.SOAP_FAULT: (rescue.SoapFault, Exception),
}


def test_status_numbers_and_names_are_the_compiled_modules() -> None:
    # The compiled table comes from ErrorKind::code()/name(), the C ABI's numbering.
    assert {s.name: s.value for s in rescue.Status} == _rescue.STATUS_CODES
    assert rescue.Status.OK.value == 0
    assert rescue.Status.NO_ACCESS_TO_LENS.value == 12
    assert rescue.Status.INVALID_ARGUMENT.value == 100
    assert rescue.Status.UNEXPECTED_RESPONSE.value == 107
    assert rescue.Status.GLOBAL_IP_RESTRICTED.value == 13
    assert rescue.Status.SOAP_FAULT.value == 109


def test_every_status_but_ok_has_exactly_one_class() -> None:
    expected: Dict[rescue.Status, Type[rescue.RescueError]] = {
        **SERVICE_CLASSES, **{s: c for s, (c, _) in CLIENT_CLASSES.items()},
    }
    assert set(expected) == set(rescue.Status) - {rescue.Status.OK}
    for status, cls in expected.items():
        assert cls.status is status
    assert len(set(expected.values())) == len(expected)


@pytest.mark.parametrize("cls", list(SERVICE_CLASSES.values()))
def test_service_classes_subclass_rescue_error(cls: Type[rescue.RescueError]) -> None:
    assert issubclass(cls, rescue.RescueError)
    assert issubclass(cls, Exception)
    with pytest.raises(rescue.RescueError):
        raise cls("message")


@pytest.mark.parametrize(("cls", "builtin"), list(CLIENT_CLASSES.values()))
def test_client_classes_subclass_rescue_error_and_a_builtin(
    cls: Type[rescue.RescueError], builtin: Type[Exception]
) -> None:
    assert issubclass(cls, rescue.RescueError)
    assert issubclass(cls, builtin)
    with pytest.raises(builtin):
        raise cls("message")


def test_exceptions_are_shown_and_pickled_under_the_package() -> None:
    error = rescue.FieldTooLong("cfield0 is too long", field="cfield0", length=65, limit=64)
    assert type(error).__module__ == "rescue"
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is rescue.FieldTooLong
    assert (str(again), again.field, again.length, again.limit) == (
        "cfield0 is too long",
        "cfield0",
        65,
        64,
    )
    http = pickle.loads(pickle.dumps(rescue.HttpStatusError("503", http_status=503)))
    assert http.http_status == 503
    assert http.status is rescue.Status.HTTP_STATUS
    fault = pickle.loads(
        pickle.dumps(rescue.SoapFault("fault", fault_code="soap:Client", fault_text="why"))
    )
    assert (type(fault), fault.fault_code, fault.fault_text) == (rescue.SoapFault, "soap:Client", "why")
    assert fault.status is rescue.Status.SOAP_FAULT


def test_join_url() -> None:
    assert rescue.join_url("012345") == rescue.JOIN_URL_PREFIX + "012345"
    assert rescue.join_url("012345") == "https://secure.logmeinrescue.com/R?i=2&Code=012345"
    for bad in ["12345", "1234567", "12345a", "", "１２３４５６", "12345\udc80"]:
        with pytest.raises(rescue.InvalidArgument):
            rescue.join_url(bad)
    with pytest.raises(ValueError):
        rescue.join_url("abcdef")
    with pytest.raises(TypeError):
        rescue.join_url(12345)  # type: ignore[arg-type]


def test_version() -> None:
    assert rescue.__version__.count(".") == 2
