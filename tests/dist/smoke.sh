#!/usr/bin/env bash
# Installs each release artefact found in DIR into a fresh place of its own and gets one
# Lens PIN from the sandbox with it. Run by tests/c/run.sh, which starts the sandbox
# (RESCUE_URL) and stops it by PID:
#   tests/c/run.sh target/debug/rescue-sandbox tests/dist/smoke.sh DIR
#   C tarball   unpacked into a temporary prefix; examples/lens_pin.c built with pkg-config
#               (the tarball's own rescue.pc) and run with the prefix's lib/ on the path
#   Composer    `composer install` of the zip from an artifact repository (Packagist off)
#               into a new project; PHP loads the C tarball's library by path
#   wheel       a new venv, `pip install --no-index` of the wheel, `import rescue`
#   sdist       a new venv with maturin, `pip install` of the sdist: built from source
#   crate       a new cargo project depending on the unpacked .crate
#   Windows zip examples/lens_pin.c linked with MinGW against the zip's files and run
#               under Wine (WINDOWS=1, with the Windows lane's prefix and WIN_SHIM)
#   .nupkg      its contents are checked by check.py; running it is the .NET lane's part
# Prints each check and "dist-smoke: N passed, M failed"; exits 1 on any failure.
set -uo pipefail

dir=${1:?usage: smoke.sh DIST_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)
unset LD_LIBRARY_PATH RESCUE_LIBRARY RESCUE_HEADER PKG_CONFIG_PATH MAKEFLAGS MFLAGS
export RESCUE_EMAIL=tech@sandbox.test RESCUE_PASSWORD=sandbox
source "$(dirname "${BASH_SOURCE[0]}")/../tally.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# is_pin FILE: the file's last line is one PIN (six digits).
is_pin() {
    local pin
    pin=$(tail -n1 "$1")
    if [[ $pin =~ ^[0-9]{6}$ ]]; then
        echo "PIN $pin"
    else
        echo "not a PIN: $(tail -c 300 "$1")"
        return 1
    fi
}

