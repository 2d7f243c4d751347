"""The workflow files run as their hosts would run them: the pre-commit
hook in a temporary git repository, the composite Action's shell steps and
the GitLab template's script with the variables those platforms set.

The hook tested is `retort-check-system` (`language: system`, the `retort`
that the wheel put on PATH): `pre-commit try-repo` runs it offline. The
`language: python` hook would make pre-commit `pip install` this repository,
which builds Retort from source (maturin, a cargo release build, and maturin
itself from PyPI) inside pre-commit's cache: minutes of CI for the same
entry point, so it is left to docs/workflow.md."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from wheel_helpers import ROOT, clean_git_env, run

APP = '''import requests
from flask import Flask

app = Flask(__name__)


@app.route("/rates")
def rates():
    return requests.get("https://rates.example", timeout=5).text
'''

INSECURE = '''import requests


def fetch(url):
    return requests.get(url, timeout=5, verify=False)
'''


def git(repo: Path, *args: str, env: dict) -> None:
    done = run("git", *args, cwd=repo, env=env)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def project(tmp_path, wheel_bin):
    repo = tmp_path / "project"
    repo.mkdir()
    env = clean_git_env(wheel_bin)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    git(repo, "init", "--quiet", "--initial-branch=main", env=env)
    (repo / "app.py").write_text(APP)
    git(repo, "add", "app.py", env=env)
    git(repo, "commit", "--quiet", "-m", "app", env=env)
    return repo, env


def try_repo(repo: Path, env: dict):
    return run(sys.executable, "-m", "pre_commit", "try-repo", ROOT, "retort-check-system", cwd=repo, env=env)


def test_pre_commit_hook_reports_findings_of_staged_files_only(project):
    repo, env = project
    # A staged file with an error finding (SEC008): the hook fails and names it.
    (repo / "client.py").write_text(INSECURE)
    git(repo, "add", "client.py", env=env)
    failed = try_repo(repo, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"client\.py:5:\d+: SEC008", failed.stdout), failed.stdout
    # The unstaged-in-this-commit app.py has findings too (no health endpoint,
    # …): they are not reported, since app.py is not staged.
    assert "app.py:" not in failed.stdout.replace("client.py", "")

    # Fixed and staged again: the hook passes while app.py's own findings stay unreported.
    (repo / "client.py").write_text(INSECURE.replace(", verify=False", ""))
    git(repo, "add", "client.py", env=env)
    passed = try_repo(repo, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    whole = run("retort", "check", ".", "--format", "json", cwd=repo, env=env)
    assert any(f["file"] == "app.py" for f in json.loads(whole.stdout)["findings"])


def test_pre_commit_hooks_file_declares_both_hooks():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"retort-check", "retort-check-system"}
    for hook in hooks.values():
        assert hook["entry"] == "retort check ." and hook["pass_filenames"] is True
    assert hooks["retort-check"]["language"] == "python"
    assert hooks["retort-check-system"]["language"] == "system"


def substitute(value: str, context: dict) -> str:
    """GitHub's `${{ … }}` for the expressions the action's `env:` uses."""

    def one(match):
        expression = match.group(1).strip()
        if expression not in context:
            raise AssertionError(f"the test does not know `{expression}`")
        return context[expression]

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def run_action(inputs: dict, workdir: Path, tmp: Path, base_path: str):
    """Runs the composite action's shell steps in order, as the runner does:
    `env:` expressions filled in, $GITHUB_OUTPUT read back into step
    outputs, lines added to $GITHUB_PATH put in front of PATH for the next
    steps, and a failing step stopping the rest."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    values = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values.update(inputs)
    files = {name: tmp / name for name in ("output", "path", "summary")}
    for f in files.values():
        f.write_text("")
    runner_temp = tmp / "runner-temp"
    runner_temp.mkdir()
    outputs: dict[str, dict[str, str]] = {}
    path = base_path
    results = []
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue
        context = {f"inputs.{k}": v for k, v in values.items()}
        context["github.action_path"] = str(ROOT)
        for step_id, outs in outputs.items():
            for key, value in outs.items():
                context[f"steps.{step_id}.outputs.{key}"] = value
        context.setdefault("steps.check.outputs.exit-code", "")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
        env.update({k: substitute(v, context) for k, v in step.get("env", {}).items()})
        env.update(
            PATH=path,
            GITHUB_OUTPUT=str(files["output"]),
            GITHUB_PATH=str(files["path"]),
            GITHUB_STEP_SUMMARY=str(files["summary"]),
            RUNNER_TEMP=str(runner_temp),
        )
        files["output"].write_text("")
        assert step["shell"] == "bash"
        # GitHub runs `shell: bash` steps as `bash --noprofile --norc -eo pipefail {0}`.
        script = tmp / "step.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
        )
        outs = dict(line.split("=", 1) for line in files["output"].read_text().splitlines() if "=" in line)
        outputs[step.get("id", step["name"])] = outs
        added = [line for line in files["path"].read_text().splitlines() if line]
        path = os.pathsep.join(reversed(added)) + os.pathsep + base_path if added else base_path
        results.append((step["name"], done))
        if done.returncode != 0:
            break
    return results, outputs, files["summary"].read_text()


