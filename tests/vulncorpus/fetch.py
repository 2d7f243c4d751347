"""Download the vulnerable and fixed release of every corpus entry and keep
only the package sources.

Stdlib only (Python >= 3.11 for tomllib). Artefacts come from PyPI through
`pip download --no-deps` (a wheel when the release has a pure-Python one,
else the sdist), cached under .cache/vulncorpus (env VULNCORPUS_CACHE):

    dist/<package>-<version>/   what pip downloaded (removed once extracted,
                                unless VULNCORPUS_KEEP_DIST is set)
    src/<package>-<version>/    the package sources extracted from it

Only the importable packages are kept (the wheel's top-level packages, or
the sdist's package folders), and of them only source and template files:
no JavaScript bundles, images or fonts. Paths in corpus.toml are relative
to src/<package>-<version>/.

    python3 tests/vulncorpus/fetch.py [ID ...]      # fetch all or some entries
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CORPUS_TOML = HERE / "corpus.toml"
KEPT_SUFFIXES = {".py", ".pyi", ".html", ".htm", ".jinja", ".jinja2", ".j2", ".txt", ".cfg", ".ini", ".toml"}
SKIPPED_DIRS = {"__pycache__", "tests", "test", "node_modules", "static"}
PIP_TIMEOUT = 900


def cache_root() -> Path:
    return Path(os.environ.get("VULNCORPUS_CACHE") or REPO / ".cache" / "vulncorpus").resolve()


def load_corpus() -> list[dict]:
    with open(CORPUS_TOML, "rb") as fh:
        entries = tomllib.load(fh)["vuln"]
    seen = set()
    for e in entries:
        if e["id"] in seen:
            raise SystemExit(f"corpus.toml: duplicate id {e['id']}")
        seen.add(e["id"])
        e.setdefault("artefact", "auto")
        e.setdefault("accept", [])
        if not e.get("where"):
            raise SystemExit(f"corpus.toml: {e['id']} has no [[vuln.where]]")
    return entries


def _log(msg: str) -> None:
    print(f"[vulncorpus] {msg}", file=sys.stderr, flush=True)


def _pip(args: list[str]) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--quiet", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT)


def download(package: str, version: str, artefact: str = "auto") -> Path:
    """The downloaded wheel or sdist of package==version (cached)."""
    dest = cache_root() / "dist" / f"{package}-{version}"
    existing = [p for p in dest.glob("*") if p.suffix in {".whl", ".gz", ".zip", ".bz2"}] if dest.is_dir() else []
    if existing:
        return existing[0]
    dest.mkdir(parents=True, exist_ok=True)
    req = f"{package}=={version}"
    tried = []
    if artefact in ("auto", "wheel"):
        # Any pure-Python wheel: the platform tags do not matter for reading sources.
        res = _pip(["--only-binary", ":all:", "--platform", "any", "--python-version", "3", "--implementation", "py",
                    "--abi", "none", "-d", str(dest), req])
        tried.append(res.stderr.strip().splitlines()[-1:] if res.returncode else [])
        if res.returncode != 0 and artefact == "auto":
            res = _pip(["--only-binary", ":all:", "-d", str(dest), req])
    if artefact == "sdist" or not list(dest.glob("*")):
        res = _pip(["--no-binary", ":all:", "--no-build-isolation", "-d", str(dest), req])
        if res.returncode != 0:
            res = _pip(["--no-binary", ":all:", "-d", str(dest), req])
        if res.returncode != 0:
            raise RuntimeError(f"pip download {req} failed: {res.stderr.strip()[-2000:]}")
    found = [p for p in dest.glob("*") if p.is_file()]
    if not found:
        raise RuntimeError(f"pip download {req}: nothing downloaded")
    return found[0]


def _kept(rel_parts: tuple[str, ...]) -> bool:
    if any(part in SKIPPED_DIRS or part.endswith((".dist-info", ".egg-info")) for part in rel_parts[:-1]):
        return False
    return Path(rel_parts[-1]).suffix in KEPT_SUFFIXES


def _members_of(archive: Path) -> list[tuple[str, object]]:
    if archive.suffix == ".whl" or archive.suffix == ".zip":
        zf = zipfile.ZipFile(archive)
        return [(i.filename, (zf, i)) for i in zf.infolist() if not i.is_dir()]
    tf = tarfile.open(archive)
    return [(m.name, (tf, m)) for m in tf.getmembers() if m.isfile()]


def _read(handle) -> bytes:
    container, member = handle
    if isinstance(container, zipfile.ZipFile):
        return container.read(member)
    fh = container.extractfile(member)
    return fh.read() if fh else b""


def _package_roots(names: list[str], is_wheel: bool) -> tuple[str, set[str]]:
    """(prefix to strip, top-level package folders to keep)."""
    if is_wheel:
        tops = {n.split("/")[0] for n in names if "/" in n}
        return "", {t for t in tops if not t.endswith((".dist-info", ".data"))}
    first = names[0].split("/")[0]
    prefix = first + "/"
    rel = [n[len(prefix):] for n in names if n.startswith(prefix)]
    if any(r.startswith("src/") for r in rel):
        prefix += "src/"
        rel = [r[4:] for r in rel if r.startswith("src/")]
    tops = {r.split("/")[0] for r in rel if r.count("/") == 1 and r.endswith("/__init__.py")}
    tops -= {"tests", "test", "docs", "doc", "examples", "scripts"}
    return prefix, tops


def extract(package: str, version: str, artefact: str = "auto") -> Path:
    """The extracted package sources of package==version (cached)."""
    out = cache_root() / "src" / f"{package}-{version}"
    stamp = out / ".complete"
    if stamp.exists():
        return out
    archive = download(package, version, artefact)
    if out.exists():
        shutil.rmtree(out)
    members = _members_of(archive)
    is_wheel = archive.suffix == ".whl"
    prefix, tops = _package_roots([n for n, _ in members], is_wheel)
    if not tops:
        raise RuntimeError(f"{archive.name}: no Python package found")
    count = 0
    for name, handle in members:
        if not name.startswith(prefix):
            continue
        rel = name[len(prefix):]
        parts = tuple(p for p in rel.split("/") if p)
        if not parts or parts[0] not in tops or ".." in parts or not _kept(parts):
            continue
        target = out.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_read(handle))
        count += 1
    stamp.write_text(f"{archive.name} {count} files\n")
    if not os.environ.get("VULNCORPUS_KEEP_DIST"):
        # The extracted sources are the cache; the archive is not needed again.
        shutil.rmtree(archive.parent, ignore_errors=True)
    return out


def releases(entries: list[dict]) -> list[tuple[str, str, str]]:
    seen: dict[tuple[str, str], str] = {}
    for e in entries:
        for v in (e["vulnerable"], e["fixed"]):
            seen.setdefault((e["package"], v), e["artefact"])
    return [(p, v, a) for (p, v), a in seen.items()]


def fetch_all(entries: list[dict], workers: int = 4) -> dict[tuple[str, str], Path | Exception]:
    def one(item):
        pkg, ver, art = item
        try:
            return (pkg, ver), extract(pkg, ver, art)
        except Exception as exc:  # reported per release, never fatal for the others
            return (pkg, ver), exc

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(pool.map(one, releases(entries)))


def select(entries: list[dict], ids: list[str]) -> list[dict]:
    if not ids:
        return entries
    known = {e["id"] for e in entries}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise SystemExit(f"unknown id(s): {', '.join(unknown)}")
    return [e for e in entries if e["id"] in ids]


def main(argv: list[str]) -> int:
    entries = select(load_corpus(), argv)
    results = fetch_all(entries)
    bad = 0
    for (pkg, ver), res in sorted(results.items()):
        if isinstance(res, Exception):
            bad += 1
            _log(f"{pkg}=={ver}: FAILED {res}")
        else:
            _log(f"{pkg}=={ver}: {res}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