one() { # one GLOB: the single file in $dir matching GLOB, else nothing
    local found=("$dir"/$1)
    [ ${#found[@]} -eq 1 ] && [ -f "${found[0]}" ] && echo "${found[0]}"
}

c_tarball=$(one "librescue-$version-linux-x86_64.tar.gz")
prefix=$tmp/c-prefix
c_smoke() {
    mkdir -p "$prefix" &&
        tar -xzf "$c_tarball" -C "$prefix" --strip-components=1 &&
        local flags &&
        flags=$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs rescue) &&
        echo "pkg-config: $flags" &&
        cc -std=c11 -Wall -Wextra -Werror -o "$tmp/lens_pin" "$root/examples/lens_pin.c" $flags &&
        LD_LIBRARY_PATH=$prefix/lib "$tmp/lens_pin" "$RESCUE_URL" >"$tmp/c.out" &&
        is_pin "$tmp/c.out" &&
        [ "$(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --modversion rescue)" = "$version" ]
}
if [ -n "$c_tarball" ]; then
    check "C tarball: pkg-config build, one PIN" c_smoke
fi

composer_zip=$(one "librescue-rescue-$version.zip")
composer_smoke() {
    local app=$tmp/php-app
    mkdir -p "$app" && cat >"$app/composer.json" <<JSON
{
    "require": {"librescue/rescue": "$version"},
    "repositories": [{"type": "artifact", "url": "$dir"}, {"packagist.org": false}]
}
JSON
    cat >"$app/app.php" <<'PHP'
<?php
require __DIR__ . '/vendor/autoload.php';
$client = new Rescue\Client($argv[1], ['library' => $argv[2]]);
$client->login(getenv('RESCUE_EMAIL'), getenv('RESCUE_PASSWORD'));
echo $client->requestLensPin(['cfield0' => 'dist smoke']), "\n";
PHP
    (cd "$app" && COMPOSER_HOME=$tmp/composer-home composer install --no-interaction --no-progress \
        --no-cache 2>&1) &&
        [ -f "$app/vendor/librescue/rescue/LICENSE-MIT" ] &&
        [ -f "$app/vendor/librescue/rescue/LICENSE-APACHE" ] &&
        php -d ffi.enable=1 "$app/app.php" "$RESCUE_URL" "$prefix/lib/librescue.so.${version%%.*}" >"$tmp/php.out" &&
        is_pin "$tmp/php.out"
}
if [ -n "$composer_zip" ]; then
    if [ -z "$c_tarball" ]; then
        check "Composer zip: needs the C tarball beside it" false
    else
        check "Composer zip: composer install, one PIN" composer_smoke
    fi
fi

py_pin='
import sys, rescue
assert rescue.__file__.startswith(sys.prefix), rescue.__file__
with rescue.Client(sys.argv[1]) as client:
    client.login("tech@sandbox.test", "sandbox")
    print(client.request_lens_pin(cfield0="dist smoke"))
'
wheel=$(one "librescue-$version-*.whl")
wheel_smoke() {
    python3 -m venv "$tmp/wheel-venv" &&
        "$tmp/wheel-venv/bin/pip" install --quiet --no-index --no-deps "$wheel" &&
        (cd "$tmp" && "$tmp/wheel-venv/bin/python" -c "$py_pin" "$RESCUE_URL") >"$tmp/wheel.out" &&
        is_pin "$tmp/wheel.out"
}
if [ -n "$wheel" ]; then
    check "wheel: pip install into a new venv, one PIN" wheel_smoke
fi

sdist=$(one "librescue-$version.tar.gz")
sdist_smoke() {
    python3 -m venv "$tmp/sdist-venv" &&
        "$tmp/sdist-venv/bin/pip" install --quiet 'maturin>=1.9,<2' &&
        PATH="$tmp/sdist-venv/bin:$PATH" "$tmp/sdist-venv/bin/pip" install --quiet --no-deps \
            --no-build-isolation "$sdist" &&
        (cd "$tmp" && "$tmp/sdist-venv/bin/python" -c "$py_pin" "$RESCUE_URL") >"$tmp/sdist.out" &&
        is_pin "$tmp/sdist.out"
}
if [ -n "$sdist" ]; then
    check "sdist: built from source into a new venv, one PIN" sdist_smoke
fi

crate=$(one "rescue-$version.crate")
crate_smoke() {
    local app=$tmp/rust-app
    mkdir -p "$tmp/crates" "$app/src" && tar -xzf "$crate" -C "$tmp/crates" &&
        cat >"$app/Cargo.toml" <<TOML
[package]
name = "dist-smoke"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
rescue = { path = "$tmp/crates/rescue-$version" }

[workspace]
TOML
    cat >"$app/src/main.rs" <<'RUST'
fn main() -> Result<(), rescue::Error> {
    let url = std::env::args().nth(1).expect("base URL");
    let client = rescue::Client::builder().base_url(url.as_str()).build()?;
    client.login("tech@sandbox.test", "sandbox")?;
    let pin = client.request_lens_pin(&rescue::PinRequest::new().cfield0("dist smoke"))?;
    println!("{pin}");
    Ok(())
}
RUST
    # The crate's own Cargo.lock pins what it was verified with; a target dir that is
    # kept (target/dist-smoke) makes the second run quick.
    cp "$tmp/crates/rescue-$version/Cargo.lock" "$app/Cargo.lock" &&
        CARGO_TARGET_DIR=$root/target/dist-smoke cargo run --quiet --manifest-path "$app/Cargo.toml" \
            -- "$RESCUE_URL" >"$tmp/crate.out" &&
        is_pin "$tmp/crate.out"
}
if [ -n "$crate" ]; then
    check "crate: a new cargo project builds on it, one PIN" crate_smoke
fi

win_zip=$(one "librescue-$version-windows-x86_64.zip")
windows_smoke() {
    local win=$tmp/win
    mkdir -p "$win" && (cd "$win" && unzip -q "$win_zip") &&
        local pkg=$win/librescue-$version-windows-x86_64 &&
        "${WIN_CC:-x86_64-w64-mingw32-gcc}" -std=c11 -Wall -Wextra -Werror -I"$pkg" \
            -o "$pkg/lens_pin.exe" "$root/examples/lens_pin.c" -L"$pkg" -lrescue &&
        "${WIN_CC:-x86_64-w64-mingw32-gcc}" -std=c11 -Wall -Wextra -Werror -I"$pkg" \
            -o "$pkg/lens_pin_lib.exe" "$root/examples/lens_pin.c" "$pkg/rescue.lib" &&
        cp "$WIN_SHIM" "$pkg/" &&
        wine "$pkg/lens_pin.exe" "$RESCUE_URL" >"$tmp/win.out" 2>"$tmp/win.err" &&
        tr -d '\r' <"$tmp/win.out" >"$tmp/win.txt" && is_pin "$tmp/win.txt"
}
if [ -n "$win_zip" ]; then
    if [ "${WINDOWS:-0}" = 1 ] && command -v wine >/dev/null && [ -f "${WIN_SHIM:-}" ]; then
        check "Windows zip: MinGW link (both import libraries), one PIN under Wine" windows_smoke
    else
        check "Windows zip: needs WINDOWS=1, wine and WIN_SHIM to run" false
    fi
fi

finish dist-smoke && [ "$passed" -gt 0 ]
