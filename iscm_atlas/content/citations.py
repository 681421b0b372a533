"""Which page cites which reference: the cross-references of one build.

Collected in a pass over every page before any page is rendered (iscm_atlas/render/pages.py), so a
reference page's backlinks, a page's list of references cited and its citation head tags never
depend on the order in which pages are rendered. One register per build, held by the build object.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Citing:
    page_url: str  # site path of the citing page, e.g. "topics/epidemiology/"
    title: str


@dataclass
class CitationRegister:
    by_reference: dict[str, list[Citing]] = field(default_factory=dict)
    by_page: dict[str, list[str]] = field(default_factory=dict)

    def record(self, page_url: str, title: str, ref_ids) -> None:
        for ref_id in ref_ids:
            citing = self.by_reference.setdefault(ref_id, [])
            if all(c.page_url != page_url for c in citing):
                citing.append(Citing(page_url, title))
            cited = self.by_page.setdefault(page_url, [])
            if ref_id not in cited:
                cited.append(ref_id)

    def cited_on(self, page_url: str) -> list[str]:
        return list(self.by_page.get(page_url, []))

    def citing(self, ref_id: str) -> list[Citing]:
        return sorted(self.by_reference.get(ref_id, []), key=lambda c: c.page_url)

