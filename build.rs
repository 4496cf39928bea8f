//! Generates the C headers from `src/ffi/` and sets the shared library's soname.
//!
//! The headers are always written to `OUT_DIR`; a test compares them with the committed
//! `include/` copies. `RESCUE_UPDATE_HEADER=1 cargo build` refreshes those copies.
//! The Python extension (feature `python`) needs neither.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=RESCUE_UPDATE_HEADER");
    if env::var_os("CARGO_FEATURE_PYTHON").is_some() {
        return;
    }
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_else(|_| "0".into());
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,librescue.so.{major}");
    }
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    let update = env::var("RESCUE_UPDATE_HEADER").as_deref() == Ok("1");

    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is valid");
    generate(&crate_dir, config.clone(), &out_dir, "rescue.h", update);
    generate(
        &crate_dir,
        preprocessor_free(config),
        &out_dir,
        "rescue_ffi.h",
        update,
    );
}

/// PHP's `FFI::cdef` rejects preprocessor lines: no includes, no guard, no `extern "C"`
/// block, no `#define` (the PIN buffer size; the status values are an enum).
fn preprocessor_free(mut config: cbindgen::Config) -> cbindgen::Config {
    config.include_guard = None;
    config.pragma_once = false;
    config.cpp_compat = false;
    config.no_includes = true;
    config.sys_includes = Vec::new();
    config.includes = Vec::new();
    config.header = Some(
        "/* librescue's C API for PHP FFI::cdef: rescue.h without preprocessor lines. */".into(),
    );
    config.documentation = false;
    config.export.exclude.push("RESCUE_PIN_BUFFER_LEN".into());
    config
}

fn generate(crate_dir: &Path, config: cbindgen::Config, out_dir: &Path, name: &str, update: bool) {
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/ffi/mod.rs"))
        .generate()
        .expect("cbindgen can read src/ffi");
    bindings.write_to_file(out_dir.join(name));
    if update {
        bindings.write_to_file(crate_dir.join("include").join(name));
    }
}
