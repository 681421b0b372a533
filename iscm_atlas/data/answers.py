"""A contributor's answers about one published work, read into the two data files the atlas keeps of it.

The same reading serves every way in: the scaffold's options, its questions, and an answer file holding many
works. A term is accepted in any form the literature prints it (an id, a label, an abbreviation, a printed
form: "RCC", "renal", "Th12", "deterioration") and written as its id. Nothing is made up: a value the answers do
not give is null (a required patient field) or left out, and an approximate or range value ("60s", "3-4 months")
is never turned into a number: the field stays null and the printed words go into the record's notes, with a
notice that says so.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from iscm_atlas.data import segments as segment_rules
from iscm_atlas.data.checks import VOCAB_FIELDS
from iscm_atlas.data.terms import resolve, suggest

# Patient fields in the order a file holds them. REQUIRED ones are always written (null: not reported);
# the others only when the answers give them.
PATIENT_FIELDS = ("age", "sex", "level", "segments", "primary_site", "histology", "first_sign_of_cancer",
                  "brain_metastases", "leptomeningeal_disease", "multiple_intramedullary_lesions", "surgery",
                  "resection", "radiotherapy", "radiotherapy_technique", "radiotherapy_dose_gy",
                  "radiotherapy_fractions", "chemotherapy", "targeted_therapy", "immunotherapy", "hormonal_therapy",
                  "steroids", "outcome", "neurological_grade", "survival_months", "survival_from", "alive",
                  "months_from_primary_diagnosis")
REQUIRED = ("age", "level", "primary_site", "surgery", "radiotherapy", "chemotherapy", "outcome", "survival_months",
            "alive")
BOOLEAN = ("first_sign_of_cancer", "brain_metastases", "leptomeningeal_disease", "multiple_intramedullary_lesions",
           "surgery", "radiotherapy", "chemotherapy", "targeted_therapy", "immunotherapy", "hormonal_therapy",
           "steroids", "alive")
NUMBER = {"age": ("years", True, 120), "survival_months": ("months", False, 600),
          "months_from_primary_diagnosis": ("months", False, 600), "radiotherapy_dose_gy": ("Gy", False, 200),
          "radiotherapy_fractions": ("fractions", True, 100)}  # unit, whole number only, maximum
VOCABULARY_OF = {"level": "spinal-levels", "primary_site": "primary-sites", "histology": "histologies",
                 "resection": "resections", "outcome": "outcomes", "radiotherapy_technique": "radiotherapy-techniques",
                 "survival_from": "time-origins"}
UNIT_WORDS = {"years": {"year", "years", "yr", "yrs", "y", "yo"}, "months": {"month", "months", "mo", "mos"},
              "Gy": {"gy"}, "fractions": {"fraction", "fractions", "fx"}}  # a unit printed after an exact number
NOT_GIVEN = {"", "null", "n.a.", "na", "n/a", "not reported", "nr", "unknown", "-", "?"}
YES, NO = {"true", "yes", "y"}, {"false", "no", "n"}

WORK_KEYS = ("id", "authors", "et_al", "year", "title", "journal", "volume", "issue", "pages", "doi", "pmid",
             "read_from", "read_on", "text", "confidence", "design", "appraisal", "extraction", "series", "patients",
             "findings", "notes")
DESIGNS = ("case-report", "case-series", "cohort", "pooled-analysis", "narrative-review")
ANSWERS = ("yes", "no", "unclear", "not-applicable")
FINDING_KEYS = ("label", "statement", "values", "topic", "sites", "source", "notes", "denominator_note")
REQUIRED_WORK_KEYS = ("authors", "year", "read_from", "read_on", "text", "confidence")
SERIES_KEYS = ("surgically_treated", "primary_sites", "histology", "source", "notes")
SOURCE_KEYS = ("table", "row", "page", "section")
CONFIDENCE = ("verified", "partial")
TEXTS = ("full-text", "abstract")


class AnswerError(Exception):
    """One answer that cannot be written, with what to write instead; `path` locates it in an answer file."""

    def __init__(self, message: str, path: tuple = ()):
        super().__init__(message)
        self.path = path


@dataclass
class Work:
    reference: dict
    case: dict | None
    notices: list[str] = field(default_factory=list)  # what was done with an answer that is not a plain value
    findings: list[dict] = field(default_factory=list)  # data/findings/ files of the work

    @property
    def id(self) -> str:
        return self.reference["id"]


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _text(raw) -> str:
    return "" if raw is None else str(raw).strip()


def _not_given(raw) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip().lower() in NOT_GIVEN)


def term(vocabularies: Mapping[str, list], vocab: str, raw, what: str | None = None) -> str:
    """The id of the term `raw` names in any printed form; refused with the terms it probably means."""
    terms = vocabularies.get(vocab, [])
    value = _text(raw)
    found = resolve(value, terms)
    if found:
        return found
    close = suggest(value, terms)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    raise AnswerError(f"unknown {what or VOCAB_FIELDS[vocab]} {value!r}; {hint}write one of: "
                      f"{', '.join(t['id'] for t in terms)} (or add the term to data/vocabularies/{vocab}.yaml, one "
                      "line; see CONTRIBUTING.md)")


def _number(field_name: str, raw, notes: list[str], notices: list[str]):
    unit, whole, maximum = NUMBER[field_name]
    if isinstance(raw, bool):
        raise AnswerError(f"{field_name} is a number of {unit}, not {str(raw).lower()}")
    if isinstance(raw, (int, float)):
        number = raw
    else:
        text = _text(raw)
        exact = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s*([a-z]+)\.?(?:\s+old)?)?", text, flags=re.I)
        if exact and (exact.group(2) is None or exact.group(2).lower() in UNIT_WORDS[unit]):
            number = float(exact.group(1))
        elif re.search(r"\d", text):  # "60s", "about 6", "3-4", ">60", "2 weeks": not one number in this unit
            notes.append(f"{field_name} printed as '{text}'")
            notices.append(f"{field_name} '{text}' is not one exact number of {unit}: written as null, the printed "
                           "words kept in the record's notes (no value is made up)")
            return None
        else:
            raise AnswerError(f"{field_name} is a number of {unit} (e.g. {'51' if field_name == 'age' else '6'}), "
                              f"not {text!r}; leave it empty if the source does not report it")
    if whole and not float(number).is_integer():
        raise AnswerError(f"{field_name} is a whole number of {unit}, not {number:g}; if the source prints a "
                          "fraction, leave it empty and copy the words into the notes")
    if not 0 <= number <= maximum:
        raise AnswerError(f"{field_name} must be between 0 and {maximum} {unit}, not {number:g}; check the source")
    return int(number) if float(number).is_integer() else number


def _boolean(field_name: str, raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw).lower()
    if text in YES or text in NO:
        return text in YES
    raise AnswerError(f"{field_name}: answer true or false (yes or no), or leave it empty if the source does not "
                      f"report it; not {_text(raw)!r}")


def _listed(raw) -> list[str]:
    if isinstance(raw, (list, tuple)):
        return [_text(x) for x in raw if _text(x)]
    return [part.strip() for part in re.split(r"[+,;]| and ", _text(raw)) if part.strip()]


def patient_value(field_name: str, raw, vocabularies: Mapping[str, list], notes: list[str], notices: list[str]):
    """One patient answer as the file holds it; None: not reported."""
    if _not_given(raw):
        return None
    if field_name in NUMBER:
        return _number(field_name, raw, notes, notices)
    if field_name in BOOLEAN:
        return _boolean(field_name, raw)
    if field_name == "sex":
        text = _text(raw).lower()
        if text not in ("female", "male"):
            raise AnswerError(f"sex must be female or male (or empty if not reported), not {_text(raw)!r}")
        return text
    if field_name == "segments":
        found = []
        for part in _listed(raw):
            canonical = segment_rules.normalize(part)
            if canonical is None:
                raise AnswerError(segment_rules.problem(part) or f"{part!r} is not a spinal segment")
            found.append(canonical)
        return found or None
    if field_name == "level":
        found = []
        for part in _listed(raw):
            if segment_rules.normalize(part) not in (None, "conus", "cauda-equina"):
                raise AnswerError(f"{part!r} is an exact segment, not a region: give it as segments (and leave level "
                                  "empty)")
            found.append(term(vocabularies, "spinal-levels", part))
        return found or None
    if field_name == "neurological_grade":
        return _grade(raw, vocabularies)
    if field_name in VOCABULARY_OF:
        return term(vocabularies, VOCABULARY_OF[field_name], raw)
    raise AnswerError(f"unknown patient field {field_name!r}")


def _grade(raw, vocabularies) -> dict:
    """{scale, before, after}: from a mapping, or from "mccormick III II" / "Frankel C>D" as typed."""
    if isinstance(raw, Mapping):
        unknown = set(raw) - {"scale", "before", "after"}
        if unknown or "scale" not in raw:
            raise AnswerError("neurological_grade is {scale: ..., before: ..., after: ...}, the grades as printed")
        parts = [raw["scale"], raw.get("before"), raw.get("after")]
    else:
        parts = [p for p in re.split(r"\s*(?:>|->|→|:|\s)\s*", _text(raw)) if p]
        if len(parts) < 2:
            raise AnswerError("neurological_grade is the scale and the grades as printed, e.g. 'mccormick III II' "
                              "(before, then after)")
    scale = term(vocabularies, "neurological-scales", parts[0])
    grade = {"scale": scale}
    for key, value in zip(("before", "after"), parts[1:3]):
        if not _not_given(value):
            grade[key] = _text(value)
    if len(grade) == 1:
        raise AnswerError("neurological_grade needs a grade before or after treatment, as printed")
    return grade


def patient_record(values: Mapping[str, Any], vocabularies: Mapping[str, list], notices: list[str]) -> dict:
    """One patient in file order: required fields always (null: not reported), others only where given; level is
    left out when exact segments are given (the region is derived from them)."""
    notes = [str(n) for n in values.get("notes") or []]
    read = {}
    for name, raw in values.items():
        if name in ("notes", "source"):
            continue
        if name not in PATIENT_FIELDS:
            close = suggest(name, [{"id": f} for f in PATIENT_FIELDS])
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise AnswerError(f"unknown patient field {name!r}; {hint}the fields are: {', '.join(PATIENT_FIELDS)}",
                              (name,))
        try:
            read[name] = patient_value(name, raw, vocabularies, notes, notices)
        except AnswerError as error:
            raise AnswerError(str(error), (name,)) from None
    record = {}
    for name in PATIENT_FIELDS:
        value = read.get(name)
        if name == "level" and value is None and read.get("segments"):
            continue
        if value is None and name not in REQUIRED:
            continue
        record[name] = value
    if record.get("resection") is not None and record.get("surgery") is not True:
        raise AnswerError("an extent of resection is given but surgery is not true: an extent of resection means the "
                          "metastasis was operated on", ("resection",))
    for name in ("radiotherapy_technique", "radiotherapy_dose_gy", "radiotherapy_fractions"):
        if record.get(name) is not None and record.get("radiotherapy") is not True:
            raise AnswerError(f"{name} is given but radiotherapy is not true", (name,))
    if record.get("survival_from") not in (None, "not-stated") and record.get("survival_months") is None:
        raise AnswerError("survival_from is given but no survival in months", ("survival_from",))
    if notes:
        record["notes"] = notes
    return record


def source_of(raw, document: str) -> dict:
    """Where in the work a record was read: {document, table, row, page, section}."""
    source = {"document": document}
    if raw is None:
        return source
    if not isinstance(raw, Mapping) or set(raw) - set(SOURCE_KEYS):
        raise AnswerError(f"source is a mapping of {', '.join(SOURCE_KEYS)} (where in the work the record was read)",
                          ("source",))
    for key in SOURCE_KEYS:
        if raw.get(key) is not None:
            source[key] = int(raw[key]) if key in ("table", "row") else str(raw[key])
    return source


def _counts(raw, vocabularies, vocab: str, what: str) -> dict[str, int]:
    if raw in (None, {}):
        return {}
    if isinstance(raw, str):  # "lung=2,breast=1" from the command line
        pairs = []
        for part in filter(None, (p.strip() for p in raw.split(","))):
            name, _, count = part.partition("=")
            pairs.append((name.strip(), count.strip()))
    elif isinstance(raw, Mapping):
        pairs = [(str(k), v) for k, v in raw.items()]
    else:
        raise AnswerError(f"{what} is a mapping of name: count, e.g. {{lung: 2, breast: 1}}")
    counts: dict[str, int] = {}
    for name, count in pairs:
        if not str(count).isdigit() or int(count) < 1:
            raise AnswerError(f"{what}: give each a count of cases, e.g. lung=2; {name!r} has {count!r}")
        counts[term(vocabularies, vocab, name)] = int(count)
    return counts


def series_record(values: Mapping, ref_id: str, number: int, vocabularies) -> dict:
    unknown = set(values) - set(SERIES_KEYS)
    if unknown:
        raise AnswerError(f"unknown series field {sorted(unknown)[0]!r}; the fields are: {', '.join(SERIES_KEYS)}")
    treated = values.get("surgically_treated")
    if isinstance(treated, bool) or not str(treated).isdigit() or int(treated) < 1:
        raise AnswerError("surgically_treated is the number of patients whose metastasis was operated on (1 or more)",
                          ("surgically_treated",))
    record = {"id": f"{ref_id}-s{number}", "surgically_treated": int(treated),
              "primary_sites": _counts(values.get("primary_sites"), vocabularies, "primary-sites", "primary_sites")}
    histology = _counts(values.get("histology"), vocabularies, "histologies", "histology")
    if histology:
        record["histology"] = histology
    record["source"] = source_of(values.get("source"), ref_id)
    if values.get("notes"):
        record["notes"] = [str(n) for n in values["notes"]]
    for key in ("primary_sites", "histology"):
        if sum(record.get(key, {}).values()) > record["surgically_treated"]:
            raise AnswerError(f"the {key} counts add up to more than surgically_treated", (key,))
    return record


def author(raw) -> dict:
    """{family, given} from a mapping, or from "Family, G." as typed."""
    if isinstance(raw, Mapping):
        if not _text(raw.get("family")) or set(raw) - {"family", "given"}:
            raise AnswerError("an author is {family: ..., given: ...} (given: initials, e.g. 'A. B.')")
        return {"family": _text(raw["family"]), **({"given": _text(raw["given"])} if _text(raw.get("given")) else {})}
    family, _, given = _text(raw).partition(",")
    if not family.strip():
        raise AnswerError(f"write an author as 'Family, G.' (family name, comma, initials), not {_text(raw)!r}")
    return {"family": family.strip(), **({"given": given.strip()} if given.strip() else {})}


def doi_problem(text: str) -> str | None:
    """Why `text` is not a DOI, or None (every way in checks a DOI here)."""
    if re.fullmatch(r"10\.[0-9]{4,9}/\S+", text):
        return None
    return f"{text!r} is not a DOI (10.xxxx/...); write it without https://doi.org/, or leave it out if the work has none"


def pmid_problem(text: str) -> str | None:
    return None if text.isdigit() else f"{text!r} is not a PubMed id (digits only); leave it out if the work has none"


def read_on_date(raw) -> str:
    text = raw.isoformat() if isinstance(raw, datetime.date) else _text(raw)
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise AnswerError(f"read_on is the date you read the source, as YYYY-MM-DD, not {text!r}") from None
    if day > datetime.date.today():
        raise AnswerError(f"read_on {text} is in the future; write the date you read the source")
    return day.isoformat()


def reference_record(values: Mapping) -> dict:
    """The reference file: CSL-JSON fields and the atlas's own (`iscm`), only those the answers give."""
    missing = [k for k in REQUIRED_WORK_KEYS if _not_given(values.get(k)) or values.get(k) == []]
    if missing:
        raise AnswerError(f"missing {', '.join(missing)}: a work needs its authors (in order), its year, and what was "
                          "read: the address (read_from), the date (read_on), full-text or abstract (text) and the "
                          "confidence (verified or partial)", (missing[0],))
    authors_raw = values["authors"] if isinstance(values["authors"], list) else [values["authors"]]
    authors = []
    for i, raw in enumerate(authors_raw):
        try:
            authors.append(author(raw))
        except AnswerError as error:
            raise AnswerError(str(error), ("authors", i)) from None
    year = _text(values["year"])
    if not (year.isdigit() and 1800 <= int(year) <= datetime.date.today().year):
        raise AnswerError(f"the year is four digits, e.g. 2021, not {year!r}", ("year",))
    ref_id = _text(values.get("id")) or slug(f"{authors[0]['family']}-{year}")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ref_id):
        raise AnswerError(f"id {ref_id!r}: lowercase letters, digits and single hyphens only, e.g. smith-2021", ("id",))
    ref: dict[str, Any] = {"id": ref_id, "type": "article-journal", "author": authors,
                           "issued": {"date-parts": [[int(year)]]}}
    for key, csl in (("title", "title"), ("journal", "container-title"), ("volume", "volume"), ("issue", "issue"),
                     ("pages", "page"), ("doi", "DOI"), ("pmid", "PMID")):
        if not _not_given(values.get(key)):
            ref[csl] = _text(values[key])
    if "DOI" in ref:
        ref["DOI"] = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", ref["DOI"], flags=re.I)
        if doi_problem(ref["DOI"]):
            raise AnswerError(doi_problem(ref["DOI"]), ("doi",))
    if "PMID" in ref and pmid_problem(ref["PMID"]):
        raise AnswerError(pmid_problem(ref["PMID"]), ("pmid",))
    confidence, text = _text(values["confidence"]), _text(values["text"])
    if confidence not in CONFIDENCE:
        raise AnswerError(f"confidence is verified (title, journal and year, with volume and pages or a DOI, read in "
                          f"the source) or partial (fewer), not {confidence!r}", ("confidence",))
    if confidence == "verified" and not ({"title", "container-title"} <= set(ref) and
                                         ({"volume", "page"} <= set(ref) or "DOI" in ref)):
        raise AnswerError("confidence verified means title, journal, year and volume and pages (or a DOI) were read; "
                          "give them, or write partial", ("confidence",))
    if text not in TEXTS:
        raise AnswerError(f"text is full-text or abstract (what of the work you read), not {text!r}", ("text",))
    address = _text(values["read_from"])
    if not re.match(r"https?://\S+$", address):
        raise AnswerError(f"read_from is the public address (https://...) the work was read at, not {address!r}",
                          ("read_from",))
    iscm: dict[str, Any] = {}
    if not _not_given(values.get("et_al")) and _boolean("et_al", values["et_al"]):
        iscm["et_al"] = True
    iscm["metadata"] = {"confidence": confidence, "source": address, "read_on": read_on_date(values["read_on"]),
                        "text": text}
    if not _not_given(values.get("design")):
        if values["design"] not in DESIGNS:
            raise AnswerError(f"design is one of {', '.join(DESIGNS)}, not {values['design']!r}", ("design",))
        iscm["design"] = values["design"]
    if values.get("appraisal") and values["appraisal"].get("checklist") not in (None, "none"):
        iscm["appraisal"] = _appraisal(values["appraisal"])
    if values.get("extraction"):
        iscm["extraction"] = {k: int(values["extraction"][k]) for k in ("readings", "values", "agreed")}
    if values.get("notes"):
        iscm["notes"] = [str(n) for n in values["notes"]]
    ref["iscm"] = iscm
    return ref


