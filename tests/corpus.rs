//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) through the same entry points the
//! fuzz targets use, so that every input a fuzz run found interesting stays a regression
//! test on stable Rust. The fuzzer itself: `make fuzz` (nightly, cargo-fuzz).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Far above what one input takes (microseconds); catches a parser gone quadratic.
const PER_INPUT: Duration = Duration::from_secs(1);

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str, run: fn(&[u8])) {
    let files = inputs(target);
    assert!(
        files.len() >= 20,
        "{target}: only {} seed files",
        files.len()
    );
    for path in files {
        let bytes = fs::read(&path).expect("a readable corpus file");
        let started = Instant::now();
        run(&bytes);
        assert!(
            started.elapsed() < PER_INPUT,
            "{} took {:?}",
            path.display(),
            started.elapsed()
        );
    }
}

#[test]
fn response_corpus() {
    replay("response", rescue::fuzzing::parse_answer);
}

#[test]
fn cookies_corpus() {
    replay("cookies", rescue::fuzzing::store_cookies);
}

#[test]
fn soap_corpus() {
    replay("soap", rescue::fuzzing::parse_soap_answer);
}
