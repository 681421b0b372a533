"""Checks that need more than one file: ids, references, vocabularies and counts that must agree.

Each check reads the parsed documents (which already passed their schema) and yields located
problems; none of them stops the others, so a contributor sees everything at once.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from iscm_atlas.data.problems import Problem
from iscm_atlas.data.segments import problem as segment_problem
from iscm_atlas.data.segments import regions as segment_regions
from iscm_atlas.data.terms import resolve as terms_resolve
from iscm_atlas.data.terms import suggest as terms_suggest
from iscm_atlas.data.yamlfile import YamlDocument

# Which vocabulary each coded field draws on, and the words used in messages.
VOCAB_FIELDS = {
    "primary-sites": "primary site",
    "spinal-levels": "spinal level",
    "outcomes": "outcome",
    "histologies": "histology",
    "resections": "extent of resection",
    "topics": "topic",
    "time-origins": "time origin of survival",
    "radiotherapy-techniques": "radiotherapy technique",
    "neurological-scales": "neurological scale",
}


def _suggest(value: str, terms: list[dict]) -> str:
    """What to write instead of an unknown term: the id of the form typed (a label, abbreviation or printed form),
    else the terms whose forms contain the words or are spelled closest, else every id."""
    named = terms_resolve(value, terms)
    if named:
        return f"write '{named}' (the id for '{value}')"
    close = terms_suggest(value, terms)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return "write one of: " + ", ".join(t["id"] for t in terms)


class VocabularyIndex:
    """Term ids per vocabulary, with every term's written forms (for suggestions)."""

    def __init__(self, vocab_docs: dict[str, YamlDocument]):
        self.terms = {vid: list(doc.data["terms"]) for vid, doc in vocab_docs.items()}
        self.ids = {vid: [t["id"] for t in terms] for vid, terms in self.terms.items()}

    def check(self, doc: YamlDocument, path, value: str, vocab: str, *, key: bool = False) -> Iterator[Problem]:
        options = self.ids.get(vocab)
        if options is None or value in options:
            return
        fix = _suggest(value, self.terms[vocab])
        yield doc.problem(path, f"unknown {VOCAB_FIELDS[vocab]} '{value}'; {fix} "
                                f"(terms are listed in data/vocabularies/{vocab}.yaml)", key=key)


def file_name_matches_id(doc: YamlDocument, name: str) -> Iterator[Problem]:
    """`name`: the file's name, e.g. "lee-2007.yaml"."""
    stem = name.removesuffix(".yaml")
    if doc.data["id"] != stem:
        yield doc.problem(("id",), f"id '{doc.data['id']}' differs from the file name '{name}'; "
                                   f"rename the file to {doc.data['id']}.yaml or write id: {stem}")


def unique_ids(docs: list[YamlDocument]) -> Iterator[Problem]:
    """Every id (file, series, patient, group) names one thing in the whole dataset; case is ignored."""
    first: dict[str, tuple[YamlDocument, tuple]] = {}
    for doc in docs:
        for path, value in _id_paths(doc.data):
            folded = value.lower()
            if folded in first:
                other, other_path = first[folded]
                line = other.where(other_path)[0]
                yield doc.problem(path, f"duplicate id '{value}': already used at {other.path}:{line}; choose another id")
            else:
                first[folded] = (doc, path)


def _id_paths(data: dict) -> Iterator[tuple[tuple, str]]:
    """The file's id and the ids of the records inside it."""
    yield ("id",), data["id"]
    for section in ("series", "patients", "group_statistics"):
        for i, record in enumerate(data.get(section, [])):
            yield (section, i, "id"), record["id"]


def record_ids_are_prefixed(doc: YamlDocument) -> Iterator[Problem]:
    """Record ids start with their file's id, so they stay unique as files are added."""
    prefix = doc.data["id"] + "-"
    for section, letter in (("series", "s"), ("patients", "p"), ("group_statistics", "g")):
        for i, record in enumerate(doc.data.get(section, [])):
            if not record["id"].startswith(prefix):
                yield doc.problem((section, i, "id"), f"id '{record['id']}' must start with the file's id: "
                                                      f"write e.g. '{prefix}{letter}{i + 1}'")