def _appraisal(raw: Mapping) -> dict:
    """{checklist, items: [{answer, reason}]}; the validator checks the number of items against the checklist."""
    items = []
    for i, item in enumerate(raw.get("items") or []):
        answer = _text(item.get("answer")).lower().replace(" ", "-")
        answer = {"true": "yes", "false": "no", "n/a": "not-applicable", "na": "not-applicable"}.get(answer, answer)
        if answer not in ANSWERS or not _text(item.get("reason")):
            raise AnswerError(f"each appraisal item is {{answer: {' | '.join(ANSWERS)}, reason: ...}}",
                              ("appraisal", "items", i))
        items.append({"answer": answer, "reason": _text(item["reason"])})
    return {"checklist": _text(raw["checklist"]), "items": items}


def finding_record(values: Mapping, ref_id: str, vocabularies) -> dict:
    """A finding of the work, in the atlas's words, cited to the work itself (it is what was read)."""
    unknown = set(values) - set(FINDING_KEYS)
    if unknown:
        raise AnswerError(f"unknown finding field {sorted(unknown)[0]!r}; the fields are: {', '.join(FINDING_KEYS)}")
    label = _text(values.get("label"))
    if not label or not values.get("values"):
        raise AnswerError("a finding needs a label and its values (value, range, or numerator and denominator)")
    record = {"id": f"{ref_id}-{slug(label)}"[:80].rstrip("-"), "topic": term(vocabularies, "topics", values["topic"]),
              "label": label}
    if _text(values.get("statement")):
        record["statement"] = _text(values["statement"])
    record["values"] = [_finding_value(v) for v in values["values"]]
    record["citations"] = [ref_id]
    sites = [term(vocabularies, "primary-sites", s) for s in values.get("sites") or []]
    if sites:
        record["sites"] = sites
    record["source"] = source_of(values.get("source"), ref_id)
    notes = [str(n) for n in values.get("notes") or []]
    if _text(values.get("denominator_note")):
        notes.insert(0, f"Of whom, as the work states it: {_text(values['denominator_note'])}")
    if notes:
        record["notes"] = notes
    return record


