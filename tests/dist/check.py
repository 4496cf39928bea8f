#!/usr/bin/env python3
"""Release checks (README, "Versions and releases"); standard library only.

  check.py [--python VENV_PYTHON]
      One version everywhere: Cargo.toml's workspace version, every crate, pyproject.toml,
      composer.json, the .NET project, CHANGELOG.md, rescue_version() and the soname of
      build/lib/librescue.so, and (with --python) the installed Python package. The
      licences: both files at the root, declared by every manifest, in the crate's file
      list (which holds nothing else than the library's sources, docs and licences) and in
      the installed wheel. Names: the Python distribution `librescue`, the .NET `Librescue`,
      no invented URL.
  check.py --artefacts DIR --expect KIND...
      Each artefact in DIR (crate, wheel, sdist, c, composer, windows, nupkg) is there once,
      carries both licence files byte for byte and the version.

Prints one line per check and "dist: N passed, M failed"; exits 1 on any failure.
"""

import argparse
import ctypes
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LICENCES = ("LICENSE-MIT", "LICENSE-APACHE")
SPDX = "MIT OR Apache-2.0"
APACHE_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"
# Only these may be in the published crate (cargo adds .cargo_vcs_info.json, Cargo.toml.orig).
CRATE_ALLOWED = re.compile(
    r"^(src/.+\.rs|build\.rs|cbindgen\.toml|include/rescue(_ffi)?\.h|README\.md|CHANGELOG\.md"
    r"|LICENSE-MIT|LICENSE-APACHE|Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|\.cargo_vcs_info\.json)$"
)
CRATE_MAX_FILE = 512 * 1024

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def toml(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return tomllib.load(f)


def licence_texts():
    return {name: open(os.path.join(ROOT, name), "rb").read() for name in LICENCES}


def workspace_version():
    return toml("Cargo.toml")["workspace"]["package"]["version"]


def check_sources(python):
    version = workspace_version()
    major = version.split(".")[0]
    check("workspace version is semver", re.fullmatch(r"\d+\.\d+\.\d+", version) is not None, version)
    workspace = toml("Cargo.toml")
    check("workspace licence", workspace["workspace"]["package"].get("license") == SPDX)
    for manifest in ("Cargo.toml", "sandbox/Cargo.toml", "cli/Cargo.toml"):
        package = toml(manifest)["package"]
        check(f"{manifest}: version from the workspace", package.get("version") == {"workspace": True},
              repr(package.get("version")))
        check(f"{manifest}: licence from the workspace", package.get("license") == {"workspace": True})
    for manifest in ("sandbox/Cargo.toml", "cli/Cargo.toml"):
        check(f"{manifest}: not published this round", toml(manifest)["package"].get("publish") is False)

    project = toml("pyproject.toml")["project"]
    check("pyproject: distribution name librescue", project.get("name") == "librescue", project.get("name"))
    check("pyproject: version from Cargo.toml",
          "version" in project.get("dynamic", []) and "version" not in project)
    check("pyproject: licence expression", project.get("license") == SPDX, repr(project.get("license")))
    check("pyproject: licence files", project.get("license-files") == list(LICENCES),
          repr(project.get("license-files")))
    check("pyproject: import name rescue",
          toml("pyproject.toml")["tool"]["maturin"].get("module-name") == "rescue._rescue")

    composer = json.loads(read("bindings/php/composer.json"))
    check("composer.json: version", composer.get("version") == version, repr(composer.get("version")))
    check("composer.json: name", composer.get("name") == "librescue/rescue")
    check("composer.json: licence", composer.get("license") == ["MIT", "Apache-2.0"], repr(composer.get("license")))

    # The .NET binding (issue 13): a version, if the project states one, is ours; the id
    # and namespaces never pose as the vendor's.
    for directory, _, files in os.walk(os.path.join(ROOT, "bindings", "dotnet")):
        for name in files:
            path = os.path.join(directory, name)
            rel = os.path.relpath(path, ROOT)
            if name.endswith((".csproj", ".props")):
                text = open(path, encoding="utf-8").read()
                for tag in ("Version", "VersionPrefix", "PackageVersion"):
                    for value in re.findall(rf"<{tag}>([^<$]*)</{tag}>", text):
                        check(f"{rel}: <{tag}>", value == version, value)
                for value in re.findall(r"<PackageId>([^<]*)</PackageId>", text):
                    check(f"{rel}: PackageId", value == "Librescue", value)
                for value in re.findall(r"<PackageLicenseExpression>([^<]*)</PackageLicenseExpression>", text):
                    check(f"{rel}: licence", value == SPDX, value)
            if name.endswith((".cs", ".csproj", ".props", ".nuspec")):
                text = open(path, encoding="utf-8").read()
                check(f"{rel}: no LogMeIn. namespace or id",
                      re.search(r"(namespace|<PackageId>|<RootNamespace>)\s*LogMeIn\.", text) is None)

    changelog = read("CHANGELOG.md")
    check("CHANGELOG.md: Unreleased section", "\n## [Unreleased]\n" in changelog)
    check(f"CHANGELOG.md: section for {version}",
          re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M) is not None)

    for manifest in ("Cargo.toml", "sandbox/Cargo.toml", "cli/Cargo.toml", "pyproject.toml",
                     "bindings/php/composer.json", "bindings/c/rescue.pc.sh"):
        check(f"{manifest}: no invented URL", "example.invalid" not in read(manifest))

    texts = licence_texts()
    check("LICENSE-MIT: MIT text, our copyright",
          b"Copyright (c) the librescue developers" in texts["LICENSE-MIT"]
          and b"Permission is hereby granted, free of charge" in texts["LICENSE-MIT"])
    # The Apache Software Foundation's text as Debian ships it (/usr/share/common-licenses).
    check("LICENSE-APACHE: the Apache 2.0 text, unchanged",
          hashlib.sha256(texts["LICENSE-APACHE"]).hexdigest() == APACHE_SHA256)

    readme = read("README.md")
    check("README: independent client", "independent client" in readme.lower())
    check("README: version policy", "## Versions and releases" in readme)

    # The C library as built (`make lib`).
    lib = os.path.join(ROOT, "build", "lib", f"librescue.so.{version}")
    if os.path.exists(lib):
        rescue = ctypes.CDLL(lib)
        rescue.rescue_version.restype = ctypes.c_char_p
        got = rescue.rescue_version().decode()
        check("rescue_version() is the workspace version", got == version, got)
        dynamic = subprocess.run(["readelf", "-d", lib], capture_output=True, text=True).stdout
        soname = re.search(r"\(SONAME\)\s+Library soname: \[([^\]]+)\]", dynamic)
        check(f"soname librescue.so.{major}", soname is not None and soname.group(1) == f"librescue.so.{major}",
              soname.group(1) if soname else "none")
    else:
        check("build/lib/librescue.so exists (make lib)", False, lib)

    check_crate_list(version)
    if python:
        check_installed_python(python, version)