def _unknown_reference(doc: YamlDocument, path, ref_id: str, known: set[str]) -> Problem:
    close = difflib.get_close_matches(ref_id, sorted(known), n=1, cutoff=0.7)
    hint = f"did you mean '{close[0]}'? Otherwise add" if close else "add"
    return doc.problem(path, f"unknown reference '{ref_id}': {hint} data/references/{ref_id}.yaml first")


def references_exist(doc: YamlDocument, known: set[str]) -> Iterator[Problem]:
    def missing(path, ref_id):
        return _unknown_reference(doc, path, ref_id, known)

    reported = set()  # one message per missing reference and file, however often it is named
    if doc.data["reference"] not in known:
        reported.add(doc.data["reference"])
        yield missing(("reference",), doc.data["reference"])
    for section in ("series", "patients", "group_statistics"):
        for i, record in enumerate(doc.data.get(section, [])):
            document = record["source"]["document"]
            if document not in known and document not in reported:
                reported.add(document)
                yield missing((section, i, "source", "document"), document)


def vocabulary_terms(doc: YamlDocument, vocab: VocabularyIndex) -> Iterator[Problem]:
    for i, series in enumerate(doc.data.get("series", [])):
        for site in series["primary_sites"]:
            yield from vocab.check(doc, ("series", i, "primary_sites", site), site, "primary-sites", key=True)
        for histology in series.get("histology", {}):
            yield from vocab.check(doc, ("series", i, "histology", histology), histology, "histologies", key=True)
    for i, patient in enumerate(doc.data.get("patients", [])):
        if patient["primary_site"] is not None:
            yield from vocab.check(doc, ("patients", i, "primary_site"), patient["primary_site"], "primary-sites")
        if patient["outcome"] is not None:
            yield from vocab.check(doc, ("patients", i, "outcome"), patient["outcome"], "outcomes")
        for j, level in enumerate(patient.get("level") or []):
            yield from vocab.check(doc, ("patients", i, "level", j), level, "spinal-levels")
        for field, vocabulary in (("histology", "histologies"), ("resection", "resections"),
                                  ("radiotherapy_technique", "radiotherapy-techniques"), ("survival_from", "time-origins")):
            if patient.get(field) is not None:
                yield from vocab.check(doc, ("patients", i, field), patient[field], vocabulary)
        if patient.get("neurological_grade"):
            yield from vocab.check(doc, ("patients", i, "neurological_grade", "scale"),
                                   patient["neurological_grade"]["scale"], "neurological-scales")


def patient_fields_agree(doc: YamlDocument) -> Iterator[Problem]:
    """Segments and level name the same regions; an extent of resection needs surgery."""
    for i, patient in enumerate(doc.data.get("patients", [])):
        segments = patient.get("segments") or []
        for j, segment in enumerate(segments):
            message = segment_problem(segment)
            if message:
                yield doc.problem(("patients", i, "segments", j), message)
        if segments and patient.get("level") and not any(segment_problem(s) for s in segments):
            derived = segment_regions(segments)
            if set(derived) != set(patient["level"]):
                yield doc.problem(("patients", i, "level"),
                                  f"level [{', '.join(patient['level'])}] does not match the regions of segments "
                                  f"[{', '.join(segments)}] ({', '.join(derived)}); write level: [{', '.join(derived)}], "
                                  "or leave level out (it is derived)")
        for field in ("radiotherapy_technique", "radiotherapy_dose_gy", "radiotherapy_fractions"):
            if patient.get(field) is not None and patient["radiotherapy"] is not True:
                said = {False: "false", None: "null (not reported)"}[patient["radiotherapy"]]
                yield doc.problem(("patients", i, field),
                                  f"{field} is given but radiotherapy is {said}; write radiotherapy: true, or leave "
                                  f"{field} out")
                break
        if patient.get("survival_from") not in (None, "not-stated") and patient["survival_months"] is None:
            yield doc.problem(("patients", i, "survival_from"),
                              "survival_from is given but survival_months is null; give the survival in months, or "
                              "leave survival_from out")
        if patient.get("resection") is not None and patient["surgery"] is not True:
            said = {False: "false", None: "null (not reported)"}[patient["surgery"]]
            yield doc.problem(("patients", i, "resection"),
                              f"resection is given but surgery is {said}; an extent of resection means the metastasis "
                              "was operated on: write surgery: true, or leave resection out")


