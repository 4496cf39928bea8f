//! HTTP glue: routes, parameter decoding, cookies and the text layout of answers; the
//! SOAP front of `API.asmx` (encoding in [`crate::soap`]) shares the cookie handling.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method as HttpMethod, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::api::{Answer, Cookie, Method, Params, Service, Transport};
use crate::faults::Variant;
use crate::soap::{self, Version};
use crate::wsdl;

/// Largest request body read; larger ones get 413.
pub(crate) const MAX_BODY: usize = 64 * 1024;
/// The session cookie name clients of the real service look for.
const SESSION_COOKIE: &str = "ASP.NET_SessionId";
const TEXT: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

/// All routes: inspection endpoints by exact path, API paths case-insensitively in the
/// fallback. `https` is the scheme the WSDL's service address uses.
pub(crate) fn router(service: Arc<Service>, https: bool) -> Router {
    Router::new()
        .route("/sandbox/sessions", get(sessions))
        .route("/sandbox/reset", post(reset))
        .route("/sandbox/expire", post(expire))
        .route("/sandbox/logins", get(logins))
        .route("/sandbox/password", post(password))
        .fallback(move |state: State<Arc<Service>>, request: Request| api(state, request, https))
        .with_state(service)
}

/// What an API path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A `<method>.aspx` page (HTTP GET and POST).
    Page(Method),
    /// `API.asmx`: SOAP 1.1 and 1.2 by POST, the WSDL and help page by GET.
    Asmx,
}

/// Splits `/API/<page>` or `/fault/<kind>/API/<page>`, ignoring ASCII case.
pub(crate) fn parse_api_path(path: &str) -> Option<(Variant, Target)> {
    let mut segments = path.strip_prefix('/')?.split('/');
    let first = segments.next()?;
    let variant = if first.eq_ignore_ascii_case("api") {
        Variant::Normal
    } else if first.eq_ignore_ascii_case("fault") {
        let variant = Variant::from_kind(segments.next()?)?;
        if !segments.next()?.eq_ignore_ascii_case("api") {
            return None;
        }
        variant
    } else {
        return None;
    };
    let segment = segments.next()?;
    let target = match Method::from_segment(segment) {
        Some(method) => Target::Page(method),
        None if segment.eq_ignore_ascii_case("api.asmx") => Target::Asmx,
        None => return None,
    };
    segments.next().is_none().then_some((variant, target))
}

/// The `hang` or `reset` fault a request meets before any HTTP answering, if any. The WSDL
/// and help page (GET `API.asmx`) are never faulted, so a client can read a fault
/// variant's WSDL and then call through that variant.
pub(crate) fn transport_fault(method: &HttpMethod, path: &str) -> Option<Variant> {
    match parse_api_path(path)? {
        (_, Target::Asmx) if method == HttpMethod::GET => None,
        (variant @ (Variant::Hang | Variant::Reset), _) => Some(variant),
        _ => None,
    }
}

async fn api(State(service): State<Arc<Service>>, request: Request, https: bool) -> Response {
    match parse_api_path(request.uri().path()) {
        None => plain(StatusCode::NOT_FOUND, "Not Found"),
        Some((variant, Target::Page(method))) => page(&service, variant, method, request).await,
        Some((variant, Target::Asmx)) => asmx(&service, variant, request, https).await,
    }
}

fn method_not_allowed() -> Response {
    let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed");
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
    response
}

/// A `.aspx` page: parameters from the query string and form body, a plain-text answer.
async fn page(service: &Service, variant: Variant, method: Method, request: Request) -> Response {
    let post = match *request.method() {
        HttpMethod::GET => false,
        HttpMethod::POST => true,
        _ => return method_not_allowed(),
    };
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large");
    };
    if let Some(response) = variant.canned() {
        return response;
    }
    if let Variant::Slow(delay) = variant {
        tokio::time::sleep(delay).await;
    }
    let params = decode_params(
        parts.uri.query(),
        post.then_some(&body).filter(|_| is_form(&parts.headers)),
    );
    if variant == Variant::LoginUnavailable && method == Method::Login {
        let email = params.email.as_deref().unwrap_or("");
        service.state.record_login_attempt(email, "HTTP 503");
        return plain(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable");
    }
    let transport = if post {
        Transport::Post
    } else {
        Transport::Get
    };
    let session = session_cookie(&parts.headers);
    let (answer, cookie) = service.call(method, params, session, transport, method.page());
    let response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, TEXT)],
        layout(&answer, variant),
    )
        .into_response();
    with_cookie(response, cookie)
}