def check_crate_list(version):
    out = subprocess.run(["cargo", "package", "-p", "rescue", "--list", "--allow-dirty", "--quiet"],
                         cwd=ROOT, capture_output=True, text=True)
    check("cargo package --list runs", out.returncode == 0, out.stderr[-500:])
    files = [line for line in out.stdout.splitlines() if line.strip()]
    for required in LICENCES + ("README.md", "CHANGELOG.md", "Cargo.toml", "src/lib.rs", "build.rs"):
        check(f"crate holds {required}", required in files)
    stray = [f for f in files if not CRATE_ALLOWED.match(f)]
    check("crate holds no tests, bindings or other junk", not stray, ", ".join(stray[:10]))
    large = [f for f in files if os.path.isfile(os.path.join(ROOT, f))
             and os.path.getsize(os.path.join(ROOT, f)) > CRATE_MAX_FILE]
    check("crate holds no file over 512 KiB", not large, ", ".join(large))


def check_installed_python(python, version):
    # What pip installed from the wheel it built (mk/python.mk): the version, the licence
    # files in its metadata, and `rescue` provided by this distribution alone.
    script = r"""
import importlib.metadata as m, json, rescue
dist = m.distribution("librescue")
print(json.dumps({
    "version": rescue.__version__,
    "dist_version": dist.version,
    "licences": sorted(str(f).rsplit("/", 1)[-1] for f in dist.files if "/licenses/" in str(f)),
    "license_expression": dist.metadata.get("License-Expression"),
    "providers": m.packages_distributions().get("rescue", []),
}))
"""
    out = subprocess.run([os.path.abspath(python), "-c", script], capture_output=True, text=True, cwd="/")
    check("installed Python package loads", out.returncode == 0, out.stderr[-500:])
    if out.returncode != 0:
        return
    info = json.loads(out.stdout)
    check("rescue.__version__ is the workspace version", info["version"] == version, info["version"])
    check("librescue distribution version", info["dist_version"] == version, info["dist_version"])
    check("wheel metadata holds both licences", info["licences"] == sorted(LICENCES), repr(info["licences"]))
    check("wheel metadata License-Expression", info["license_expression"] == SPDX, repr(info["license_expression"]))
    check("`import rescue` comes from librescue alone", info["providers"] == ["librescue"], repr(info["providers"]))