UNITS = (("percent", "percent"), ("%", "percent"), ("month", "months"), ("year", "years"), ("patient", "patients"),
         ("lesion", "lesions"), ("case", "cases"), ("gy", "Gy"), ("reference", "references"), ("time", "times"))


def _unit(printed: str) -> str:
    """The finding unit a printed unit names ("patients with deficits" -> patients); count where none fits."""
    text = printed.strip().lower()
    if text in ("percent", "months", "year", "count", "references", "cases", "times", "date", "share", "years",
                "patients", "lesions", "gy"):
        return "Gy" if text == "gy" else text
    return next((unit for word, unit in UNITS if word in text), "count")


UNIT_WORDS = {"percent": ("percent", "%"), "months": ("months", "month"), "years": ("years", "year"), "Gy": ("gy",),
              "patients": ("patients",), "lesions": ("lesions",), "cases": ("cases",)}


def unit_label(printed: str, unit: str) -> str | None:
    """What a number is of, from the unit as a reader printed it, without the unit word the page already shows:
    "years (median age)" -> "median age", "percent OS at 12 months" -> "OS at 12 months"; None if nothing is left."""
    text = " ".join(printed.split())
    for word in UNIT_WORDS.get(unit, ()):
        if text.lower().startswith(word) and (len(text) == len(word) or not text[len(word)].isalnum()):
            text = text[len(word):].strip()
            break
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    return text or None


