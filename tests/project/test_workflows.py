"""The GitHub workflows: valid, pinned, calling only commands that exist, and the pull-request
job's steps, run here in order, fail on a tampered archive and pass on a clean one."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml
from helpers.records import RECORD_DIR, ROOT, make_site_project, valid_record, write_tree

from sillok.cli import cli

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
MAKE_TARGETS = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))
VENV_BIN = Path(sys.executable).parent


def steps(workflow: Path) -> list[dict]:
    data = yaml.safe_load(workflow.read_text())
    return [step for job in data["jobs"].values() for step in job["steps"]]


def test_there_are_a_pull_request_and_a_publish_workflow():
    names = {w.name for w in WORKFLOWS}
    assert {"pull-request.yml", "publish.yml"} <= names
    for workflow in WORKFLOWS:
        data = yaml.safe_load(workflow.read_text())
        triggers = data.get("on", data.get(True))  # YAML 1.1 reads the key `on` as true
        assert triggers, f"{workflow.name} has no trigger"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_every_action_is_pinned_to_a_commit(workflow):
    for step in steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), (
                f"{workflow.name}: {step['uses']} is not pinned to a commit"
            )


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[w.name for w in WORKFLOWS])
def test_every_run_step_calls_a_command_of_the_project(workflow):
    for step in steps(workflow):
        for line in filter(None, (step.get("run") or "").splitlines()):
            words = shlex.split(re.sub(r"\$\(.*?\)", "REF", line))
            if words[0] == "make":
                assert words[1] in MAKE_TARGETS, f"{workflow.name}: make {words[1]} is not a Makefile target"
            elif words[0] == ".venv/bin/sillok":
                command = cli.commands[words[1]]
                parent = click.Context(cli, **cli.context_settings)  # the help options the real command line has
                command.make_context(words[1], words[2:], parent=parent)  # raises (fails the test) on an unknown option
            elif words[0] in ("bash", ".venv/bin/python"):  # a script of the project
                assert (ROOT / words[1]).is_file(), f"{workflow.name}: {words[1]} does not exist"
            else:
                pytest.fail(f"{workflow.name}: unexpected command {line!r}")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True, capture_output=True
    )


def run_pull_request_job(repo: Path) -> list[tuple[str, int, str]]:
    """Run the pull-request job's steps in order, as GitHub would, stopping at the first failure.

    ``make install`` finds this test run's environment already installed (the project's .venv
    points at it); the last step, the test suite itself, is not run from inside the test suite.
    """
    results = []
    env = {**os.environ, "GITHUB_BASE_REF": "main", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SILLOK_PAGES_READY", None)
    for step in steps(ROOT / ".github" / "workflows" / "pull-request.yml"):
        run = step.get("run")
        if not run or run.startswith("bash .ci/run"):
            continue
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", run], cwd=repo, env=env, capture_output=True, text=True)
        results.append((step["name"], done.returncode, done.stdout + done.stderr))
        if done.returncode != 0:
            break
    return results


@pytest.fixture
def pull_request(tmp_path):
    """A project repository whose main has a sealed archive, on a pull-request branch."""
    from sillok.check.check import check
    from sillok.ledger.seal import seal

    (tmp_path / "repo").mkdir()
    repo = make_site_project(tmp_path / "repo", valid_record(), own_records=False)
    for name in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy2(ROOT / name, repo / name)
        os.utime(
            repo / name, (1_000_000_000, 1_000_000_000)
        )  # older than the install stamp: make install has nothing to do
    (repo / ".venv").symlink_to(VENV_BIN.parent)
    (VENV_BIN.parent / ".installed-stamp").touch(exist_ok=True)  # this environment is installed: the tests run in it
    (repo / ".gitignore").write_text(".venv\nsite/\n.site-*/\ndocs/records/\n")
    seal(repo / "records", check([repo / "records"]))
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "sealed archive")
    _git(repo, "update-ref", "refs/remotes/origin/main", "main")
    _git(repo, "switch", "-qc", "pull-request")
    return repo


def test_pull_request_job_passes_a_new_record(pull_request):
    files = {
        k.replace("2021-01-13-carbon-neutrality-tf-1", "2021-01-15-second-meeting").replace(
            "2021-01-13", "2021-01-15"
        ): v.replace("2021-01-13", "2021-01-15").replace("carbon-neutrality-tf-1", "second-meeting")
        if isinstance(v, str)
        else v
        for k, v in valid_record().items()
    }
    write_tree(pull_request, files)
    _git(pull_request, "add", "-A")
    _git(pull_request, "commit", "-qm", "add a record")
    results = run_pull_request_job(pull_request)
    assert [(name, code) for name, code, _ in results] == [
        ("Install sillok and its pinned dependencies", 0),
        ("Check records against the merge base", 0),
        ("Build the site", 0),
    ], results
    assert (pull_request / "site" / "records" / "2021-01-15-second-meeting" / "index.html").is_file()


def test_pull_request_job_fails_on_a_tampered_record_with_an_annotation(pull_request):
    ko = pull_request / RECORD_DIR / "ko.md"
    ko.write_text(ko.read_text("utf-8").replace("점검하였다", "점검하지 않았다"), "utf-8")
    _git(pull_request, "commit", "-qam", "edit a sealed record")
    results = run_pull_request_job(pull_request)
    name, code, output = results[-1]
    assert (name, code) == ("Check records against the merge base", 1)
    assert f"::error file=records/2021/{RECORD_DIR.rsplit('/', 1)[1]}/ko.md" in output
