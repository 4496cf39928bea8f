//! HTTP glue: routes, parameter decoding, cookies and the text layout of answers.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method as HttpMethod, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::api::{Answer, Cookie, Method, Params, Service};
use crate::faults::Variant;

/// Largest request body read; larger ones get 413.
pub(crate) const MAX_BODY: usize = 64 * 1024;
/// The session cookie name clients of the real service look for.
const SESSION_COOKIE: &str = "ASP.NET_SessionId";
const TEXT: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

/// All routes: inspection endpoints by exact path, API paths case-insensitively in the fallback.
pub(crate) fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/sandbox/sessions", get(sessions))
        .route("/sandbox/reset", post(reset))
        .route("/sandbox/expire", post(expire))
        .route("/sandbox/logins", get(logins))
        .route("/sandbox/password", post(password))
        .fallback(api)
        .with_state(service)
}

/// Splits `/API/<method>` or `/fault/<kind>/API/<method>`, ignoring ASCII case.
pub(crate) fn parse_api_path(path: &str) -> Option<(Variant, Method)> {
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
    let method = Method::from_segment(segments.next()?)?;
    segments.next().is_none().then_some((variant, method))
}

async fn api(State(service): State<Arc<Service>>, request: Request) -> Response {
    let Some((variant, method)) = parse_api_path(request.uri().path()) else {
        return plain(StatusCode::NOT_FOUND, "Not Found");
    };
    let post = match *request.method() {
        HttpMethod::GET => false,
        HttpMethod::POST => true,
        _ => {
            let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed");
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
            return response;
        }
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
    let (answer, cookie) = service.call(method, params, session_cookie(&parts.headers), post);
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, TEXT)],
        layout(&answer, variant),
    )
        .into_response();
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

/// The answer text: the vendor page's layout, or the `crlf` / `spaced` variants'.
fn layout(answer: &Answer, variant: Variant) -> String {
    let (word, pair) = match answer {
        Answer::Word(word) => (*word, None),
        Answer::AuthCode(code) => ("OK", Some(("AUTHCODE", code.clone()))),
        Answer::PinCode(pin) => ("OK", Some(("PINCODE", format!("{pin:06}")))),
    };
    match (variant, pair) {
        (Variant::Crlf, None) => format!("{word}\r\n"),
        (Variant::Crlf, Some((key, value))) => format!("{word}\r\n{key}:{value}\r\n"),
        (Variant::Spaced, Some((key, value))) => format!("{word} {key}: {value}"),
        (_, Some((key, value))) => format!("{word} {key}:{value}"),
        (_, None) => word.to_owned(),
    }
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

    #[test]
    fn parses_paths_case_insensitively() {
        assert_eq!(
            parse_api_path("/api/LOGIN.aspx"),
            Some((Variant::Normal, Method::Login))
        );
        assert_eq!(
            parse_api_path("/Fault/CRLF/Api/requestPINCode.aspx"),
            Some((Variant::Crlf, Method::RequestPinCode))
        );
        assert_eq!(parse_api_path("/fault/nope/API/login.aspx"), None);
        assert_eq!(parse_api_path("/API/login.aspx/extra"), None);
        assert_eq!(parse_api_path("/API/"), None);
    }

    #[test]
    fn lays_out_answers() {
        let pin = Answer::PinCode(12345);
        assert_eq!(layout(&pin, Variant::Normal), "OK PINCODE:012345");
        assert_eq!(layout(&pin, Variant::Crlf), "OK\r\nPINCODE:012345\r\n");
        assert_eq!(layout(&pin, Variant::Spaced), "OK PINCODE: 012345");
        assert_eq!(layout(&Answer::Word("INVALID"), Variant::Spaced), "INVALID");
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
