"""Which page cites which reference, collected while pages render, read when reference pages render.

Cross-references form a graph, so they are collected first and rendered after: MkDocs renders the
hand-written pages before the generated reference pages (those are appended to the file list),
and the hooks clear the register at the start of every build.
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
    problems: list[str] = field(default_factory=list)  # macro calls the data cannot answer, reported at once

    def clear(self) -> None:
        self.by_reference.clear()
        self.by_page.clear()
        self.problems.clear()

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


register = CitationRegister()
