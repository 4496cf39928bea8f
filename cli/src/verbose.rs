//! `-v`, `-vv`, `-vvv`: the library's events (log target `rescue`) on stderr, one a line.

use log::{LevelFilter, Log, Metadata, Record};

struct Stderr;

impl Log for Stderr {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // The library's own events only: ureq's debug records show request lines.
        metadata.target().starts_with("rescue")
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            eprintln!("rescue: {}: {}", record.level(), record.args());
        }
    }

    fn flush(&self) {}
}

static STDERR: Stderr = Stderr;

/// Turns logging on for `count` `-v` flags (none: off).
pub fn init(count: u8) {
    let level = match count {
        0 => return,
        1 => LevelFilter::Info,
        2 => LevelFilter::Debug,
        _ => LevelFilter::Trace,
    };
    if log::set_logger(&STDERR).is_ok() {
        log::set_max_level(level);
    }
}
