//! `rescue-sandbox`: runs the Rescue API simulation until SIGINT/SIGTERM.
//!
//! Prints exactly one line to stdout, the base URL, once it listens; logs go to stderr.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match rescue_sandbox::cli::run(rescue_sandbox::cli::Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("rescue-sandbox: {message}");
            ExitCode::FAILURE
        }
    }
}
