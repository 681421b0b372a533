"""Integrity of the built site: every link and asset resolves, the HTML (and SVG) passes the W3C Nu
validator with zero errors, and two builds of the same commit are byte-identical."""
from __future__ import annotations

import re
import shutil
from urllib.parse import urlparse

import yaml
from conftest import PUBLISHED_AT, run_build
from htmlread import read
from sitecheck import broken_links, nu_validator


def test_no_broken_internal_link_or_anchor_anywhere(any_site):
    site = any_site.site
    # A publication build's 404 page links by absolute path under its permanent address (/atlas/<version>/).
    version = yaml.safe_load((any_site.data.parent / "CITATION.cff").read_text(encoding="utf-8"))["version"]
    published = f"{urlparse(PUBLISHED_AT).path}{version}/" if any_site.name == "contributed" else None
    broken, pages = broken_links(site, published)
    assert broken == []
    assert pages >= 100


def test_html_and_svg_pass_the_nu_validator(contributed_site):
    """On the contributed build: every seed page, the pages contributors add, and hostile text in them."""
    proc = nu_validator(contributed_site.site)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]


def test_two_builds_of_one_commit_are_byte_identical(contributed_project, contributed_site, tmp_path):
    """The contributed project rendered and built a second time from nothing (run_build dates both by the last
    commit): every file, figures and exports included, is the same byte for byte."""
    shutil.rmtree(contributed_project / "build")  # the render step starts over: no page or drawing is kept
    again = run_build(contributed_project, tmp_path / "again", published=True)
    assert again.returncode == 0, again.output
    first, second = contributed_site.site, tmp_path / "again"
    files_a = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files_a == files_b
    different = [str(f) for f in files_a if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []


DOUBLED = re.compile(r"\b([A-Za-z]{3,})\s+\1\b", re.IGNORECASE)


def test_no_page_says_a_word_twice_in_a_row(any_site):
    """A phrase assembled from data ("an unknown primary" + " primary") must not double a word anywhere in the
    visible text of any page; a table cell next to a cell is not a sentence, so cells are joined with a bar."""
    doubled = {}
    for page in sorted(any_site.site.rglob("*.html")):
        text = " | ".join(cell for cell in read(page).text if cell.strip())
        found = {m.group(0) for m in DOUBLED.finditer(" ".join(text.split()))}
        if found:
            doubled[str(page.relative_to(any_site.site))] = sorted(found)
    assert doubled == {}