# ---- artefacts ----------------------------------------------------------------------------

def members(path):
    """{member name: bytes-reader} of a tar.gz or zip artefact."""
    if path.endswith((".tar.gz", ".crate")):
        archive = tarfile.open(path, "r:gz")
        return {m.name: (lambda m=m: archive.extractfile(m).read()) for m in archive.getmembers() if m.isfile()}
    archive = zipfile.ZipFile(path)
    return {n: (lambda n=n: archive.read(n)) for n in archive.namelist() if not n.endswith("/")}


def check_artefacts(directory, expect):
    version = workspace_version()
    texts = licence_texts()
    kinds = {
        "crate": (rf"^rescue-{version}\.crate$", f"rescue-{version}/"),
        "wheel": (rf"^librescue-{version}-cp\d+-abi3-[\w.]+\.whl$", f"librescue-{version}.dist-info/licenses/"),
        "sdist": (rf"^librescue-{version}\.tar\.gz$", f"librescue-{version}/"),
        "c": (rf"^librescue-{version}-linux-x86_64\.tar\.gz$", f"librescue-{version}-linux-x86_64/"),
        "composer": (rf"^librescue-rescue-{version}\.zip$", ""),
        "windows": (rf"^librescue-{version}-windows-x86_64\.zip$", f"librescue-{version}-windows-x86_64/"),
        "nupkg": (rf"^Librescue\.{version}\.nupkg$", None),
    }
    names = sorted(os.listdir(directory))
    for kind in expect:
        pattern, prefix = kinds[kind]
        found = [n for n in names if re.match(pattern, n)]
        check(f"{kind}: one artefact", len(found) == 1, f"{found} in {names}")
        if len(found) != 1:
            continue
        content = members(os.path.join(directory, found[0]))
        for licence in LICENCES:
            if prefix is None:  # NuGet: wherever the project packs it
                hits = [n for n in content if n.rsplit("/", 1)[-1] == licence]
            else:
                hits = [n for n in content if n == prefix + licence]
            check(f"{kind}: {found[0]} holds {licence}",
                  len(hits) >= 1 and all(content[h]() == texts[licence] for h in hits), repr(hits))
        if kind == "c":
            for member in ("lib/librescue.a", f"lib/librescue.so.{version}", "lib/pkgconfig/rescue.pc",
                           "include/rescue.h", "include/rescue_ffi.h", "include/rescue.hpp", "README.md"):
                check(f"c: holds {member}", prefix + member in content)
        if kind == "composer":
            meta = json.loads(content["composer.json"]())
            check("composer: composer.json version", meta.get("version") == version)
        if kind == "windows":
            for member in ("rescue.dll", "rescue.lib", "librescue.dll.a", "rescue.h", "rescue.hpp"):
                check(f"windows: holds {member}", prefix + member in content)
        if kind == "nupkg":
            nuspec = [n for n in content if n.endswith(".nuspec")]
            text = content[nuspec[0]]().decode() if nuspec else ""
            check("nupkg: id Librescue", "<id>Librescue</id>" in text)
            check("nupkg: version", f"<version>{version}</version>" in text)
        if kind == "crate":
            stray = [n[len(prefix):] for n in content if not CRATE_ALLOWED.match(n[len(prefix):])]
            check("crate: nothing but sources, docs and licences", not stray, repr(stray[:10]))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", help="the venv's python that has librescue installed")
    parser.add_argument("--artefacts", help="a dist directory to check instead of the sources")
    parser.add_argument("--expect", nargs="*", default=[], help="artefact kinds that must be there")
    args = parser.parse_args()
    if args.artefacts:
        check_artefacts(args.artefacts, args.expect)
    else:
        check_sources(args.python)
    print(f"dist: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
