//! HTTPS: a fresh self-signed certificate per sandbox, served with rustls on `ring`.

use std::io;
use std::sync::Arc;

use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// Names the certificate is valid for: the URL uses `localhost`; `127.0.0.1` covers IP clients.
const NAMES: [&str; 2] = ["localhost", "127.0.0.1"];

/// Makes a certificate and an acceptor for it; returns the certificate's PEM, which clients
/// trust as their root.
pub(crate) fn self_signed() -> io::Result<(String, TlsAcceptor)> {
    let names: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
    let certified = rcgen::generate_simple_self_signed(names).map_err(io::Error::other)?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    // Name the provider explicitly: the process-wide default may be unset or another one.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .map_err(io::Error::other)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((certified.cert.pem(), TlsAcceptor::from(Arc::new(config))))
}
