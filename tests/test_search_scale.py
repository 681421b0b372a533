"""The search index grows with the works, not with the records on pages that gather them.

Every visitor who searches downloads the whole index and has the browser index it, so a page that lists records
(a figure naming each arm's publications, the data notes, a review's own cases) must keep those lists out of it:
each record is found on its own publication's page. Checked by building the project with every publication that
has records held twice (the benchmark's synthetic copies), against the project itself.
"""
from __future__ import annotations

import json
import re
import sys

import pytest
from conftest import ROOT, run_build

sys.path.insert(0, str(ROOT / "scripts"))
import bench  # the benchmark's synthetic copies: its data at any multiple)

SLACK = 1.05, 200  # counts gain digits as the data grows; a list of records would double


def entries(site) -> dict[str, dict]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {doc["location"]: doc for doc in index["docs"]}


@pytest.fixture(scope="module")
def doubled_site(tmp_path_factory):
    project = bench.make_project(tmp_path_factory.mktemp("doubled") / "project", 2)
    build = run_build(project, project.parent / "site")
    assert build.returncode == 0, build.output
    return build.site


FIGURE = re.compile(r'<figure[^>]*\bid="([^"]+)"[^>]*>(.*?)</figure>', re.DOTALL)


def figures(site, location: str) -> dict[str, int]:
    """The figures of a page (by id) with the length of their words: a figure a page gains once a group is big
    enough to draw (five patients with survival make a curve) is one caption, not a list that grows."""
    page = site / location.split("#")[0] / "index.html"
    html = page.read_text(encoding="utf-8") if page.exists() else ""
    return {fid: len(" ".join(re.sub(r"<[^>]+>", " ", body).split())) for fid, body in FIGURE.findall(html)}


def test_pages_that_gather_records_do_not_grow_in_the_index(built_site, doubled_site):
    once, twice = entries(built_site.site), entries(doubled_site)
    gathering = {loc for loc in once if not loc.startswith("references/")}
    assert {loc for loc in twice if not loc.startswith("references/")} == gathering

    def allowed(loc):
        new = {f: n for f, n in figures(doubled_site, loc).items() if f not in figures(built_site.site, loc)}
        return len(once[loc]["text"]) * SLACK[0] + SLACK[1] + sum(new.values())
    grew = {loc: (len(once[loc]["text"]), len(twice[loc]["text"])) for loc in gathering
            if len(twice[loc]["text"]) > allowed(loc)}
    assert not grew, grew


def test_each_added_work_is_one_entry_that_finds_it(built_site, doubled_site):
    once, twice = entries(built_site.site), entries(doubled_site)
    added = set(twice) - set(once)
    assert added and all(loc.startswith("references/") for loc in added)
    for loc in added:
        ref_id = loc.removeprefix("references/").strip("/")
        assert ref_id in twice[loc]["text"], loc
