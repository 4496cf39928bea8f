//! The `/fault/<kind>/API/` variants: broken transports and odd layouts a client must survive.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use http_body::{Frame, SizeHint};

/// Longest `slow-<ms>` delay accepted, so a typo cannot park a request for days.
const MAX_SLOW: Duration = Duration::from_secs(10 * 60);
/// How long a `hang` request is held if the client never goes away.
pub(crate) const HANG_CAP: Duration = Duration::from_secs(10 * 60);
/// Size of the `huge` body.
pub(crate) const HUGE_LEN: u64 = 64 * 1024 * 1024;

/// How the answer to an API call is produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Variant {
    /// The normal service with the layout production traffic implies (`OK\r\nPINCODE:012345`);
    /// the `crlf` kind is an alias of it.
    Normal,
    /// Normal behaviour after a delay.
    Slow(Duration),
    /// Never answers.
    Hang,
    /// Closes the connection without an answer.
    Reset,
    /// An HTTP error status.
    Status(StatusCode),
    /// 200 with an HTML error page.
    Html,
    /// 200 with a 64 MiB body.
    Huge,
    /// 200 with an empty body.
    Empty,
    /// 200 `SOMETHING_NEW`.
    Unknown,
    /// Normal behaviour, laid out on one line as the vendor page shows it: `OK PINCODE:012345`.
    OneLine,
    /// Normal behaviour, laid out `OK PINCODE: 012345`.
    Spaced,
    /// `login.aspx` answers HTTP 503 (and is recorded as a login attempt); every other
    /// method behaves normally: a service whose login page is down while sessions live on,
    /// for tests of a client's renewal back-off.
    LoginUnavailable,
}

impl Variant {
    /// Parses a fault kind from the URL (case-insensitive); `None` for an unknown kind.
    pub(crate) fn from_kind(kind: &str) -> Option<Variant> {
        let kind = kind.to_ascii_lowercase();
        if let Some(ms) = kind.strip_prefix("slow-") {
            let ms: u64 = ms.parse().ok()?;
            return Some(Variant::Slow(Duration::from_millis(ms).min(MAX_SLOW)));
        }
        Some(match kind.as_str() {
            "hang" => Variant::Hang,
            "reset" => Variant::Reset,
            "status-500" => Variant::Status(StatusCode::INTERNAL_SERVER_ERROR),
            "status-503" => Variant::Status(StatusCode::SERVICE_UNAVAILABLE),
            "html" => Variant::Html,
            "huge" => Variant::Huge,
            "empty" => Variant::Empty,
            "unknown" => Variant::Unknown,
            // The default layout since SOAP came (issue 11); old `crlf` URLs keep working.
            "crlf" => Variant::Normal,
            "oneline" => Variant::OneLine,
            "spaced" => Variant::Spaced,
            "login-503" => Variant::LoginUnavailable,
            _ => return None,
        })
    }

    /// The canned response of a variant that does not run the method, if it is one.
    pub(crate) fn canned(self) -> Option<Response> {
        let (status, content_type, body) = match self {
            Variant::Status(status) => {
                let text = status.canonical_reason().unwrap_or("Error");
                (status, "text/plain; charset=utf-8", Body::from(text))
            }
            Variant::Html => (
                StatusCode::OK,
                "text/html; charset=utf-8",
                Body::from(HTML_ERROR_PAGE),
            ),
            Variant::Huge => (
                StatusCode::OK,
                "text/plain; charset=utf-8",
                Body::new(HugeBody { left: HUGE_LEN }),
            ),
            Variant::Empty => (StatusCode::OK, "text/plain; charset=utf-8", Body::empty()),
            Variant::Unknown => (
                StatusCode::OK,
                "text/plain; charset=utf-8",
                Body::from("SOMETHING_NEW"),
            ),
            _ => return None,
        };
        let mut response = Response::new(body);
        *response.status_mut() = status;
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        Some(response)
    }
}

/// What an ASP.NET site shows when it breaks, so clients see a realistic HTML page.
const HTML_ERROR_PAGE: &str =
    "<!DOCTYPE html>\r\n<html>\r\n<head><title>Runtime Error</title></head>\r\n\
<body>\r\n<h1>Server Error in '/' Application.</h1>\r\n<h2><i>Runtime Error</i></h2>\r\n\
<p>An application error occurred on the server.</p>\r\n</body>\r\n</html>\r\n";

/// Streams [`HUGE_LEN`] bytes from one shared chunk, so nothing large is ever allocated.
struct HugeBody {
    left: u64,
}

impl http_body::Body for HugeBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        static CHUNK: [u8; 64 * 1024] = [b'x'; 64 * 1024];
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let n = self.left.min(CHUNK.len() as u64);
        self.left -= n;
        Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(
            &CHUNK[..n as usize],
        )))))
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.left)
    }
}
