"""One render step, two engines: MkDocs (mkdocs-material) and Zensical build the same site from build/docs.

Both build the contributed project as a publication (its render step runs once; Zensical finds the tree
current). Compared page by page: the same pages, the same article text, the same links and the same head
tags; each site's broken links are counted here, and both pass the W3C Nu validator. The files in which the
themes differ by design are listed in THEME_OWN, each with its reason, and each listed difference must
still occur (a reason that no longer applies is removed from the list).
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import lxml.html
import pytest
import yaml
from conftest import PUBLISHED_AT, run_zensical_build
from sitecheck import broken_links, nu_validator

# Files (or folders, ending in "/") only one engine writes, or that each writes in its own way.
THEME_OWN = {
    "assets/": "each theme ships its own scripts, stylesheets, fonts and icons under hashed bundle names "
               "(mkdocs-material also its lunr language packs and source maps)",
    "search/search_index.json": "mkdocs-material's search index (lunr format); Zensical writes its own, search.json",
    "search.json": "Zensical's search index, its own format",
    "sitemap.xml.gz": "MkDocs writes a gzipped copy of sitemap.xml; Zensical writes sitemap.xml only",
}
HEAD_SELECTOR = ("//head/meta[starts-with(@name, 'citation_') or starts-with(@name, 'DC.') or starts-with(@property, 'og:')"
                 " or @name='description'] | //head/link[@rel='canonical' or @rel='schema.DC'] | //head/title")


@pytest.fixture(scope="module")
def both(contributed_project, contributed_site) -> tuple[Path, Path]:
    zensical = run_zensical_build(contributed_project, contributed_project.parent / "zensical-site", published=True)
    assert zensical.returncode == 0, zensical.output
    assert "nothing changed since the last run" in zensical.output  # one render step served both engines
    return contributed_site.site, zensical.site


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.suffix != ".html"}


def _theme_own(path: str) -> str | None:
    return next((key for key in THEME_OWN if path == key or (key.endswith("/") and path.startswith(key))), None)


def test_both_engines_build_every_page_of_the_tree(both, contributed_project):
    mkdocs_site, zensical_site = both
    tree = contributed_project / "build" / "docs"
    expected = {p.relative_to(tree).with_suffix(".html").as_posix() for p in tree.rglob("index.md")} | {"404.html"}
    assert _pages(mkdocs_site) == expected
    assert _pages(zensical_site) == expected
    assert len(expected) >= 100


def test_other_files_differ_only_where_the_themes_do(both):
    mkdocs_site, zensical_site = both
    a, b = _files(mkdocs_site), _files(zensical_site)
    unexplained = sorted(p for p in a ^ b if not _theme_own(p))
    assert unexplained == []
    different = sorted(p for p in a & b if not _theme_own(p) and p != "sitemap.xml"
                       and (mkdocs_site / p).read_bytes() != (zensical_site / p).read_bytes())
    assert different == []  # figures, downloads, stylesheets and scripts of the atlas: the same bytes
    occurring = {_theme_own(p) for p in a ^ b} | {"assets/"}
    assert set(THEME_OWN) <= occurring, f"listed but no longer different: {set(THEME_OWN) - occurring}"


def _read(path: Path):
    doc = lxml.html.parse(str(path))
    article = doc.xpath("//article")
    text = " ".join(article[0].text_content().split()) if article else ""
    links = article[0].xpath(".//a/@href") if article else []
    head = [(el.tag, el.get("name") or el.get("property") or el.get("rel"), el.get("content") or el.get("href") or el.text)
            for el in doc.xpath(HEAD_SELECTOR)]
    return text, links, head


def test_every_page_has_the_same_text_links_and_head_tags(both):
    mkdocs_site, zensical_site = both
    differences = []
    for page in sorted(_pages(mkdocs_site) - {"404.html"}):
        text_a, links_a, head_a = _read(mkdocs_site / page)
        text_b, links_b, head_b = _read(zensical_site / page)
        assert text_a, f"{page}: no article text"
        for what, a, b in (("article text", text_a, text_b), ("links", links_a, links_b), ("head tags", head_a, head_b)):
            if a != b:
                differences.append(f"{page}: {what} differ")
    assert differences == []


def test_head_tags_are_there_in_both(both):
    """The comparison is not of two empty heads: a reference page carries its citation tags in both."""
    for site in both:
        doc = lxml.html.parse(str(site / "references" / "schiff-1996" / "index.html"))
        assert doc.xpath("//meta[@name='citation_title']/@content") == ["Atlas record of Schiff D et al. 1996"]
        assert doc.xpath("//link[@rel='canonical']/@href")[0].startswith(PUBLISHED_AT)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_no_broken_link_in_either_engine(both, contributed_project, engine):
    site = both[0 if engine == "mkdocs" else 1]
    version = yaml.safe_load((contributed_project / "CITATION.cff").read_text(encoding="utf-8"))["version"]
    broken, pages = broken_links(site, f"{urlparse(PUBLISHED_AT).path}{version}/")
    assert broken == []
    assert pages >= 100


def test_zensical_output_passes_the_nu_validator(both):
    proc = nu_validator(both[1])
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]


def test_a_zensical_preview_404_page_links_into_its_version(browser, tmp_path):
    """The same rule on Zensical's 404 page: a preview build served under a versioned path links into that version."""
    from browser import check_rooted_404
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    build = run_zensical_build(project, tmp_path / "zensical-preview")
    assert build.returncode == 0, build.output
    check_rooted_404(browser, build.site, tmp_path)