def path_without_retort() -> str:
    return os.pathsep.join(
        d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not (Path(d) / "retort").exists()
    )


def test_action_installs_checks_writes_sarif_and_summary_and_gates(wheel, tmp_path):
    example = tmp_path / "shopfront"
    shutil.copytree(ROOT / "examples" / "shopfront", example, ignore=shutil.ignore_patterns("__pycache__", "instance"))
    results, outputs, summary = run_action(
        {"version": str(wheel), "args": "--fail-on error"}, example, tmp_path, path_without_retort()
    )
    names = [name for name, _ in results]
    assert names == ["Install Retort", "Run retort check", "Gate"], [(n, r.stderr) for n, r in results]
    install, check, gate = (r for _, r in results)
    assert install.returncode == 0 and install.stdout.strip().startswith("retort "), install.stderr
    # The example's deliberate gaps: findings on the terminal, exit code 1 as
    # a step output (so the SARIF upload still runs), and the gate fails.
    assert check.returncode == 0, check.stderr
    assert "SEC003" in check.stdout
    assert outputs["check"]["exit-code"] == "1"
    sarif = json.loads((example / "retort.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    assert "SEC003" in summary and summary.lstrip().startswith("#")
    assert gate.returncode == 1 and "failed the gate" in gate.stdout

    action = yaml.safe_load((ROOT / "action.yml").read_text())
    upload = next(s for s in action["runs"]["steps"] if "uses" in s)
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"


def test_action_passes_a_clean_project_and_stops_on_usage_errors(wheel_bin, tmp_path):
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "app.py").write_text(APP)
    base = f"{wheel_bin}{os.pathsep}{path_without_retort()}"
    (tmp_path / "a").mkdir()
    results, outputs, _ = run_action({"version": "none", "args": "--select SEC"}, clean, tmp_path / "a", base)
    assert [r.returncode for _, r in results] == [0, 0, 0], [(n, r.stderr) for n, r in results]
    assert outputs["check"]["exit-code"] == "0"
    (tmp_path / "b").mkdir()
    results, outputs, _ = run_action({"version": "none", "args": "--select SEC0003"}, clean, tmp_path / "b", base)
    assert [name for name, _ in results] == ["Install Retort", "Run retort check"]
    assert results[-1][1].returncode == 2 and "did you mean" in results[-1][1].stderr
    (tmp_path / "c").mkdir()
    results, _, _ = run_action({"version": "none"}, clean, tmp_path / "c", path_without_retort())
    assert results[0][1].returncode == 2 and "no retort on PATH" in results[0][1].stdout


def test_gitlab_template_writes_a_code_quality_report(wheel, wheel_bin, tmp_path):
    template = yaml.safe_load((ROOT / "ci" / "retort.gitlab-ci.yml").read_text())
    job = template["retort"]
    assert job["artifacts"]["reports"]["codequality"] == job["variables"]["RETORT_REPORT"]
    example = tmp_path / "shopfront"
    shutil.copytree(ROOT / "examples" / "shopfront", example, ignore=shutil.ignore_patterns("__pycache__", "instance"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("CI_")}
    env.update({k: str(v) for k, v in job["variables"].items()})
    env.update(RETORT_PACKAGE=str(wheel), PATH=f"{wheel_bin}{os.pathsep}{path_without_retort()}")
    script = "set -e\n" + "\n".join(job["script"])
    done = subprocess.run(["bash", "-c", script], cwd=example, env=env, capture_output=True, text=True)
    # Exit 1: the example's findings fail the job, and the report is still written (artifacts: when: always).
    assert done.returncode == 1, done.stderr
    issues = json.loads((example / job["variables"]["RETORT_REPORT"]).read_text())
    assert issues and all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in issues)
    assert any(i["check_name"] == "SEC003" for i in issues)
    assert "SEC003" in done.stdout
