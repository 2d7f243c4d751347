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


def test_codeowners_audit_privacy_and_proposal(tmp_path):
    repo = Repo(tmp_path)
    repo.commit(A, [("shop/users/views.py", "x"), ("shop/app.py", "x")])
    repo.commit(B, [("shop/billing/views.py", "x"), ("docs/guide.md", "x")])
    # Carol owns billing but never touched it; Bob authors it unlisted.
    repo.commit(A, [(".github/CODEOWNERS", "* @alice\n/shop/billing/ @carol carol@example.org\n/docs/\n")])
    repo.commit(C, [("other.py", "x")])
    data = team(tmp_path)
    co = data["codeowners"]
    assert co["found"] and co["path"] == ".github/CODEOWNERS" and co["flavor"] == "github"
    assert co["unowned_files"] == 1 and co["unowned_examples"] == ["docs/guide.md"]
    owners = {o["owner"]: o for o in co["owners"]}
    assert owners["@carol"]["never_touched"] and owners["@carol"]["developer"] == "Carol"
    assert not owners["@alice"]["never_touched"]
    # E-mail addresses are masked unless asked for.
    assert "c***@example.org" in owners and "carol@example.org" not in json.dumps(data)
    unlisted = {u["developer"]: u["files"] for u in co["unlisted_authors"]}
    assert unlisted == {"Bob": 2, "Carol": 1}  # other.py is owned by @alice only
    anonymous = team(tmp_path, "--anonymize")
    text = json.dumps(anonymous)
    assert "Alice" not in text and "Bob" not in text and "example.org" not in text
    assert anonymous["truck_factor"]["developers"][0].startswith("dev-")
    assert team(tmp_path, "--anonymize")["developers"] == anonymous["developers"]
    proposal = tmp_path / "CODEOWNERS.proposed"
    team(tmp_path, "--write-codeowners", proposal)
    lines = [l for l in proposal.read_text().splitlines() if l and not l.startswith("#")]
    assert "* alice@example.org" in lines[0] or lines[0].startswith("* ")
    assert any(l.startswith("/shop/") for l in lines)


def test_markdown_playbook_and_roles(tmp_path):
    repo = Repo(tmp_path)
    repo.commit(A, [("shop/__init__.py", "from flask import Flask\napp = Flask(__name__)\n"
                     "from shop.users.views import bp\napp.register_blueprint(bp)\n"),
                    ("shop/users/__init__.py", ""),
                    ("shop/users/views.py", "from flask import Blueprint\nbp = Blueprint('users', __name__)\n"
                     "@bp.route('/u')\ndef u():\n    return 'x'\n")])
    data = team(tmp_path)
    names = [c["name"] for c in data["components"]]
    assert "users" in names
    users = next(c for c in data["components"] if c["name"] == "users")
    assert users["blueprints"] == ["users"] and users["files"] == 2
    roles = {r["role"]: r for r in data["roles"]}
    assert len(roles) == 8
    assert any("tests: no files found" in e["text"] for e in roles["qa-automation"]["evidence"])
    assert data["hiring_plan"][0]["need"] >= data["hiring_plan"][-1]["need"]
    md = subprocess.run([RETORT, "team", str(tmp_path), "--format", "markdown", "--no-check"],
                        capture_output=True, text=True, check=True).stdout
    assert "# Onboarding playbook" in md and "Blueprint `users`" in md and "Whom to ask: Alice" in md


