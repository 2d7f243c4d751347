"""`retort team` against known answers and against an independent
reference implementation of the published algorithm (reference.py), on
synthetic repositories built here with `git` and scripted authors."""

import json
import os
import random
import subprocess
from pathlib import Path

import pytest

from reference import analyse

RETORT = os.environ.get("RETORT_BIN")
pytestmark = pytest.mark.skipif(not RETORT, reason="RETORT_BIN is not set")
DAY = 86400
START = 1_600_000_000


class Repo:
    def __init__(self, path):
        self.path = path
        self.time = START
        self.git("init", "-q", "-b", "main")

    def git(self, *args, env=None):
        full = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
        full.update(env or {})
        full.setdefault("GIT_CONFIG_GLOBAL", "/dev/null")
        return subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, text=True,
                              check=True, env=full).stdout

    def commit(self, author, writes=(), moves=(), days=1):
        for old, new in moves:
            (self.path / new).parent.mkdir(parents=True, exist_ok=True)
            self.git("mv", old, new)
        for path, text in writes:
            p = self.path / path
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        self.git("add", "-A")
        name, email = author.rstrip(">").split(" <")
        date = f"{self.time} +0000"
        self.time += days * DAY
        self.git("commit", "-q", "--allow-empty", "-m", "change", env={
            "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": "c", "GIT_COMMITTER_EMAIL": "c@example.org", "GIT_COMMITTER_DATE": date})


def team(path, *args):
    result = subprocess.run([RETORT, "team", str(path), "--format", "json", "--no-check", *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


A, B, C = "Alice <alice@example.org>", "Bob <bob@example.org>", "Carol <carol@example.org>"


def test_known_answers_aliases_bots_renames(tmp_path):
    repo = Repo(tmp_path)
    repo.commit(A, [("app/a.py", "1"), ("app/b.py", "1"), ("app/c.py", "1")])
    # Same person, other spelling and e-mail case: one developer.
    repo.commit("alice <ALICE@example.org>", [("app/a.py", "2")])
    repo.commit(A, [("app/b.py", "2")])
    repo.commit(B, [("app/d.py", "1")])
    # A bot's commits are left out: it authors nothing.
    for i in range(5):
        repo.commit("dependabot[bot] <bot@example.org>", [("app/d.py", f"bot{i}")])
    # Renamed: Alice keeps authorship of a.py under its new name.
    repo.commit(B, moves=[("app/a.py", "app/core.py")])
    data = team(tmp_path)
    authors = {f["path"]: f["authors"] for f in data["files"]}
    assert authors["app/core.py"] == ["Alice"]
    assert authors["app/d.py"] == ["Bob"]
    assert [d["name"] for d in data["developers"]] == ["Alice", "Bob"]
    # Alice authors 3 of 4 files: removing her leaves 1/4 < 50 %.
    assert data["truck_factor"] == {"value": 1, "developers": ["Alice"], "files": 4, "covered_files": 4}


def test_inactive_developers_count_as_gone(tmp_path):
    repo = Repo(tmp_path)
    repo.commit(A, [(f"old{i}.py", "x") for i in range(4)], days=400)
    repo.commit(B, [("new1.py", "x")])
    repo.commit(C, [("new2.py", "x")])
    data = team(tmp_path)
    assert data["truck_factor"]["developers"] == ["Alice"]
    # Alice is gone: only 2 of 6 files keep an author; nothing more to lose.
    assert data["active_truck_factor"]["value"] == 0
    assert data["knowledge_lost"]["files"] == 4
    data = team(tmp_path, "--inactive-days", "1000")
    assert data["active_truck_factor"]["developers"] == ["Alice"]


def random_history(path, seed):
    rng = random.Random(seed)
    repo = Repo(path)
    devs = [f"Dev{i} <dev{i}@example.org>" for i in range(rng.randint(3, 8))]
    weights = [rng.random() ** 2 + 0.05 for _ in devs]
    files, counter = [], 0
    for _ in range(rng.randint(40, 120)):
        dev = rng.choices(devs, weights)[0]
        writes, moves = [], []
        for _ in range(rng.randint(1, 3)):
            if not files or rng.random() < 0.25:
                counter += 1
                name = f"pkg{rng.randint(0, 3)}/m{counter}.py"
                files.append(name)
                writes.append((name, f"v{rng.random()}\n"))
            else:
                writes.append((rng.choice(files), f"v{rng.random()}\n"))
        if files and rng.random() < 0.08:
            old = rng.choice([f for f in files if f not in dict(writes)] or files)
            if old not in dict(writes):
                counter += 1
                new = f"moved/r{counter}.py"
                files[files.index(old)] = new
                moves.append((old, new))
        repo.commit(dev, writes, moves, days=rng.choice([1, 1, 2, 5, 30, 1, 1, 1, 1, 200]))
    return repo


@pytest.mark.parametrize("seed", range(12))
def test_matches_the_reference_implementation(tmp_path, seed):
    random_history(tmp_path, seed)
    files, tf, active_tf = analyse(tmp_path)
    data = team(tmp_path)
    ours = {f["path"]: sorted(f["authors"]) for f in data["files"]}
    assert ours == files
    assert data["truck_factor"]["developers"] == tf
    assert data["truck_factor"]["value"] == len(tf)
    assert data["active_truck_factor"]["developers"] == active_tf
