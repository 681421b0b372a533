"""Shared fixtures: the real data, and real MkDocs builds of the project (or of a copy of it)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("mkdocs.yml", ".yamllint.yaml", "CONTRIBUTING.md", "CITATION.cff", "docs", "data", "templates", "iscm_atlas", "scripts")


@dataclass
class Build:
    returncode: int
    output: str  # stdout and stderr together, as a user sees them
    site: Path
    data: Path = ROOT / "data"  # the data it was built from
    name: str = "seed"


def _commit_epoch() -> str:
    out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "0"


PUBLISHED_AT = "https://example.org/atlas/"  # the published address a publication build is given (SITE_URL)


def _build_env(project: Path, published: bool, extra: dict | None = None) -> dict:
    env = {"SOURCE_DATE_EPOCH": _commit_epoch(), **os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(project),
           **(extra or {})}
    env.pop("SITE_URL", None)
    if published:
        env["SITE_URL"] = PUBLISHED_AT
    return env


def run_build(project: Path, site: Path, published: bool = False, env: dict | None = None) -> Build:
    """A real `mkdocs build --strict` of `project` into `site` (its hook runs the render step), dated by the
    last commit (as `make` does), so that two builds of one commit can be compared byte for byte. A preview
    unless `published`."""
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(project / "mkdocs.yml"),
                           "-d", str(site)], cwd=project, env=_build_env(project, published, env), capture_output=True,
                          text=True, timeout=600)
    return Build(proc.returncode, proc.stdout + proc.stderr, site, project / "data")


def run_zensical_build(project: Path, site: Path, published: bool = False) -> Build:
    """The same project built by Zensical (`make site-zensical`: the render step, then `zensical build --strict`)."""
    proc = subprocess.run([sys.executable, "-m", "iscm_atlas.adapters.zensical_build", str(site)], cwd=project,
                          env=_build_env(project, published), capture_output=True, text=True, timeout=600)
    return Build(proc.returncode, proc.stdout + proc.stderr, site, project / "data", name="zensical")


def copy_project(dest: Path) -> Path:
    """A throw-away copy of everything a build reads, to break or extend without touching the repo."""
    dest.mkdir(parents=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def raw_cases() -> dict[str, dict]:
    """The case files as plain YAML, read without the code under test."""
    return {p.stem: load_yaml(p) for p in sorted((ROOT / "data" / "cases").glob("*.yaml"))}


@pytest.fixture(scope="session")
def raw_references() -> dict[str, dict]:
    return {p.stem: load_yaml(p) for p in sorted((ROOT / "data" / "references").glob("*.yaml"))}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    """The project itself, built once for all tests that read the HTML or the exports."""
    build = run_build(ROOT, tmp_path_factory.mktemp("site") / "site")
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def contributed_project(tmp_path_factory) -> Path:
    """A copy of the project with what contributors add (tests/contributions.py): three records of
    different kinds, the guide's worked example (through the scaffold) and hostile free text."""
    from contributions import contribute

    project = copy_project(tmp_path_factory.mktemp("contributed") / "project")
    proc = contribute(project, ROOT)
    assert proc.returncode == 0, proc.stderr
    return project


@pytest.fixture(scope="session")
def contributed_site(contributed_project) -> Build:
    """The contributed copy, built once, as a publication build (with its published address): the pull
    request a contributor would open, as it will be deployed. The seed build (built_site) is a preview."""
    build = run_build(contributed_project, contributed_project.parent / "site", published=True)
    assert build.returncode == 0, build.output
    build.name = "contributed"
    return build


@pytest.fixture(scope="session", params=["seed", "contributed"])
def any_site(request) -> Build:
    """The same site checks on the seed data and on the contributed data: they hold for any valid data."""
    return request.getfixturevalue("built_site" if request.param == "seed" else "contributed_site")


def collecting(raw_cases: dict) -> set[str]:
    """Documents that tabulate other publications' records (the review), read from the YAML itself."""
    return {r["source"]["document"] for case in raw_cases.values() for kind in ("series", "patients")
            for r in case.get(kind, []) if r["source"]["document"] != case["reference"]}


def review_records(raw_cases: dict, kind: str) -> list[dict]:
    """The series or patients read from a collecting review (its own case included): the rows of its tables, which
    the review's table pages hold, as printed. Records added since from their own publications are not among them."""
    documents = collecting(raw_cases)
    return [r for case in raw_cases.values() for r in case.get(kind, []) if r["source"]["document"] in documents]


def raw_records(data: Path, folder: str) -> dict[str, dict]:
    """The YAML files of one data folder, read without the code under test."""
    return {p.stem: load_yaml(p) for p in sorted((data / folder).glob("*.yaml"))}


@pytest.fixture
def project_copy(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="module")
def site_url(built_site):
    """The seed site on a local HTTP server, for the browser tests of one module."""
    from browser import serve

    with serve(built_site.site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, one per test module."""
    from browser import chromium

    with chromium() as launched:
        yield launched
