"""Whose data a computed figure, count or table rests on, described from the records themselves.

A label typed beside a chart goes stale the day a contributor adds a case of another kind; a label
computed from the selection that produced the numbers cannot. Every figure and count says which
primary sites its records have and which documents (and tables) they were read from, e.g.
"22 of 28 patients with a breast primary and reported survival (Table 2 of Hrabálek L 2010)".
"""
from __future__ import annotations

from collections import Counter

from iscm_atlas.content.summary import is_own_case
from iscm_atlas.content.wording import a_primary, collecting_documents, primary_noun
from iscm_atlas.data.model import Dataset, Patient, Series


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural_form or singular + 's')}"


def _site_label(ds: Dataset, site: str | None) -> str:
    """The site as the adjective before "primary": "breast", "unknown" (its label without a final "primary")."""
    label = ds.vocabularies["primary-sites"].label_of(site).lower() if site else "unreported"
    return label.removesuffix(" primary")


def site_phrase(ds: Dataset, patients: list[Patient]) -> str:
    """"patients with a breast primary", or "patients with a breast (27) or lung (1) primary"."""
    counts = Counter(p.primary_site for p in patients)
    order = [t.id for t in ds.vocabularies["primary-sites"].terms] + [None]
    sites = [s for s in order if counts[s]]
    noun = "patient" if len(patients) == 1 else "patients"
    if not sites:
        return noun
    if len(sites) == 1:
        return f"{noun} with {a_primary(_site_label(ds, sites[0]))}"
    named = [f"{_site_label(ds, s)} ({counts[s]})" for s in sites]
    return f"{noun} with a {', '.join(named[:-1])} or {named[-1]} primary"


def site_list(ds: Dataset, patients: list[Patient]) -> str:
    """"kidney (1) and prostate (2)": the sites of these patients with their counts, in vocabulary order."""
    counts = Counter(p.primary_site for p in patients)
    order = [t.id for t in ds.vocabularies["primary-sites"].terms] + [None]
    named = [f"{_site_label(ds, s) if s else 'site not reported'} ({counts[s]})" for s in order if counts[s]]
    return named[0] if len(named) == 1 else f"{', '.join(named[:-1])} and {named[-1]}"


def short_site_label(ds: Dataset, patients: list[Patient]) -> str:
    """"Breast primary" or "Breast or lung primary": for curve legends, where space is short."""
    counts = Counter(p.primary_site for p in patients)
    order = [t.id for t in ds.vocabularies["primary-sites"].terms] + [None]
    sites = [_site_label(ds, s) for s in order if counts[s]]
    text = primary_noun((", ".join(sites[:-1]) + " or " + sites[-1]) if len(sites) > 1 else (sites[0] if sites else "any"))
    return f"{text[0].upper()}{text[1:]}"


def _place(ds: Dataset, record, collecting: set[str]) -> tuple[str, int | None]:
    """(document label, table) a record was read from; records read from their own publication
    (not a collecting review) are grouped as "their own publications"."""
    src = record.source
    if src.document in collecting or src.document != record.reference:
        return ds.references[src.document].citation_label, src.table
    return "", None


def sources_phrase(ds: Dataset, records, counts: bool = True, own_cases: bool = True) -> str:
    """Where the records were read: "Table 2 of Hrabálek L 2010"; from several places, each with its
    count ("Table 1 of Hrabálek L 2010: 43; their own publications: 1"), or without counts
    ("Tables 1 and 2 of Hrabálek L 2010; their own publications")."""
    collecting = collecting_documents(ds)
    places = Counter(_place(ds, r, collecting) for r in records)
    if not counts:
        tables: dict[str, list] = {}
        for document, table in places:
            tables.setdefault(document, []).append(table)
        parts = []
        for document, numbers in tables.items():
            if not document:
                parts.append("their own publications")
                continue
            numbers = sorted(n for n in numbers if n)
            word = "Table" if len(numbers) == 1 else "Tables"
            listed = " and ".join([", ".join(map(str, numbers[:-1])), str(numbers[-1])] if len(numbers) > 1 else map(str, numbers))
            parts.append(f"{word} {listed} of {document}" if numbers else document)
        return "; ".join(parts)

    def name(place):
        document, table = place
        if not document:  # one publication or several: "their own publication(s)"
            own_refs = {r.reference for r in records if _place(ds, r, collecting) == place}
            return "their own publication" if len(own_refs) == 1 else "their own publications"
        return f"Table {table} of {document}" if table else document

    def own(place) -> str:
        """The collecting review's own cases among the records read from this place, said right beside it, so
        that they are never read as belonging to a later group."""
        return own_case_phrase(ds, [r for r in records if _place(ds, r, collecting) == place]) if own_cases else ""
    if len(places) == 1:
        place = next(iter(places))
        return f"{name(place)}{own(place)}"
    return "; ".join(f"{name(place)}: {n}{own(place)}" for place, n in places.items())


def own_case_phrase(ds: Dataset, records) -> str:
    """", including 1 own case of Hrabálek L 2010" when the selection holds a collecting review's own case."""
    collecting = collecting_documents(ds)
    own = Counter(r.reference for r in records if is_own_case(r, collecting))
    if not own:
        return ""
    return ", including " + " and ".join(
        f"{plural(n, 'own case')} of {ds.references[ref].citation_label}" for ref, n in sorted(own.items()))


def describe_patients(ds: Dataset, used: list[Patient], of: list[Patient] | None = None, condition: str = "") -> str:
    """"22 of 28 patients with a breast primary and reported survival (Table 2 of Hrabálek L 2010)"."""
    of = used if of is None else of
    count = f"{len(used)} of {len(of)}" if len(used) != len(of) else f"{len(of)}"
    condition = f" {condition}" if condition else ""
    return f"{count} {site_phrase(ds, of)}{condition} ({sources_phrase(ds, of)})"


def describe_series(ds: Dataset, series: list[Series]) -> str:
    """"88 surgically treated cases in 43 publications (Table 1 of Hrabálek L 2010, including 1 own case of ...)"."""
    cases = sum(s.surgically_treated for s in series)
    publications = len({s.reference for s in series})
    return (f"{plural(cases, 'surgically treated case')} in {plural(publications, 'publication')} "
            f"({sources_phrase(ds, series)})")


def patient_sources_note(ds: Dataset) -> str:
    """Where individual patient records come from and which primary sites each of those lists, so that a
    site with no patient row is not read as a site without patients."""
    places: dict[str, set] = {}
    for p in ds.patients:
        places.setdefault(sources_phrase(ds, [p], own_cases=False), set()).add(p.primary_site)
    order = [t.id for t in ds.vocabularies["primary-sites"].terms]
    parts = []
    for place, sites in places.items():
        names = [ds.vocabularies["primary-sites"].label_of(s).lower() for s in order if s in sites]
        parts.append(f"{place} (patients with a {' or '.join(names) or 'unreported'} primary)")
    return ("Individual patient records come only from " + "; ".join(parts)
            + "; for other primary sites the sources give counts of cases, not patients.")