def _finding_value(raw: Mapping) -> dict:
    value = {}
    for key in ("label", "value", "low", "high", "numerator", "denominator", "words", "date"):
        if raw.get(key) is not None and _text(raw.get(key)) != "":
            text = _text(raw[key])
            value[key] = text if key in ("label", "words", "date") else (
                int(float(text)) if key in ("numerator", "denominator") or float(text).is_integer() else float(text))
    printed = _text(raw.get("unit")) or "count"
    value["unit"] = _unit(printed)
    if printed.lower() != value["unit"].lower() and "label" not in value and unit_label(printed, value["unit"]):
        value["label"] = unit_label(printed, value["unit"])[:100]  # what the number is of, as the reader wrote it
    return value


def read_work(values: Mapping, vocabularies: Mapping[str, list]) -> Work:
    """A whole work from its answers; AnswerError (with the path of the answer) on the first that cannot be
    written."""
    unknown = [k for k in values if k not in WORK_KEYS]
    if unknown:
        close = suggest(unknown[0], [{"id": k} for k in WORK_KEYS])
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise AnswerError(f"unknown answer {unknown[0]!r}; {hint}the answers are: {', '.join(WORK_KEYS)}", (unknown[0],))
    ref = reference_record(values)
    notices: list[str] = []
    case: dict[str, Any] = {"id": ref["id"], "reference": ref["id"]}
    for key, build in (("series", lambda v, i: series_record(v, ref["id"], i, vocabularies)),
                       ("patients", lambda v, i: _patient(v, ref["id"], i, vocabularies, notices))):
        records = values.get(key) or []
        if not isinstance(records, list):
            raise AnswerError(f"{key} is a list (one item per {key[:-1] if key == 'series' else 'patient'})", (key,))
        found = []
        for i, raw in enumerate(records):
            if not isinstance(raw, Mapping):
                raise AnswerError(f"each of {key} is a mapping of field: value", (key, i))
            try:
                found.append(build(raw, i + 1))
            except AnswerError as error:
                raise AnswerError(str(error), (key, i, *error.path)) from None
        if found:
            case[key] = found
    findings = []
    for i, raw in enumerate(values.get("findings") or []):
        try:
            findings.append(finding_record(raw, ref["id"], vocabularies))
        except AnswerError as error:
            raise AnswerError(str(error), ("findings", i, *error.path)) from None
    return Work(ref, case if len(case) > 2 else None, notices, findings)


def _patient(values: Mapping, ref_id: str, number: int, vocabularies, notices: list[str]) -> dict:
    record = patient_record({k: v for k, v in values.items()}, vocabularies, notices)
    notes = record.pop("notes", None)
    record = {"id": f"{ref_id}-p{number}", **record, "source": source_of(values.get("source"), ref_id)}
    if notes:
        record["notes"] = notes
    return record