/// `API.asmx`: SOAP calls by POST (the same handlers as the pages), the WSDL or the help
/// page by GET.
async fn asmx(service: &Service, variant: Variant, request: Request, https: bool) -> Response {
    match *request.method() {
        HttpMethod::GET => return describe(&request, https),
        HttpMethod::POST => {}
        _ => return method_not_allowed(),
    }
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large");
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let Some(version) = Version::from_content_type(content_type) else {
        return plain(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "API.asmx takes text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2)",
        );
    };
    if let Some(response) = variant.canned().filter(|_| variant != Variant::Unknown) {
        return response;
    }
    if let Variant::Slow(delay) = variant {
        tokio::time::sleep(delay).await;
    }
    let routed = match version {
        Version::V11 => {
            let action = parts
                .headers
                .get("soapaction")
                .map(|v| String::from_utf8_lossy(v.as_bytes()));
            match soap::route_action(action.as_deref()) {
                Ok(operation) => Some(operation),
                Err(fault) => return soap_fault(version, &fault),
            }
        }
        Version::V12 => None,
    };
    let (operation, params) = match soap::read_request(version, routed, &body) {
        Ok(call) => call,
        Err(fault) => return soap_fault(version, &fault),
    };
    if variant == Variant::Unknown {
        return soap_xml(
            version,
            StatusCode::OK,
            soap::unknown_word_xml(version, operation),
        );
    }
    if variant == Variant::LoginUnavailable && operation.method == Method::Login {
        let email = params.email.as_deref().unwrap_or("");
        service.state.record_login_attempt(email, "HTTP 503");
        return plain(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable");
    }
    let session = session_cookie(&parts.headers);
    let (answer, cookie) = service.call(
        operation.method,
        params,
        session,
        version.transport(),
        operation.name,
    );
    let xml = soap::answer_xml(version, operation, &answer);
    with_cookie(soap_xml(version, StatusCode::OK, xml), cookie)
}

/// GET `API.asmx`: the WSDL with `?wsdl` (any case), else the help page.
fn describe(request: &Request, https: bool) -> Response {
    let wants_wsdl = request.uri().query().is_some_and(|q| {
        form_urlencoded::parse(q.as_bytes()).any(|(name, _)| name.eq_ignore_ascii_case("wsdl"))
    });
    if !wants_wsdl {
        return (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            )],
            wsdl::help_page(),
        )
            .into_response();
    }
    // The address is where the WSDL was fetched from, as ASMX does: a fault variant's WSDL
    // sends the calls through that variant.
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()))
        .unwrap_or("localhost");
    let scheme = if https { "https" } else { "http" };
    let location = format!("{scheme}://{host}{}", request.uri().path());
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/xml; charset=utf-8"),
        )],
        wsdl::wsdl(&location),
    )
        .into_response()
}

fn soap_xml(version: Version, status: StatusCode, xml: String) -> Response {
    let content_type = HeaderValue::from_static(version.content_type());
    (status, [(header::CONTENT_TYPE, content_type)], xml).into_response()
}

/// Every fault is HTTP 500, as ASMX answers them.
fn soap_fault(version: Version, fault: &soap::Fault) -> Response {
    let xml = soap::fault_xml(version, fault);
    soap_xml(version, StatusCode::INTERNAL_SERVER_ERROR, xml)
}

fn with_cookie(mut response: Response, cookie: Cookie) -> Response {
    let set_cookie = match cookie {
        Cookie::Keep => None,
        Cookie::Set(id) => Some(format!("{SESSION_COOKIE}={id}; path=/; HttpOnly")),
        Cookie::Clear => Some(format!(
            "{SESSION_COOKIE}=; expires=Mon, 01-Jan-1990 00:00:00 GMT; path=/; HttpOnly"
        )),
    };
    if let Some(value) = set_cookie.and_then(|v| HeaderValue::try_from(v).ok()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Query string first, then the form body: as ASP.NET's `Request[name]` looks them up.
fn decode_params(query: Option<&str>, form: Option<&Bytes>) -> Params {
    let mut params = Params::default();
    let sources = query
        .map(str::as_bytes)
        .into_iter()
        .chain(form.map(|b| &b[..]));
    for source in sources {
        for (name, value) in form_urlencoded::parse(source) {
            params.add(&name, value);
        }
    }
    params
}

/// A POST body is a form when it says so, or says nothing (as curl `-d` and old clients may).
fn is_form(headers: &HeaderMap) -> bool {
    match headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        None => true,
        Some(ct) => {
            let mime = ct.split(';').next().unwrap_or("").trim();
            mime.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        }
    }
}

fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
}

/// The answer text: the layout production traffic implies (`OK\r\nPINCODE:012345`, no
/// trailing newline), or the `oneline` / `spaced` variants' layout of the vendor page. An
/// SMS result is a line of its own in every layout (`\r\nSMS_RESULT: <word>`), as the
/// vendor's v4 page shows it on a second line.
fn layout(answer: &Answer, variant: Variant) -> String {
    let word = answer.word().text();
    let (pair, sms_result) = match answer {
        Answer::Word(_) => (None, None),
        Answer::AuthCode(code) => (Some(("AUTHCODE", code.clone())), None),
        Answer::PinCode(pin) => (Some(("PINCODE", format!("{pin:06}"))), None),
        Answer::LensPin { pin, sms_result } => {
            (Some(("PINCODE", format!("{pin:06}"))), *sms_result)
        }
    };
    let mut text = match (variant, pair) {
        (_, None) => word.to_owned(),
        (Variant::OneLine, Some((key, value))) => format!("{word} {key}:{value}"),
        (Variant::Spaced, Some((key, value))) => format!("{word} {key}: {value}"),
        (_, Some((key, value))) => format!("{word}\r\n{key}:{value}"),
    };
    if let Some(result) = sms_result {
        text.push_str("\r\nSMS_RESULT: ");
        text.push_str(result);
    }
    text
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, [(header::CONTENT_TYPE, TEXT)], text).into_response()
}

