"""Versions a citation can rely on: two releases deployed with mike (as the deploy workflow does) into a
local bare git repository; both stay readable at their own paths, differ where their data differs, cite
their own permanent addresses, and the older one says that a newer version exists (in a real browser)."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import lxml.html
import pytest
import yaml
from browser import CHROMIUM_ARGS, chromium_path, serve
from conftest import copy_project
from contributions import PATIENT_CASE, PATIENT_REFERENCE
from playwright.sync_api import expect, sync_playwright

ROOT_URL = "https://example.org/atlas/"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def mike(project: Path, *args: str) -> None:
    bin_dir = Path(sys.executable).parent  # mike runs the `mkdocs` of the same environment
    env = {**os.environ, "SITE_URL": ROOT_URL, "ATLAS_VERSIONS": "mike", "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": str(project), "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run([str(bin_dir / "mike"), *args], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def set_version(project: Path, version: str) -> None:
    cff = project / "CITATION.cff"
    text = cff.read_text(encoding="utf-8")
    current = str(yaml.safe_load(text)["version"])
    cff.write_text(text.replace(f"version: {current}", f"version: {version}"), encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The gh-pages tree after releasing 1.0.0, then 1.1.0 with one more published case."""
    work = tmp_path_factory.mktemp("versions")
    project = copy_project(work / "project")
    remote = work / "remote.git"
    git(work, "init", "--bare", "-q", str(remote))
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.email", "test@example.org")
    git(project, "config", "user.name", "Test")
    git(project, "remote", "add", "origin", str(remote))
    set_version(project, "1.0.0")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "release 1.0.0")
    mike(project, "deploy", "--push", "--update-aliases", "1.0.0", "latest")
    (project / "data" / "references" / "contrib-patient-2022.yaml").write_text(PATIENT_REFERENCE, encoding="utf-8")
    (project / "data" / "cases" / "contrib-patient-2022.yaml").write_text(PATIENT_CASE, encoding="utf-8")
    set_version(project, "1.1.0")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "release 1.1.0: one more case")
    mike(project, "deploy", "--push", "--update-aliases", "1.1.0", "latest")
    mike(project, "set-default", "--push", "latest")
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=remote, check=True, capture_output=True).stdout
    pages = work / "gh-pages"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(pages, filter="data")
    return pages


def page(pages: Path, path: str):
    return lxml.html.parse(str(pages / path / "index.html"))


def test_both_versions_stay_readable_at_their_own_paths(published):
    versions = {v["version"]: v["aliases"] for v in json.loads((published / "versions.json").read_text())}
    assert set(versions) == {"1.0.0", "1.1.0"} and versions["1.1.0"] == ["latest"] and versions["1.0.0"] == []
    for version in ("1.0.0", "1.1.0", "latest"):
        for path in ("", "topics/diagnosis/", "cases/surgical-series/", "references/kalayci-2004/"):
            assert (published / version / path / "index.html").is_file(), (version, path)


def test_versions_differ_where_their_data_differs(published):
    old, new = (published / v / "cases" / "surgical-series" / "index.html" for v in ("1.0.0", "1.1.0"))
    assert "series-contrib-patient-2022-s1" not in old.read_text(encoding="utf-8")
    assert "series-contrib-patient-2022-s1" in new.read_text(encoding="utf-8")
    assert not (published / "1.0.0" / "references" / "contrib-patient-2022").exists()
    assert (published / "1.1.0" / "references" / "contrib-patient-2022" / "index.html").is_file()
    # an unchanged page is the same text in both, but each names its own version
    assert (published / "1.0.0" / "methods" / "index.html").read_text() != (published / "1.1.0" / "methods" / "index.html").read_text()


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0"])
def test_each_version_cites_its_own_permanent_address_and_links_the_latest(published, version):
    doc = page(published / version, "topics/diagnosis/")
    permanent = f"{ROOT_URL}{version}/topics/diagnosis/"
    assert doc.xpath("//meta[@name='citation_public_url']/@content") == [permanent]
    assert doc.xpath("//link[@rel='canonical']/@href") == [permanent]
    assert doc.xpath("//meta[@property='og:url']/@content") == [f"{ROOT_URL}latest/topics/diagnosis/"]
    block = doc.xpath("//section[@id='cite-this-page']")[0]
    assert permanent in block.text_content() and f"{ROOT_URL}latest/topics/diagnosis/" in block.xpath(".//a/@href")
    assert "Preview build" not in doc.xpath("string(//body)")


def test_an_old_version_says_a_newer_one_exists(published):
    with serve(published) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        tab = browser.new_page()
        tab.goto(base + "1.0.0/topics/diagnosis/")
        expect(tab.locator("[data-md-component=outdated]")).to_be_visible(timeout=15000)
        assert "A newer version of the atlas exists" in tab.locator("[data-md-component=outdated]").inner_text()
        tab.goto(base + "1.1.0/topics/diagnosis/")
        tab.wait_for_load_state("networkidle")
        expect(tab.locator("[data-md-component=outdated]")).to_be_hidden()
        browser.close()
