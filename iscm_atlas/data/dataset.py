"""Load data/ into a checked Dataset: parse every file, check each against its schema, then
check across files, and only then build typed records. All problems are collected, none raised."""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from pathlib import Path

from iscm_atlas.data import checks
from iscm_atlas.data.filecache import ValidatedFiles
from iscm_atlas.data.filecheck import check_files
from iscm_atlas.data.model import (
    Certainty,
    Dataset,
    Finding,
    GroupStatistic,
    Patient,
    Reference,
    Screened,
    Search,
    Series,
    Source,
    Term,
    Vocabulary,
)
from iscm_atlas.data.problems import Problem
from iscm_atlas.data.segments import regions as segment_regions
from iscm_atlas.data.yamlfile import YamlDocument

FOLDERS = {"references": "reference", "cases": "case", "findings": "finding", "vocabularies": "vocabulary"}
# The record of the atlas's own literature search: read where present (a data folder without it holds none).
SEARCH_FOLDERS = {"searches": "search", "screening": "screening", "certainty": "certainty"}  # certainty: GRADE judgements
REQUIRED_VOCABULARIES = tuple(checks.VOCAB_FIELDS)


@dataclass
class LoadResult:
    dataset: Dataset | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def data_files(data_dir: Path) -> list[Path]:
    """Every file the loader reads, in a stable order (also used to notice edits)."""
    return sorted(p for folder in (*FOLDERS, *SEARCH_FOLDERS) for p in (data_dir / folder).glob("*") if p.is_file())


def display_path(file: Path, data_dir: Path) -> str:
    """A data file as messages name it: relative to the folder holding data/ ("data/cases/x.yaml")."""
    try:
        return file.resolve().relative_to(data_dir.resolve().parent).as_posix()
    except ValueError:
        return file.as_posix()


def load_dataset(data_dir: Path, cache: ValidatedFiles | None = None) -> LoadResult:
    """`cache`: files already read and checked, by content hash (builds pass one; see filecache.py)."""
    collecting = gc.isenabled()
    gc.disable()  # parsed data holds no cycles; collecting while 9,000 files' data piles up cost a tenth of a load
    try:
        return _load(Path(data_dir), cache)
    finally:
        if collecting:
            gc.enable()


def _load(data_dir: Path, cache: ValidatedFiles | None) -> LoadResult:
    problems: list[Problem] = []
    files: list[tuple[str, str, str]] = []  # kind, display path, path to read
    for folder, kind in {**FOLDERS, **SEARCH_FOLDERS}.items():
        if folder in SEARCH_FOLDERS and not (data_dir / folder).is_dir():
            continue
        if not (data_dir / folder).is_dir():
            problems.append(Problem(display_path(data_dir / folder, data_dir), 0, 0, f"folder is missing; create data/{folder}/"))
            continue
        shown = display_path(data_dir / folder, data_dir)  # resolved once per folder, not per file
        with os.scandir(data_dir / folder) as listing:  # names and kinds in one system call, not a stat per file
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            name = entry.name
            if name.startswith(".") or entry.is_dir():
                continue
            if not name.endswith(".yaml"):
                problems.append(Problem(f"{shown}/{name}", 0, 0, f"data files end in .yaml; rename it to {Path(name).stem}.yaml"))
                continue
            files.append((kind, f"{shown}/{name}", entry.path))
    kinds = [*FOLDERS.values(), *SEARCH_FOLDERS.values()]
    docs: dict[str, dict[str, YamlDocument]] = {kind: {} for kind in kinds}
    present: dict[str, set[str]] = {kind: set() for kind in kinds}  # ids of files that failed their schema
    for checked in check_files(files, data_dir / "schemas", cache):
        problems.extend(checked.problems)
        if checked.failed_id is not None:
            present[checked.kind].add(checked.failed_id)
        doc = checked.doc
        if doc is None:
            continue
        if checked.keep:
            cache.put(checked.kind, checked.raw, doc.data)
        problems.extend(checks.file_name_matches_id(doc, checked.name))
        docs[checked.kind][doc.data["id"]] = doc
    for vid in REQUIRED_VOCABULARIES:
        if vid not in docs["vocabulary"] and (data_dir / "vocabularies").is_dir():
            problems.append(Problem(f"{display_path(data_dir, data_dir)}/vocabularies/{vid}.yaml", 0, 0,
                                    "vocabulary file is missing or invalid; the data needs it"))
    problems.extend(_cross_checks(docs, present))
    if cache:
        cache.save()
    if problems:
        return LoadResult(None, problems)
    return LoadResult(_build(docs), [])


