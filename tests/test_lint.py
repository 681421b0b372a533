"""The code is linted (ruff) and the GitHub workflows are checked (actionlint, zizmor), pinned in
requirements.txt: a pull request from a fork must never run with write permissions or secrets."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in command], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    proc = run(BIN / "ruff", "check", ".", "--output-format", "concise")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_accepts_the_workflows():
    assert WORKFLOWS
    proc = run(BIN / "actionlint", *WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing_in_the_workflows():
    proc = run(BIN / "zizmor", "--offline", "--no-progress", ROOT / ".github" / "workflows")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pull_requests_run_read_only_and_without_secrets():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        triggers = workflow.get(True, workflow.get("on", {}))  # YAML 1.1 reads the key `on` as true
        assert "pull_request_target" not in triggers, path.name
        if "pull_request" in triggers:
            assert workflow["permissions"] == {"contents": "read"}, path.name
            for job in workflow["jobs"].values():
                assert "permissions" not in job or job["permissions"] == {"contents": "read"}, path.name
                assert "secrets." not in path.read_text(encoding="utf-8"), path.name
