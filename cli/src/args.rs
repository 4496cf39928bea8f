//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use rescue::{Field, PinRequest};

/// Request LogMeIn Rescue PIN codes and authcodes.
///
/// Credentials come from RESCUE_EMAIL and RESCUE_PASSWORD, or RESCUE_AUTHCODE (PIN
/// commands only), never from the command line.
#[derive(Parser, Debug)]
#[command(name = "rescue", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log what the library does to stderr: -v logins and renewals, -vv every exchange,
    /// -vvv parameter names and lengths. Never a password, authcode, cookie or field value.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Request a PIN code for a Rescue Lens (camera) session, optionally texted to the
    /// customer's phone.
    LensPin(LensPinArgs),
    /// Request a PIN code for a desktop session.
    Pin(Target),
    /// Request the account's secret authcode (needs RESCUE_EMAIL and RESCUE_PASSWORD).
    AuthCode(Target),
    /// Serve the sandbox: a local simulation of the Rescue API.
    Sandbox(rescue_sandbox::cli::Args),
}

/// `lens-pin`: the common options and the invitation's.
#[derive(Args, Debug)]
pub struct LensPinArgs {
    #[command(flatten)]
    pub target: Target,
    /// Text the PIN and its join link to this phone number (requestLensPINCode_v3); the
    /// SMS result is printed on a third line.
    #[arg(long, value_name = "NUMBER")]
    pub phone: Option<String>,
    /// The invitation's language: de, en, es, fr, nl or pt-br [service default: en].
    #[arg(long, value_name = "LANG")]
    pub lang: Option<String>,
    /// Create the PIN for this technician's NodeId (requestLensPINCode_v4; not over SOAP).
    #[arg(long, value_name = "ID")]
    pub node_id: Option<String>,
}

impl LensPinArgs {
    pub fn invitation(&self) -> rescue::LensInvitation {
        let mut invitation = rescue::LensInvitation::new();
        if let Some(phone) = &self.phone {
            invitation = invitation.phone_number(phone);
        }
        if let Some(lang) = &self.lang {
            invitation = invitation.lang_code(lang.as_str());
        }
        if let Some(node_id) = &self.node_id {
            invitation = invitation.node_id(node_id.as_str());
        }
        invitation
    }
}

/// Where to send the request, how, and what to print.
#[derive(Args, Debug)]
pub struct Target {
    /// The service's base URL [default: https://secure.logmeinrescue.com/API/].
    #[arg(long, value_name = "URL", conflicts_with = "sandbox")]
    pub endpoint: Option<String>,
    /// Run against an in-process sandbox as tech@sandbox.test.
    #[arg(long)]
    pub sandbox: bool,
    /// Print JSON instead of plain lines.
    #[arg(long)]
    pub json: bool,
    /// Seconds the whole call may take (login, PIN request and logout each get this).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = positive_seconds)]
    pub timeout: f64,
    /// Send parameters in the query string (GET) instead of a form body (POST); the same
    /// as `--transport http-get`.
    #[arg(long, conflicts_with = "transport")]
    pub get: bool,
    /// How calls travel: http-post (default), http-get, soap11 or soap12.
    #[arg(long, value_name = "TRANSPORT", value_parser = parse_transport)]
    pub transport: Option<rescue::Transport>,
    /// Trust the certificates in this PEM file instead of the built-in roots.
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Send requests through this proxy (HTTPS_PROXY etc. apply otherwise).
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    #[command(flatten)]
    pub fields: Fields,
}

/// The PIN request's fields.
#[derive(Args, Debug)]
pub struct Fields {
    /// Custom field 0 (at most 64 characters).
    #[arg(long, value_name = "TEXT")]
    pub cfield0: Option<String>,
    /// Custom field 1 (at most 512 characters).
    #[arg(long, value_name = "TEXT")]
    pub cfield1: Option<String>,
    /// Custom field 2 (at most 512 characters).
    #[arg(long, value_name = "TEXT")]
    pub cfield2: Option<String>,
    /// Custom field 3 (at most 256 characters).
    #[arg(long, value_name = "TEXT")]
    pub cfield3: Option<String>,
    /// Custom field 4 (at most 64 characters).
    #[arg(long, value_name = "TEXT")]
    pub cfield4: Option<String>,
    /// Custom field 5 (at most 64 characters).
    #[arg(long, value_name = "TEXT")]
    pub cfield5: Option<String>,
    /// Tracking field 0 (at most 64 characters).
    #[arg(long, value_name = "TEXT")]
    pub tracking0: Option<String>,
    /// Allow the PIN while the technician's console is not running.
    #[arg(long)]
    pub notechconsole: bool,
}

impl Fields {
    pub fn to_request(&self) -> PinRequest {
        let values = [
            &self.cfield0,
            &self.cfield1,
            &self.cfield2,
            &self.cfield3,
            &self.cfield4,
            &self.cfield5,
            &self.tracking0,
        ];
        let mut request = PinRequest::new().notechconsole(self.notechconsole);
        for (field, value) in Field::ALL.into_iter().zip(values) {
            request.set(field, value.clone());
        }
        request
    }
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 86_400.0 => Ok(seconds),
        _ => Err("expected seconds between 0 and 86400".to_owned()),
    }
}

fn parse_transport(text: &str) -> Result<rescue::Transport, String> {
    text.parse()
        .map_err(|e: rescue::ParseTransportError| e.to_string())
}