def _cross_checks(docs: dict[str, dict[str, YamlDocument]], present: dict[str, set[str]]) -> list[Problem]:
    found: list[Problem] = []
    found.extend(checks.unique_ids(list(docs["reference"].values())))
    found.extend(checks.unique_ids(list(docs["case"].values())))
    found.extend(checks.unique_ids(list(docs["finding"].values())))
    vocab = checks.VocabularyIndex(docs["vocabulary"])
    known_refs = set(docs["reference"]) | present["reference"]
    for doc in docs["vocabulary"].values():
        found.extend(checks.vocabulary_ids_unique(doc))
    for doc in docs["case"].values():
        found.extend(checks.record_ids_are_prefixed(doc))
        found.extend(checks.references_exist(doc, known_refs))
        found.extend(checks.vocabulary_terms(doc, vocab))
        found.extend(checks.patient_fields_agree(doc))
        found.extend(checks.counts_within_series(doc))
        found.extend(checks.group_statistics_consistent(doc))
    known_findings = set(docs["finding"])
    for doc in docs["finding"].values():
        found.extend(checks.finding_consistent(doc, known_refs, vocab, known_findings))
    for doc in docs["reference"].values():
        found.extend(checks.appraisal_fits_design(doc))
    topic_ids = {t["id"] for t in docs["vocabulary"]["topics"].data["terms"]} if "topics" in docs["vocabulary"] else set()
    for doc in docs["certainty"].values():
        found.extend(checks.certainty_consistent(doc, known_findings | present["finding"], topic_ids))
    found.extend(checks.unique_subjects(list(docs["certainty"].values())))
    known_searches = set(docs["search"]) | present["search"]
    for doc in docs["screening"].values():
        found.extend(checks.screening_consistent(doc, known_searches, known_refs))
    return found


def _source(raw: dict) -> Source:
    return Source(raw["document"], raw.get("table"), raw.get("row"), raw.get("page"), raw.get("section"))


# Optional patient fields that reports since 2009 give, read as written (absent: not reported).
MODERN_FIELDS = ("first_sign_of_cancer", "brain_metastases", "leptomeningeal_disease", "multiple_intramedullary_lesions",
                 "radiotherapy_technique", "radiotherapy_dose_gy", "radiotherapy_fractions", "targeted_therapy",
                 "immunotherapy", "hormonal_therapy", "steroids", "neurological_grade", "survival_from")


def _patient(p: dict, ref: str) -> Patient:
    """A patient record; its region is the printed level, or derived from its exact segments."""
    segments = tuple(p["segments"]) if p.get("segments") else None
    level = p.get("level")
    regions = tuple(level) if level else (segment_regions(segments) if segments else None)
    return Patient(p["id"], ref, p["age"], regions, p["primary_site"], p["surgery"], p["radiotherapy"],
                   p["chemotherapy"], p["outcome"], p["survival_months"], p["alive"], _source(p["source"]),
                   tuple(p.get("notes", [])), sex=p.get("sex"), segments=segments, histology=p.get("histology"),
                   resection=p.get("resection"), months_from_primary_diagnosis=p.get("months_from_primary_diagnosis"),
                   level_derived=not level and bool(segments), doubtful=tuple(p.get("doubtful", ())),
                   **{name: p.get(name) for name in MODERN_FIELDS})


def _finding(d: dict) -> Finding:
    key = d.get("key_message", {})
    return Finding(d["id"], d["topic"], d["label"], tuple(d.get("values", ())), tuple(d["citations"]),
                   tuple(d.get("sites", [])), _source(d["source"]), tuple(d.get("notes", [])), d.get("statement"),
                   key.get("rank"), key.get("home", False), d.get("contrast"))


def _build(docs: dict[str, dict[str, YamlDocument]]) -> Dataset:
    references = {rid: Reference(rid, doc.data) for rid, doc in sorted(docs["reference"].items())}
    vocabularies = {
        vid: Vocabulary(vid, doc.data["label"], tuple(
            Term(t["id"], t["label"], t.get("abbreviation"), tuple(t.get("printed_as", []))) for t in doc.data["terms"]))
        for vid, doc in sorted(docs["vocabulary"].items())
    }
    series, patients, groups = [], [], []
    for doc in docs["case"].values():
        data = doc.data
        ref = data["reference"]
        for s in data.get("series", []):
            series.append(Series(s["id"], ref, s["surgically_treated"], dict(s["primary_sites"]), _source(s["source"]),
                                 dict(s.get("histology", {})), tuple(s.get("notes", []))))
        for p in data.get("patients", []):
            patients.append(_patient(p, ref))
        for g in data.get("group_statistics", []):
            groups.append(GroupStatistic(g["id"], ref, tuple(g["patients"]), dict(g["survival_months"]),
                                         _source(g["source"]), tuple(g.get("notes", []))))

    def order(record):
        """Publication year, then the order in which the source printed the record, then the id."""
        src = record.source
        return (references[record.reference].year or 0, src.document, src.table or 0, src.row or 0, record.id)

    topics = [t.id for t in vocabularies["topics"].terms]
    findings = sorted((_finding(d) for d in (doc.data for doc in docs["finding"].values())),
                      key=lambda f: (topics.index(f.topic), f.id))
    searches = tuple(sorted((Search(d["id"], d["date"], d["source"], d["query"], d["hits"], tuple(d.get("notes", [])),
                                    d.get("purpose", "identification"))
                             for d in (doc.data for doc in docs["search"].values())), key=lambda s: (s.date, s.id)))
    screened = tuple(Screened(d["id"], d["address"], d["title"], tuple(d.get("found_by", [])), d["decision"], d.get("reason"),
                              d.get("reference"), d.get("year"), tuple(d.get("notes", [])))
                     for d in (doc.data for _, doc in sorted(docs["screening"].items())))
    certainty = tuple(Certainty(d["id"], d.get("finding"), d.get("later_topic"), d["level"], dict(d["reasons"]),
                                str(d["judged_on"]), tuple(d.get("notes", ())))
                      for d in (doc.data for _, doc in sorted(docs["certainty"].items())))
    return Dataset(references, tuple(sorted(series, key=order)), tuple(sorted(patients, key=order)),
                   tuple(sorted(groups, key=order)), vocabularies, tuple(findings), searches, screened, certainty)
