"""One build: everything a build knows, made once per build and handed to every step.

The data (loaded and checked), this release's citation facts, the evidence figures, the templates, the
cross-references between pages and the problems met so far live here and nowhere else: no module keeps
state from one build to the next, so `make serve` and the tests can build again and again in one process.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from iscm_atlas.content.citations import CitationRegister
from iscm_atlas.content.currency import currency_text
from iscm_atlas.content.figures import EvidenceFigure, all_figures
from iscm_atlas.content.indexes import used_sites
from iscm_atlas.data.dataset import load_dataset
from iscm_atlas.data.filecache import ValidatedFiles
from iscm_atlas.data.model import Dataset
from iscm_atlas.data.problems import format_report
from iscm_atlas.formats.citing import SiteInfo, site_info
from iscm_atlas.render.templates import Templates


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
    if deployed and deployed != site.version:
        raise BuildError(f"mike deploys version {deployed}, but CITATION.cff says {site.version}: the pages would "
                         f"cite an address that does not exist; deploy with `mike deploy {site.version} latest`")
    return Build(project, ds, site, currency_text(ds, project), all_figures(ds, sites), sites,
                 Templates(project / "templates"))
