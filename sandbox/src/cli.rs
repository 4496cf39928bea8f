//! The `rescue-sandbox` command line, shared with the `rescue sandbox` subcommand.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::{builtin_accounts, parse_accounts, Config, Sandbox};
use clap::Parser;

/// The command line of `rescue-sandbox` (and of `rescue sandbox`).
#[derive(Parser, Debug)]
#[command(
    name = "rescue-sandbox",
    version,
    about = "A local simulation of the LogMeIn Rescue API for tests and demos."
)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// TOML file of `[[account]]` entries replacing the built-in accounts.
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,
    /// Minimum milliseconds between two PINs of one technician (0 disables the limit).
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub pin_interval_ms: u64,
    /// Seconds of inactivity after which a login session expires.
    #[arg(long, value_name = "N", default_value_t = 20 * 60)]
    pub session_idle_secs: u64,
    /// Milliseconds of the sliding window in which one email may call login ten times
    /// (the service's three minutes).
    #[arg(long, value_name = "N", default_value_t = 3 * 60 * 1000)]
    pub login_window_ms: u64,
    /// Serve HTTPS with a fresh self-signed certificate (needs --cert-out).
    #[arg(long, requires = "cert_out")]
    pub tls: bool,
    /// Where to write the PEM certificate clients must trust (with --tls).
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub cert_out: Option<PathBuf>,
}

/// Serves until SIGINT or SIGTERM: prints the base URL as the only line on stdout once
/// listening, then blocks. The error is one line for stderr.
pub fn run(cli: Args) -> Result<(), String> {
    // Catch signals before announcing the URL, so an immediate SIGTERM still exits cleanly.
    let signals = Signals::new().map_err(|e| format!("signal handling: {e}"))?;
    let accounts = match &cli.accounts {
        None => builtin_accounts(),
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            parse_accounts(&text).map_err(|e| format!("{}: {e}", path.display()))?
        }
    };
    let account_count = accounts.len();
    let config = Config {
        listen: cli.listen,
        accounts,
        pin_interval: Duration::from_millis(cli.pin_interval_ms),
        session_idle: Duration::from_secs(cli.session_idle_secs),
        tls: cli.tls,
        login_window: Duration::from_millis(cli.login_window_ms),
    };
    let sandbox =
        Sandbox::start(config).map_err(|e| format!("cannot listen on {}: {e}", cli.listen))?;
    if let (Some(path), Some(pem)) = (&cli.cert_out, sandbox.cert_pem()) {
        std::fs::write(path, pem).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    eprintln!(
        "rescue-sandbox: serving {account_count} accounts on {}",
        sandbox.addr()
    );
    // The URL line is the readiness signal for scripts: one line, flushed, nothing else on stdout.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", sandbox.base_url())
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("stdout: {e}"))?;
    drop(stdout);
    signals.wait();
    drop(sandbox);
    Ok(())
}

/// SIGINT and SIGTERM (Ctrl-C elsewhere), caught from creation on.
struct Signals {
    runtime: tokio::runtime::Runtime,
    #[cfg(unix)]
    streams: (tokio::signal::unix::Signal, tokio::signal::unix::Signal),
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        #[cfg(unix)]
        let streams = {
            use tokio::signal::unix::{signal, SignalKind};
            let _context = runtime.enter();
            (
                signal(SignalKind::terminate())?,
                signal(SignalKind::interrupt())?,
            )
        };
        Ok(Signals {
            runtime,
            #[cfg(unix)]
            streams,
        })
    }

    /// Blocks until one of the signals arrives.
    fn wait(self) {
        #[cfg(unix)]
        {
            let (mut term, mut int) = self.streams;
            self.runtime.block_on(async {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            });
        }
        #[cfg(not(unix))]
        {
            let _ = self.runtime.block_on(tokio::signal::ctrl_c());
        }
    }
}
