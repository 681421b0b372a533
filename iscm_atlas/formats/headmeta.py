"""The <head> tags that let a reference manager save any page as one "Web Page" item.

Rules checked against Zotero's translators: Highwire `citation_*` tags (title, one author each,
dates as YYYY/MM/DD, the canonical URL), Open Graph with og:type = website (else Zotero files the
page as a journal article), Dublin Core with its schema link but no DC.type, and never
citation_journal_title, citation_conference_title, citation_book_title or citation_isbn, which
would change the item type. No COinS anywhere: Zotero would prefer it and offer a pick-list.

Rules for whoever edits these tags (templates/overrides/main.html prints them as given):
- citation_author and DC.creator carry real, named people only, as "Family, Given": reference
  managers split a name without a comma at its last space, so "ISCM Atlas contributors" would become
  a person called "Contributors, ISCM Atlas". With nobody named in CITATION.cff there are none, and
  the site's name stands in og:site_name (and as group author or publisher in the cite block).
- A preview build (no SITE_URL) has no address: it writes no citation_public_url, og:url or
  DC.identifier, never a local one. A publication build gives this version's permanent address in
  citation_public_url, DC.identifier and the canonical link, and the latest release's in og:url.
"""
from __future__ import annotations

from dataclasses import dataclass

from iscm_atlas.data.model import Reference
from iscm_atlas.data.names import name_family_given
from iscm_atlas.formats.citing import SiteInfo

DESCRIPTION = "A living, citable evidence atlas of intramedullary spinal cord metastases, generated from data."


@dataclass(frozen=True)
class HeadTag:
    kind: str  # "name", "property" or "link"
    name: str
    content: str


def _day(date) -> str:
    return date.strftime("%Y/%m/%d")


def cited_reference(ref: Reference) -> str:
    """One citation_reference value: the Highwire keys Zotero reads for a cited work (a work with an author or a
    title: the caller leaves out one known only by its number, whose only "title" would be a placeholder)."""
    parts = []
    if "title" in ref.csl:
        parts.append(("citation_title", ref.csl["title"]))
    parts += [("citation_author", name_family_given(a)) for a in ref.authors]
    if ref.year:
        parts.append(("citation_publication_date", str(ref.year)))
    if "DOI" in ref.csl:
        parts.append(("citation_doi", ref.csl["DOI"]))
    return "; ".join(f"{k}={v}" for k, v in parts)


def head_tags(site: SiteInfo, title: str, path: str, description: str | None, cited: list[Reference],
              doi: str | None = None) -> list[HeadTag]:
    """The tags of the page at site path `path` (e.g. "topics/diagnosis/"); `cited` in the order to cite them
    (the works read first)."""
    url, latest = site.page_url(path), site.latest_url(path)
    tags = [HeadTag("name", "citation_title", title)]
    tags += [HeadTag("name", "citation_author", name) for name in site.person_names]
    tags += [HeadTag("name", "citation_publication_date", _day(site.released)),
             HeadTag("name", "citation_online_date", _day(site.date))]
    if url:
        tags += [HeadTag("name", "citation_public_url", url), HeadTag("name", "citation_fulltext_html_url", url)]
    tags.append(HeadTag("name", "citation_language", "en"))
    if doi:
        tags.append(HeadTag("name", "citation_doi", doi))
    tags += [HeadTag("name", "citation_reference", cited_reference(ref)) for ref in cited]
    tags += [HeadTag("property", "og:type", "website"), HeadTag("property", "og:site_name", site.name),
             HeadTag("property", "og:title", title)]
    if latest:
        tags.append(HeadTag("property", "og:url", latest))
    tags.append(HeadTag("property", "og:description", description or DESCRIPTION))
    tags += [HeadTag("link", "schema.DC", "http://purl.org/dc/elements/1.1/"), HeadTag("name", "DC.title", title)]
    tags += [HeadTag("name", "DC.creator", name) for name in site.person_names]
    tags.append(HeadTag("name", "DC.date", site.released.isoformat()))
    if url:
        tags.append(HeadTag("name", "DC.identifier", url))
    tags.append(HeadTag("name", "DC.language", "en"))
    return tags