def test_onboarding_finds_tests_through_imports_and_requested_urls(tmp_path):
    repo = Repo(tmp_path)
    repo.commit(A, [("shop/__init__.py", "from flask import Flask\napp = Flask(__name__)\n"
                     "from shop.users.views import bp\napp.register_blueprint(bp, url_prefix='/users')\n"
                     "from shop.orders import bp as orders\napp.register_blueprint(orders)\n"),
                    ("shop/users/__init__.py", ""),
                    ("shop/users/models.py", "class User:\n    pass\n"),
                    ("shop/users/views.py", "from flask import Blueprint\nfrom shop.users.models import User\n"
                     "bp = Blueprint('users', __name__)\n@bp.route('/<int:uid>')\ndef show(uid):\n    return 'x'\n"),
                    ("shop/orders.py", "from flask import Blueprint\nfrom shop.users.models import User\n"
                     "bp = Blueprint('orders', __name__)\n@bp.route('/orders/')\ndef orders():\n    return 'x'\n"),
                    # One test imports a module, one only requests a URL,
                    # one does neither.
                    ("tests/test_models.py", "from shop.users.models import User\n\ndef test_user():\n    User()\n"),
                    ("tests/test_http.py", "def test_show(client):\n    assert client.get(f'/users/{7}?full=1')\n"),
                    ("tests/test_other.py", "def test_nothing():\n    assert '/nowhere'\n")])
    repo.commit(B, [("shop/users/views.py", "from flask import Blueprint\nfrom shop.users.models import User\n"
                     "bp = Blueprint('users', __name__)\n@bp.route('/<int:uid>')\ndef show(uid):\n    return 'y'\n")])
    data = team(tmp_path)
    users = next(p for p in data["onboarding"] if p["component"] == "users")
    steps = {s["kind"]: s["items"] for s in users["steps"]}
    assert steps["tests"] == ["tests/test_http.py", "tests/test_models.py"]
    # models.py is imported by views.py and orders.py (tests do not count).
    assert steps["depended_on"][0] == "shop/users/models.py"
    assert steps["hotspots"] == ["shop/users/views.py"]
    assert users["steps"][-1]["kind"] == "ask" and users["steps"][-1]["items"] == ["Alice"]
    kinds = [s["kind"] for s in users["steps"]]
    assert kinds.index("blueprint") < kinds.index("depended_on") < kinds.index("tests") < kinds.index("ask")


def test_bad_input_is_a_clear_error(tmp_path):
    result = subprocess.run([RETORT, "team", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "not inside a git repository" in result.stderr
    assert "panicked" not in result.stderr
    Repo(tmp_path)  # an empty history: zeros, not a crash
    data = team(tmp_path)
    assert data["truck_factor"] == {"value": 0, "developers": [], "files": 0, "covered_files": 0}


def blame_reference(path):
    """Surviving lines per author e-mail, from `git blame -w --porcelain`
    (the group format, parsed here independently of Retort's
    --line-porcelain reader): every line counts for the author of its
    commit."""
    out = {}
    files = subprocess.run(["git", "-C", str(path), "ls-files"], capture_output=True, text=True,
                           check=True).stdout.split()
    for name in files:
        text = subprocess.run(["git", "-C", str(path), "blame", "-w", "--porcelain", "HEAD", "--", name],
                              capture_output=True, text=True, check=True).stdout
        mail_of, current = {}, None
        for line in text.splitlines():
            parts = line.split(" ")
            if len(parts[0]) == 40 and len(parts) >= 3 and all(c in "0123456789abcdef" for c in parts[0]):
                current = parts[0]
            elif line.startswith("author-mail "):
                mail_of[current] = line[len("author-mail "):].strip("<>")
            elif line.startswith("\t"):
                out[mail_of[current]] = out.get(mail_of[current], 0) + 1
    return out


@pytest.mark.parametrize("seed", range(4))
def test_surviving_lines_match_git_blame(tmp_path, seed):
    rng = random.Random(100 + seed)
    repo = Repo(tmp_path)
    devs = [f"Dev{i} <dev{i}@example.org>" for i in range(4)]
    contents = {}
    for step in range(30):
        dev = rng.choice(devs)
        name = f"pkg/m{rng.randint(0, 5)}.py"
        lines = contents.get(name, [])
        for _ in range(rng.randint(1, 6)):
            if lines and rng.random() < 0.4:
                lines[rng.randrange(len(lines))] = f"x = {rng.random()}  # {step}"
            else:
                lines.insert(rng.randint(0, len(lines)), f"y = {rng.random()}  # {step}")
        contents[name] = lines
        repo.commit(dev, [(name, "\n".join(lines) + "\n")])
    data = team(tmp_path, "--blame")
    lines = data["surviving_lines"]
    by_name = {d["name"]: d["lines"] for d in lines["developers"]}
    expected = {mail.split("@")[0].replace("dev", "Dev"): n for mail, n in blame_reference(tmp_path).items()}
    assert by_name == expected
    assert lines["lines"] == sum(expected.values())
    assert lines["not_blamed"] == [] and lines["unattributed_lines"] == 0
    # The table output carries the summary line.
    table = subprocess.run([RETORT, "team", str(tmp_path), "--no-check", "--blame"], capture_output=True,
                           text=True, timeout=120)
    assert table.returncode == 0 and "Surviving lines (git blame)" in table.stdout