def counts_within_series(doc: YamlDocument) -> Iterator[Problem]:
    for i, series in enumerate(doc.data.get("series", [])):
        for field in ("primary_sites", "histology"):
            total = sum(series.get(field, {}).values())
            if total > series["surgically_treated"]:
                yield doc.problem(("series", i, field),
                                  f"{field} add up to {total}, more than surgically_treated ({series['surgically_treated']}); "
                                  "the counts of one series cannot exceed its size: correct the counts or the total")


def group_statistics_consistent(doc: YamlDocument) -> Iterator[Problem]:
    patient_ids = {p["id"] for p in doc.data.get("patients", [])}
    for i, group in enumerate(doc.data.get("group_statistics", [])):
        for j, pid in enumerate(group["patients"]):
            if pid not in patient_ids:
                yield doc.problem(("group_statistics", i, "patients", j),
                                  f"unknown patient '{pid}'; a group lists ids of patients in this file: {', '.join(sorted(patient_ids)) or 'none'}")
        stats = group["survival_months"]
        low, mid, high = stats.get("min"), stats["median"], stats.get("max")
        if (low is not None and low > mid) or (high is not None and high < mid):
            yield doc.problem(("group_statistics", i, "survival_months"),
                              f"survival_months has min {low}, median {mid}, max {high}; they must satisfy min <= median <= max")


def vocabulary_ids_unique(doc: YamlDocument) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, term in enumerate(doc.data["terms"]):
        if term["id"] in seen:
            yield doc.problem(("terms", i, "id"), f"term id '{term['id']}' is listed twice; keep one")
        seen.add(term["id"])


def finding_consistent(doc: YamlDocument, known_refs: set[str], vocab: VocabularyIndex,
                       known_findings: set[str] = frozenset()) -> Iterator[Problem]:
    data = doc.data
    yield from vocab.check(doc, ("topic",), data["topic"], "topics")
    for i, site in enumerate(data.get("sites", [])):
        yield from vocab.check(doc, ("sites", i), site, "primary-sites")
    for i, ref_id in enumerate(data["citations"]):
        if ref_id not in known_refs:
            yield _unknown_reference(doc, ("citations", i), ref_id, known_refs)
    if data["source"]["document"] not in known_refs:
        yield _unknown_reference(doc, ("source", "document"), data["source"]["document"], known_refs)
    contrast = data.get("contrast")
    if contrast is not None and (contrast not in known_findings or contrast == data["id"]):
        close = difflib.get_close_matches(contrast, sorted(known_findings - {data["id"]}), n=1, cutoff=0.6)
        yield doc.problem(("contrast",), f"contrast names no other finding ('{contrast}'); "
                          + (f"did you mean '{close[0]}'?" if close else "write the id of a file in data/findings/"))
    if data.get("statement") and data.get("values") and any(ch.isdigit() for ch in data["statement"]):
        yield doc.problem(("statement",), "statement has a figure in it; figures go in values, so that every number "
                          "shown is a value of the record (write the statement without it)")
    yield from sites_named_are_listed(doc, vocab)
    for i, value in enumerate(data.get("values", ())):
        if "low" in value and value["low"] > value["high"]:
            yield doc.problem(("values", i), f"low ({value['low']}) is above high ({value['high']}); swap them")
        if "numerator" in value and value["numerator"] > value["denominator"]:
            yield doc.problem(("values", i), f"numerator ({value['numerator']}) is above denominator ({value['denominator']}); check the source")


def _site_words(term: dict) -> list[str]:
    """How a statement names a primary site: its label, and its id as words where the label is one word
    ("Unknown primary" is named only so: "unknown" alone is said of many things)."""
    label = term.get("label", term["id"]).lower()
    return [label] if " " in label else [label, term["id"].replace("-", " ")]


