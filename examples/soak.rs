//! Soak: many PIN requests through one client, watching the process's resident memory.
//!
//! ```sh
//! cargo run --release --example soak -- --calls 100000      # make soak
//! ```
//!
//! Logs in once and requests `--calls` Lens PINs from a sandbox (PIN interval 0), sampling
//! VmRSS every 1/20 of the run. The first tenth is warm-up (connection pool, allocator
//! arenas); prints the table and `RSS after warm-up X KiB, at end Y KiB, growth Z %`, and
//! exits 1 when the growth exceeds `--max-growth` percent (default 5).
//!
//! The sandbox is `rescue_sandbox::Sandbox`, run by this same program in a child process
//! (`--serve-sandbox`): in-process, its own record of every session and its runtime's
//! allocator arenas grew the measured RSS by ~45 % over 100,000 calls and hid the client's
//! flat line. At every sample the sandbox is reset, which also ends the login session, so
//! the run covers the client's renewal (one re-login per reset) too.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use rescue::{Client, PinRequest};
use rescue_sandbox::{Config, Sandbox};

const SAMPLES: usize = 20;
const WARM_UP_SAMPLES: usize = 2;

struct Options {
    calls: usize,
    max_growth: f64,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        calls: 100_000,
        max_growth: 5.0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--serve-sandbox" {
            serve_sandbox();
        }
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--calls" => {
                options.calls = value("--calls")?
                    .parse()
                    .map_err(|e| format!("--calls: {e}"))?
            }
            "--max-growth" => {
                options.max_growth = value("--max-growth")?
                    .parse()
                    .map_err(|e| format!("--max-growth: {e}"))?
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if options.calls < SAMPLES {
        return Err(format!("--calls must be at least {SAMPLES}"));
    }
    Ok(options)
}

/// The resident set size of this process, in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(problem) => {
            eprintln!("soak: {problem}\nusage: soak [--calls N] [--max-growth PERCENT]");
            return ExitCode::from(2);
        }
    };
    let (mut child, url) = match start_sandbox() {
        Ok(started) => started,
        Err(problem) => {
            eprintln!("soak: the sandbox did not start: {problem}");
            return ExitCode::FAILURE;
        }
    };
    let code = soak(&options, &url);
    // Closing its stdin stops the sandbox.
    drop(child.stdin.take());
    let _ = child.wait();
    code
}

fn soak(options: &Options, url: &str) -> ExitCode {
    let client = Client::builder()
        .base_url(url)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client");
    client.login("tech@sandbox.test", "sandbox").expect("login");

    let every = options.calls / SAMPLES;
    let request = PinRequest::new().cfield0("soak").tracking0("T-1");
    let mut samples = Vec::with_capacity(SAMPLES);
    let started = Instant::now();
    println!("{:>9} {:>10} {:>9}", "calls", "RSS KiB", "calls/s");
    for sample in 1..=SAMPLES {
        let lap = Instant::now();
        for call in 0..every {
            if let Err(error) = client.request_lens_pin(&request) {
                eprintln!("soak: call {} failed: {error}", (sample - 1) * every + call);
                return ExitCode::FAILURE;
            }
        }
        if let Err(problem) = reset(url) {
            eprintln!("soak: could not reset the sandbox: {problem}");
            return ExitCode::FAILURE;
        }
        let rss = rss_kib();
        samples.push(rss);
        let rate = every as f64 / lap.elapsed().as_secs_f64();
        println!("{:>9} {rss:>10} {rate:>9.0}", sample * every);
    }
    let elapsed = started.elapsed();
    let warm = samples[WARM_UP_SAMPLES - 1];
    let end = samples[SAMPLES - 1];
    let growth = (end as f64 - warm as f64) / warm as f64 * 100.0;
    println!(
        "{} calls in {elapsed:.1?} ({:.0}/s)",
        every * SAMPLES,
        (every * SAMPLES) as f64 / elapsed.as_secs_f64()
    );
    println!("RSS after warm-up {warm} KiB, at end {end} KiB, growth {growth:.1} %");
    if growth > options.max_growth {
        eprintln!("soak: RSS grew by more than {} %", options.max_growth);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `--serve-sandbox`: runs a sandbox, prints its base URL, serves until stdin closes.
fn serve_sandbox() -> ! {
    let sandbox = Sandbox::start(Config {
        pin_interval: Duration::ZERO,
        ..Config::default()
    })
    .expect("the sandbox starts");
    println!("{}", sandbox.base_url());
    let _ = std::io::stdout().flush();
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    drop(sandbox);
    std::process::exit(0)
}

/// Starts this program as `--serve-sandbox` and reads the sandbox's URL.
fn start_sandbox() -> std::io::Result<(Child, String)> {
    let mut child = Command::new(std::env::current_exe()?)
        .arg("--serve-sandbox")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut url = String::new();
    if let Some(stdout) = child.stdout.take() {
        BufReader::new(stdout).read_line(&mut url)?;
    }
    let url = url.trim().to_owned();
    if !url.starts_with("http://") {
        let _ = child.kill();
        let _ = child.wait();
        return Err(std::io::Error::other("no URL on its stdout"));
    }
    Ok((child, url))
}

/// `POST /sandbox/reset`: forgets sessions, logins and rate counters.
fn reset(url: &str) -> std::io::Result<()> {
    let host = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    let mut tcp = TcpStream::connect(host)?;
    write!(
        tcp,
        "POST /sandbox/reset HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    tcp.read_to_string(&mut answer)?;
    match answer.starts_with("HTTP/1.1 200") {
        true => Ok(()),
        false => Err(std::io::Error::other(answer)),
    }
}
