"""Which page cites which reference: the cross-references of one build.

Collected in a pass over every page before any page is rendered (iscm_atlas/render/pages.py), so a
reference page's backlinks, a page's list of references cited and its citation head tags never
depend on the order in which pages are rendered. One register per build, held by the build object.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from iscm_atlas.content import urls
from iscm_atlas.content.wording import citing_review
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


def by_review(ds: Dataset, ref_ids) -> tuple[list[str], dict[str, list[str]]]:
    """The works cited, split by the attribution rule: those the atlas read itself (the review, later reports), and
    those it knows only through a review, grouped by that review; each in order of first mention."""
    read, through = [], {}
    for r in dict.fromkeys(ref_ids):
        review = citing_review(ds, ds.references[r])
        if review is None:
            read.append(r)
        else:
            through.setdefault(review, []).append(r)
    return read, through


def read_first(ds: Dataset, ref_ids) -> tuple[list[str], dict[str, list[str]]]:
    """The works to cite first (those read, then each review the others are known through) and the others by review."""
    read, through = by_review(ds, ref_ids)
    return read + [r for r in through if r not in read], through


def with_reviews(ds: Dataset, ref_ids) -> list[str]:
    """The works a citation names: those given, and the review each is known through ("as cited in" names it too),
    so that the review's page links back to every page that cites it that way."""
    ids = list(dict.fromkeys(ref_ids))
    return ids + [r for r in by_review(ds, ids)[1] if r not in ids]


class CiteLink(NamedTuple):
    """One link of an in-text citation, and what stands between it and the link before it."""
    text: str
    href: str
    before: str = "; "


def citation_links(ds: Dataset, ref_ids, link: Callable[[str], str]) -> tuple[CiteLink, ...]:
    """Links for an in-text citation, by one attribution rule (CONTRIBUTING.md, "Who says it"):

    - a work the atlas read itself (the review, a later report) is cited on its own: "(Hrabálek L 2010)";
    - a work the atlas knows only from a review that cites it is cited through that review, never alone:
      "(Schiff D et al. 1996, as cited in Hrabálek L 2010)", and works of which nothing but the review's number is
      known as one compact group: "(refs. 1, 2 in Hrabálek L 2010)";
    - the review itself, when it is also among the sources, is named once, by the "as cited in" that cites it."""
    read, through = by_review(ds, ref_ids)
    links = [CiteLink(ds.references[r].citation_label, link(urls.reference(r))) for r in read if r not in through]
    for review, cited in through.items():
        label, href = ds.references[review].citation_label, link(urls.reference(review))
        named = [ds.references[r] for r in cited if ds.references[r].authors]
        numbers = [ds.references[r].review_ref for r in cited if not ds.references[r].authors]
        if named:
            links += [CiteLink(ref.citation_label, link(urls.reference(ref.id))) for ref in named]
            links.append(CiteLink(f"as cited in {label}", href, ", "))
        if numbers:
            links.append(CiteLink(f"ref{'s' if len(numbers) > 1 else ''}. {number_ranges(numbers)} in {label}",
                                  href + "#" + urls.CITED_BY_NUMBER))
    return tuple(links)