def sites_named_are_listed(doc: YamlDocument, vocab: VocabularyIndex) -> Iterator[Problem]:
    """A finding whose label or statement names a primary site lists that site in `sites`, so the site's page
    shows it (else the page would say it has no finding while one speaks of it)."""
    data = doc.data
    text = f"{data.get('label', '')} {data.get('statement', '')}".lower()
    listed = set(data.get("sites", ()))
    for term in vocab.terms.get("primary-sites", ()):
        words = next((w for w in _site_words(term) if re.search(rf"\b{re.escape(w)}\b", text)), None)
        if words and term["id"] not in listed:
            yield doc.problem(("statement",) if "statement" in data else ("label",),
                              f"the finding speaks of '{words}' but its sites do not list it; add "
                              f"`sites: [{', '.join(sorted(listed | {term['id']}))}]` so that /sites/{term['id']}/ shows it")


def certainty_consistent(doc: YamlDocument, known_findings: set[str], topics: set[str]) -> Iterator[Problem]:
    """A judgement is of a finding that exists, or of a topic of the topics vocabulary."""
    data = doc.data
    if data.get("finding") is not None and data["finding"] not in known_findings:
        close = difflib.get_close_matches(data["finding"], sorted(known_findings), n=1, cutoff=0.6)
        yield doc.problem(("finding",), f"finding '{data['finding']}' is not a file in data/findings/; "
                          + (f"did you mean '{close[0]}'?" if close else "write the id of the key message judged"))
    if data.get("later_topic") is not None and data["later_topic"] not in topics:
        yield doc.problem(("later_topic",), f"unknown topic '{data['later_topic']}'; write one of: {', '.join(sorted(topics))}")


def unique_subjects(docs: list[YamlDocument]) -> Iterator[Problem]:
    """One judgement per key message and per topic: two would leave the page to choose between them."""
    seen: dict[tuple, str] = {}
    for doc in sorted(docs, key=lambda d: d.data["id"]):
        subject = ("finding", doc.data["finding"]) if doc.data.get("finding") else ("later_topic", doc.data.get("later_topic"))
        if subject in seen:
            yield doc.problem((subject[0],), f"{subject[1]} is judged already in {seen[subject]}; keep one judgement")
        else:
            seen[subject] = doc.data["id"]


CHECKLIST_ITEMS = {"jbi-case-report": 8, "jbi-case-series": 10}
CHECKLIST_OF = {"case-report": "jbi-case-report", "case-series": "jbi-case-series"}


def appraisal_fits_design(doc: YamlDocument) -> Iterator[Problem]:
    """An appraisal answers every item of the JBI checklist for the work's design, and no other."""
    iscm = doc.data["iscm"]
    appraisal, design = iscm.get("appraisal"), iscm.get("design")
    if appraisal is None:
        return
    checklist = appraisal["checklist"]
    if design is None:
        yield doc.problem(("iscm", "appraisal"), "an appraisal needs the work's design: add design: case-report or "
                                                 "case-series under iscm")
    elif CHECKLIST_OF.get(design) != checklist:
        fit = CHECKLIST_OF.get(design)
        yield doc.problem(("iscm", "appraisal", "checklist"),
                          f"checklist {checklist} does not fit the design {design}; "
                          + (f"write checklist: {fit}" if fit else "a JBI checklist is given for case reports and "
                             "case series only: leave the appraisal out"))
    if len(appraisal["items"]) != CHECKLIST_ITEMS[checklist]:
        yield doc.problem(("iscm", "appraisal", "items"),
                          f"{checklist} has {CHECKLIST_ITEMS[checklist]} items; answer each once, in order "
                          f"({len(appraisal['items'])} given)")


def screening_consistent(doc: YamlDocument, known_searches: set[str], known_refs: set[str]) -> Iterator[Problem]:
    """A screened work names the searches that found it, and an included one its reference file."""
    for i, search in enumerate(doc.data.get("found_by", [])):
        if search not in known_searches:
            yield doc.problem(("found_by", i), f"unknown search '{search}'; add data/searches/{search}.yaml first")
    reference = doc.data.get("reference")
    if reference is not None and reference not in known_refs:
        yield _unknown_reference(doc, ("reference",), reference, known_refs)
