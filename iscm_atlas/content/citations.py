"""Which page cites which reference: the cross-references of one build.

Collected in a pass over every page before any page is rendered (iscm_atlas/render/pages.py), so a
reference page's backlinks, a page's list of references cited and its citation head tags never
depend on the order in which pages are rendered. One register per build, held by the build object.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from iscm_atlas.content import urls
from iscm_atlas.data.model import Dataset


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


def number_ranges(numbers) -> str:
    """"1, 2, 4–6": a review's reference numbers, runs of three or more joined by a dash."""
    numbers, runs = sorted(set(numbers)), []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(f"{a}–{b}" if b - a > 1 else (f"{a}, {b}" if b > a else f"{a}") for a, b in runs)


def citation_links(ds: Dataset, ref_ids, link: Callable[[str], str]) -> tuple[tuple[str, str], ...]:
    """Links for an in-text citation: each named work on its own; works a review cites only by number,
    of which nothing else is known, as one compact group per review, linked to that review's list."""
    named, by_number = [], {}
    for r in ref_ids:
        ref = ds.references[r]
        source = ref.csl["iscm"]["metadata"].get("source")
        if not ref.authors and ref.review_ref and source in ds.references:
            by_number.setdefault(source, []).append(ref.review_ref)
        else:
            named.append((ref.citation_label, link(urls.reference(r))))
    groups = [(f"ref{'s' if len(nums) > 1 else ''}. {number_ranges(nums)} in {ds.references[src].citation_label}",
               link(urls.reference(src)) + "#" + urls.CITED_BY_NUMBER) for src, nums in by_number.items()]
    return (*named, *groups)