async fn sessions(State(service): State<Arc<Service>>) -> Response {
    let records = service.state.sessions(&service.accounts);
    let json = serde_json::to_string(&records).unwrap_or_else(|_| "[]".into());
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response()
}

async fn logins(State(service): State<Arc<Service>>) -> Response {
    let json =
        serde_json::to_string(&service.state.login_attempts()).unwrap_or_else(|_| "{}".into());
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        json,
    )
        .into_response()
}

/// `email` and `password` from the query string or a form body.
async fn password(State(service): State<Arc<Service>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large");
    };
    let (mut email, mut password) = (None, None);
    let sources = parts
        .uri
        .query()
        .map(str::as_bytes)
        .into_iter()
        .chain([&body[..]]);
    for source in sources {
        for (name, value) in form_urlencoded::parse(source) {
            match &*name {
                "email" => email = Some(value.into_owned()),
                "password" => password = Some(value.into_owned()),
                _ => {}
            }
        }
    }
    match (email, password) {
        (Some(email), Some(password)) if service.set_password(&email, &password) => {
            plain(StatusCode::OK, "OK")
        }
        (Some(_), Some(_)) => plain(StatusCode::NOT_FOUND, "No such account"),
        _ => plain(StatusCode::BAD_REQUEST, "email and password are required"),
    }
}

async fn reset(State(service): State<Arc<Service>>) -> Response {
    service.state.reset();
    plain(StatusCode::OK, "OK")
}

async fn expire(State(service): State<Arc<Service>>) -> Response {
    service.state.expire_logins();
    plain(StatusCode::OK, "OK")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Word;

    #[test]
    fn parses_paths_case_insensitively() {
        assert_eq!(
            parse_api_path("/api/LOGIN.aspx"),
            Some((Variant::Normal, Target::Page(Method::Login)))
        );
        assert_eq!(
            parse_api_path("/Fault/ONELINE/Api/requestPINCode.aspx"),
            Some((Variant::OneLine, Target::Page(Method::RequestPinCode)))
        );
        assert_eq!(
            parse_api_path("/fault/crlf/API/login.aspx"),
            Some((Variant::Normal, Target::Page(Method::Login)))
        );
        assert_eq!(
            parse_api_path("/api/api.ASMX"),
            Some((Variant::Normal, Target::Asmx))
        );
        assert_eq!(parse_api_path("/API/API.asmx/login"), None);
        assert_eq!(parse_api_path("/fault/nope/API/login.aspx"), None);
        assert_eq!(parse_api_path("/API/login.aspx/extra"), None);
        assert_eq!(parse_api_path("/API/"), None);
    }

    #[test]
    fn lays_out_answers() {
        let pin = Answer::PinCode(12345);
        assert_eq!(layout(&pin, Variant::Normal), "OK\r\nPINCODE:012345");
        assert_eq!(layout(&pin, Variant::OneLine), "OK PINCODE:012345");
        assert_eq!(layout(&pin, Variant::Spaced), "OK PINCODE: 012345");
        let code = Answer::AuthCode("abc".into());
        assert_eq!(layout(&code, Variant::Normal), "OK\r\nAUTHCODE:abc");
        let lens = Answer::LensPin {
            pin: 7,
            sms_result: Some("sendInvitationForMobileSession_OK"),
        };
        assert_eq!(
            layout(&lens, Variant::Normal),
            "OK\r\nPINCODE:000007\r\nSMS_RESULT: sendInvitationForMobileSession_OK"
        );
        assert_eq!(
            layout(&lens, Variant::OneLine),
            "OK PINCODE:000007\r\nSMS_RESULT: sendInvitationForMobileSession_OK"
        );
        let no_sms = Answer::LensPin {
            pin: 7,
            sms_result: None,
        };
        assert_eq!(layout(&no_sms, Variant::Normal), "OK\r\nPINCODE:000007");
        let invalid = Answer::Word(Word::Invalid);
        assert_eq!(layout(&invalid, Variant::Spaced), "INVALID");
        assert_eq!(layout(&invalid, Variant::Normal), "INVALID");
    }

    #[test]
    fn reads_the_session_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; ASP.NET_SessionId=abc ; c=d"),
        );
        assert_eq!(session_cookie(&headers), Some("abc"));
    }
}
