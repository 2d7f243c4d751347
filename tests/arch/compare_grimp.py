"""Compares Retort's import graph (`retort arch --format json`) with grimp's
on one project folder. Usable as a script on any folder:

    RETORT_BIN=target/release/retort .cache/venv/bin/python tests/arch/compare_grimp.py PATH

prints edge recall and precision (distinct importer -> imported pairs) and
the differences."""

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP_DIRS = {".git", ".cache", "node_modules", "__pycache__", ".venv", "venv", ".tox", "build", "dist"}


def top_level_packages(root):
    """{parent folder: [package names]} for every folder holding an
    __init__.py whose own parent holds none (valid identifiers only)."""
    groups = defaultdict(list)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        path = Path(folder)
        if "__init__.py" in files and not (path.parent / "__init__.py").exists() and path.name.isidentifier():
            groups[str(path.parent)].append(path.name)
            dirs[:] = []  # grimp walks the package itself
    return dict(groups)


def grimp_edges(parent, packages):
    result = subprocess.run(
        [sys.executable, str(HERE / "grimp_edges.py"), parent, *packages],
        capture_output=True, text=True, timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"grimp failed on {parent} {packages}: {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def retort_report(root, extra_args=()):
    retort = os.environ["RETORT_BIN"]
    result = subprocess.run(
        [retort, "arch", str(root), "--format", "json", "--include-tests", *extra_args],
        capture_output=True, text=True, timeout=600,
    )
    if result.returncode not in (0, 1):
        raise RuntimeError(f"retort arch failed on {root}: {result.stderr}")
    return json.loads(result.stdout)


def compare(root, extra_args=()):
    """Per package group: grimp's and Retort's edges as sets of
    (importer, imported, line), restricted to grimp's modules."""
    root = Path(root).resolve()
    report = retort_report(root, extra_args)
    out = []
    for parent, packages in sorted(top_level_packages(root).items()):
        graph = grimp_edges(parent, packages)
        modules = set(graph["modules"])
        prefix = os.path.relpath(parent, root)
        prefix = "" if prefix == "." else prefix + "/"
        ours = {
            (i["from"], i["to"], i["line"])
            for i in report["imports"]
            if i["file"].startswith(prefix) and i["from"] in modules and i["to"] in modules
        }
        theirs = {tuple(e) for e in graph["edges"]}
        out.append({"parent": prefix or ".", "packages": packages, "retort": ours, "grimp": theirs})
    return out


def pair_figures(groups):
    ours = {(g["parent"], e[0], e[1]) for g in groups for e in g["retort"]}
    theirs = {(g["parent"], e[0], e[1]) for g in groups for e in g["grimp"]}
    common = ours & theirs
    recall = len(common) / len(theirs) if theirs else 1.0
    precision = len(common) / len(ours) if ours else 1.0
    return {"grimp_pairs": len(theirs), "retort_pairs": len(ours), "common": len(common), "recall": recall, "precision": precision,
            "missed": sorted(theirs - ours), "extra": sorted(ours - theirs)}


if __name__ == "__main__":
    figures = pair_figures(compare(sys.argv[1]))
    print(f"grimp pairs {figures['grimp_pairs']}, retort pairs {figures['retort_pairs']}, common {figures['common']}: "
          f"recall {figures['recall']:.4f}, precision {figures['precision']:.4f}")
    for label in ("missed", "extra"):
        for item in figures[label][:40]:
            print(f"  {label}: {item}")
