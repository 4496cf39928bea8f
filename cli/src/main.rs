//! `rescue`: request LogMeIn Rescue PIN codes and authcodes from the command line.
//!
//! Credentials come from the environment (`RESCUE_EMAIL` and `RESCUE_PASSWORD`, or
//! `RESCUE_AUTHCODE`), never from the command line, where other users could read them.

mod args;
mod exit;
mod verbose;

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use rescue::{Client, LensInvitation, LensPin, Pin, PinRequest, Transport};
use rescue_sandbox::{Config, Sandbox, BUILTIN_PASSWORD};

use args::{Cli, Command, Target};
use exit::Failure;

/// The account `--sandbox` acts as.
const SANDBOX_TECHNICIAN: &str = "tech@sandbox.test";

fn main() -> ExitCode {
    let cli = Cli::parse();
    verbose::init(cli.verbose);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("rescue: {}", failure.message());
            ExitCode::from(failure.exit_code())
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::LensPin(args) => pin(&args.target, Kind::Lens(args.invitation())),
        Command::Pin(target) => pin(&target, Kind::Desktop),
        Command::AuthCode(target) => auth_code(&target),
        Command::Sandbox(serve) => rescue_sandbox::cli::run(serve).map_err(Failure::Other),
    }
}

enum Kind {
    Lens(LensInvitation),
    Desktop,
}

/// Where the command talks to, and as whom.
struct Connection {
    client: Client,
    credentials: Credentials,
    /// Kept alive for the command's duration with `--sandbox`.
    _sandbox: Option<Sandbox>,
}

enum Credentials {
    Login { email: String, password: String },
    AuthCode(String),
}

fn connect(target: &Target, authcode_allowed: bool) -> Result<Connection, Failure> {
    let (base_url, credentials, sandbox) = if target.sandbox {
        let sandbox = Sandbox::start(Config::default())
            .map_err(|e| Failure::Other(format!("the sandbox could not start: {e}")))?;
        let credentials = Credentials::Login {
            email: SANDBOX_TECHNICIAN.to_owned(),
            password: BUILTIN_PASSWORD.to_owned(),
        };
        (sandbox.base_url(), credentials, Some(sandbox))
    } else {
        let base_url = target
            .endpoint
            .clone()
            .unwrap_or_else(|| rescue::DEFAULT_BASE_URL.to_owned());
        (base_url, credentials_from_env(authcode_allowed)?, None)
    };
    let mut builder = Client::builder()
        .base_url(base_url)
        .timeout(Duration::from_secs_f64(target.timeout))
        .transport(match (target.transport, target.get) {
            (Some(transport), _) => transport,
            (None, true) => Transport::HttpGet,
            (None, false) => Transport::HttpPost,
        });
    if let Some(ca_file) = &target.ca_file {
        builder = builder.ca_file(ca_file);
    }
    if let Some(proxy) = &target.proxy {
        builder = builder.proxy(proxy);
    }
    Ok(Connection {
        client: builder.build()?,
        credentials,
        _sandbox: sandbox,
    })
}

fn credentials_from_env(authcode_allowed: bool) -> Result<Credentials, Failure> {
    let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    if authcode_allowed {
        if let Some(code) = var("RESCUE_AUTHCODE") {
            return Ok(Credentials::AuthCode(code));
        }
    }
    match (var("RESCUE_EMAIL"), var("RESCUE_PASSWORD")) {
        (Some(email), Some(password)) => Ok(Credentials::Login { email, password }),
        _ => Err(Failure::MissingCredentials(if authcode_allowed {
            "set RESCUE_EMAIL and RESCUE_PASSWORD, or RESCUE_AUTHCODE (or use --sandbox)"
        } else {
            "set RESCUE_EMAIL and RESCUE_PASSWORD (or use --sandbox)"
        })),
    }
}

fn pin(target: &Target, kind: Kind) -> Result<(), Failure> {
    let connection = connect(target, true)?;
    let mut request = target.fields.to_request();
    let logged_in = match &connection.credentials {
        Credentials::AuthCode(code) => {
            request = request.authcode(code);
            false
        }
        Credentials::Login { email, password } => {
            connection.client.login(email, password)?;
            true
        }
    };
    let result = request_pin(&connection.client, &kind, &request);
    if logged_in {
        // The PIN stands on its own; a failed logout only leaves an idle session behind.
        if let Err(error) = connection.client.logout() {
            eprintln!("rescue: warning: logout failed: {error}");
        }
    }
    let (pin, sms_result) = result?;
    // An invitation's SMS result is a third line (a JSON member); without one, v1 output.
    let invited = matches!(&kind, Kind::Lens(invitation) if !invitation.is_empty());
    if target.json {
        let mut json = serde_json::json!({ "pin": pin.as_str(), "join_url": pin.join_url() });
        if invited {
            json["sms_result"] = serde_json::json!(sms_result);
        }
        print(&json.to_string())
    } else {
        let mut text = format!("{pin}\n{}", pin.join_url());
        if invited {
            text.push('\n');
            text.push_str(sms_result.as_deref().unwrap_or(""));
        }
        print(&text)
    }
}

fn request_pin(
    client: &Client,
    kind: &Kind,
    request: &PinRequest,
) -> Result<(Pin, Option<String>), rescue::Error> {
    match kind {
        Kind::Lens(invitation) if invitation.is_empty() => {
            client.request_lens_pin(request).map(|pin| (pin, None))
        }
        Kind::Lens(invitation) => client
            .request_lens_pin_invite(request, invitation)
            .map(LensPin::into_parts),
        Kind::Desktop => client.request_pin(request).map(|pin| (pin, None)),
    }
}

fn auth_code(target: &Target) -> Result<(), Failure> {
    let connection = connect(target, false)?;
    let Credentials::Login { email, password } = &connection.credentials else {
        unreachable!("auth-code reads only email and password");
    };
    let code = connection.client.request_auth_code(email, password)?;
    if target.json {
        print(&serde_json::json!({ "authcode": code }).to_string())
    } else {
        print(&code)
    }
}

fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{text}")
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::Other(format!("cannot write the result: {e}")))
}
