#!/usr/bin/env python3
"""Scaffold a reference file and a case file for a newly published ISCM case or series.

Run with options (see --help), or with none to be asked question by question. Works offline: you
type the metadata from the paper. It refuses a work the atlas already holds (same DOI, same PMID, or
same first author + year + title), checks the new files with the validator, and prints next steps.

Example:
  .venv/bin/python scripts/new_case.py --family Example --given A. --year 2099 \\
      --title "An example case" --journal "Example J" --source "the article's first page" \\
      --series-count 1 --sites breast=1 \\
      --patient "age=51,sex=female,segments=T4,primary_site=breast,histology=ductal-carcinoma,surgery=true,resection=gross-total,radiotherapy=true,chemotherapy=false,outcome=improvement,survival_months=6,alive=true"
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iscm_atlas.data.checks import VOCAB_FIELDS  # noqa: E402
from iscm_atlas.data.dataset import load_dataset  # noqa: E402
from iscm_atlas.data.problems import format_report  # noqa: E402
from iscm_atlas.data.segments import problem as segment_problem  # noqa: E402

REQUIRED_FIELDS = ("age", "level", "primary_site", "surgery", "radiotherapy", "chemotherapy", "outcome",
                   "survival_months", "alive")  # null when not reported
OPTIONAL_FIELDS = ("sex", "segments", "histology", "resection", "months_from_primary_diagnosis")  # left out when not reported
PATIENT_FIELDS = ("age", "sex", "level", "segments", "primary_site", "histology", "surgery", "resection", "radiotherapy",
                  "chemotherapy", "outcome", "survival_months", "alive", "months_from_primary_diagnosis")  # file order
PROMPTS = {
    "age": "age in years", "sex": "sex: female or male",
    "level": "region(s) of the metastasis, e.g. cervical or cervical+thoracic (Enter if you give exact segments next)",
    "segments": "exact segment(s), e.g. C7 or T10-T12 or conus+cauda-equina",
    "primary_site": "primary site, e.g. breast", "histology": "histology of the tumour, e.g. non-small-cell-carcinoma",
    "surgery": "surgery of the metastasis? true/false", "resection": "extent of resection: gross-total, subtotal or biopsy",
    "radiotherapy": "radiotherapy? true/false", "chemotherapy": "chemotherapy? true/false",
    "outcome": "neurological outcome: improvement, no-improvement or worsening",
    "survival_months": "survival (or follow-up, if alive) in months", "alive": "alive at last follow-up? true/false",
    "months_from_primary_diagnosis": "months from diagnosis of the primary tumour to the metastasis",
}
VOCABULARY_OF = {"level": "spinal-levels", "primary_site": "primary-sites", "histology": "histologies",
                 "resection": "resections", "outcome": "outcomes"}


class ScaffoldError(Exception):
    """A problem with what the contributor asked for; printed as one line, exit 1."""


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def vocabulary_terms(data_dir: Path, vocab: str) -> list[dict]:
    path = data_dir / "vocabularies" / f"{vocab}.yaml"
    try:
        return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("terms", []))
    except (OSError, yaml.YAMLError, AttributeError):
        return []


def check_term(data_dir: Path, field: str, value: str) -> str:
    """A vocabulary term as typed, checked at once; an unknown one is refused with the id it probably
    means (a spelling the literature uses, or the closest id), which is itself always valid."""
    vocab = VOCABULARY_OF[field]
    terms = vocabulary_terms(data_dir, vocab)
    options = [t["id"] for t in terms]
    if not options or value in options:
        return value
    if field == "level" and segment_problem(value) is None:
        raise ScaffoldError(f"{value!r} is an exact segment, not a region: give it as segments (and leave level empty)")
    printed = {p.lower(): t["id"] for t in terms for p in t.get("printed_as", [])}
    if value.lower() in printed:
        raise ScaffoldError(f"unknown {VOCAB_FIELDS[vocab]} {value!r}; write {printed[value.lower()]!r} (the id for {value!r})")
    close = difflib.get_close_matches(value.lower(), options, n=2, cutoff=0.5)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
    raise ScaffoldError(f"unknown {VOCAB_FIELDS[vocab]} {value!r}; {hint}write one of: {', '.join(options)} "
                        f"(or add the term to data/vocabularies/{vocab}.yaml, one line; see CONTRIBUTING.md)")


def parse_value(field: str, raw: str, data_dir: Path = ROOT / "data"):
    """A patient value typed by the contributor, checked at once; empty or 'null' means not reported."""
    raw = raw.strip()
    if raw.lower() in ("", "null", "n.a.", "na"):
        return None
    if field == "age":
        if not raw.isdigit() or int(raw) > 120:
            raise ScaffoldError(f"age must be a whole number of years (e.g. 51), not {raw!r}")
        return int(raw)
    if field in ("survival_months", "months_from_primary_diagnosis"):
        try:
            number = float(raw)
        except ValueError:
            raise ScaffoldError(f"{field} must be a number of months (e.g. 6), not {raw!r}") from None
        if not 0 <= number <= 600:
            raise ScaffoldError(f"{field} must be between 0 and 600 months, not {raw!r}")
        return int(number) if number.is_integer() else number
    if field in ("surgery", "radiotherapy", "chemotherapy", "alive"):
        if raw.lower() not in ("true", "false", "yes", "no"):
            raise ScaffoldError(f"{field} must be true or false (or empty if not reported), not {raw!r}")
        return raw.lower() in ("true", "yes")
    if field == "sex":
        if raw.lower() not in ("female", "male"):
            raise ScaffoldError(f"sex must be female or male (or empty if not reported), not {raw!r}")
        return raw.lower()
    if field == "segments":
        parts = [part.strip() for part in raw.split("+") if part.strip()]
        for part in parts:
            problem = segment_problem(part)
            if problem:
                raise ScaffoldError(problem)
        return parts
    if field == "level":
        return [check_term(data_dir, field, part.strip()) for part in raw.split("+") if part.strip()]
    if field in VOCABULARY_OF:
        return check_term(data_dir, field, raw)
    return raw


def patient_record(values: dict) -> dict:
    """One patient in file order: required fields always (null: not reported), optional ones only if given;
    level is left out when exact segments are given (the region is derived from them)."""
    record = {}
    for field in PATIENT_FIELDS:
        value = values.get(field)
        if field == "level" and value is None and values.get("segments"):
            continue
        if field in OPTIONAL_FIELDS and value is None:
            continue
        record[field] = value
    if record.get("resection") is not None and record.get("surgery") is not True:
        raise ScaffoldError("resection is given but surgery is not true; an extent of resection means the metastasis "
                            "was operated on")
    return record


def parse_patient(text: str, data_dir: Path = ROOT / "data") -> dict:
    values = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise ScaffoldError(f"--patient takes field=value pairs separated by commas; {part!r} has no '='")
        key, raw = part.split("=", 1)
        key = key.strip()
        if key not in PATIENT_FIELDS:
            close = difflib.get_close_matches(key, PATIENT_FIELDS, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ScaffoldError(f"unknown patient field {key!r}; {hint}use: {', '.join(PATIENT_FIELDS)}")
        values[key] = parse_value(key, raw, data_dir)
    return patient_record(values)


def parse_sites(text: str, data_dir: Path = ROOT / "data") -> dict[str, int]:
    sites = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, count = part.partition("=")
        if not count.strip().isdigit():
            raise ScaffoldError(f"--sites takes site=count pairs, e.g. lung=2,breast=1; {part!r} has no count")
        sites[check_term(data_dir, "primary_site", name.strip())] = int(count)
    return sites


def check_doi(raw: str) -> str:
    if raw and not re.match(r"^10\.[0-9]{4,9}/\S+$", raw):
        raise ScaffoldError(f"{raw!r} is not a DOI (10.xxxx/...); write it without https://doi.org/, "
                            "or press Enter to leave it out if the paper has none")
    return raw


def check_pmid(raw: str) -> str:
    if raw and not raw.isdigit():
        raise ScaffoldError(f"{raw!r} is not a PubMed id (digits only); press Enter to leave it out")
    return raw


def check_year(raw: str) -> int:
    if not (raw.isdigit() and 1800 <= int(raw) <= 2100):
        raise ScaffoldError(f"the year is four digits, e.g. 2021, not {raw!r}")
    return int(raw)


def check_count(raw: str) -> int:
    if not raw.isdigit():
        raise ScaffoldError(f"give a whole number, e.g. 1, not {raw!r}")
    return int(raw)


def find_duplicate(data_dir: Path, ref: dict) -> str | None:
    """The existing reference file the new one repeats, and why; read without the validator."""
    for path in sorted((data_dir / "references").glob("*.yaml")):
        try:
            other = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue
        rel = path.relative_to(data_dir.parent).as_posix()
        if other.get("id") == ref["id"]:
            return f"{rel} already has the id {ref['id']!r}"
        if ref.get("DOI") and str(other.get("DOI", "")).lower() == ref["DOI"].lower():
            return f"{rel} has the same DOI ({ref['DOI']})"
        if ref.get("PMID") and str(other.get("PMID", "")) == ref["PMID"]:
            return f"{rel} has the same PMID ({ref['PMID']})"
        first = (other.get("author") or [{}])[0].get("family", "").lower()
        year = ((other.get("issued") or {}).get("date-parts") or [[None]])[0][0]
        if (first, year, str(other.get("title", "")).strip().lower()) == (
                ref["author"][0]["family"].lower(), ref["issued"]["date-parts"][0][0], ref.get("title", "").strip().lower()):
            return f"{rel} has the same first author, year and title"
    return None


def build_reference(args) -> dict:
    ref = {"id": args.id or slug(f"{args.family}-{args.year}"), "type": "article-journal",
           "author": [{"family": args.family, **({"given": args.given} if args.given else {})}],
           "issued": {"date-parts": [[args.year]]}}
    for key, value in (("title", args.title), ("container-title", args.journal), ("volume", args.volume),
                       ("issue", args.issue), ("page", args.pages), ("DOI", args.doi), ("PMID", args.pmid)):
        if value:
            ref[key] = value
    confidence = "verified" if args.title and args.journal and (args.pages or args.doi) else "partial"
    ref["iscm"] = {"et_al": True, "metadata": {"confidence": confidence, "source": args.source}} if args.et_al else \
        {"metadata": {"confidence": confidence, "source": args.source}}
    return ref


def build_case(ref_id: str, args) -> dict:
    case = {"id": ref_id, "reference": ref_id}
    if args.series_count:
        case["series"] = [{"id": f"{ref_id}-s1", "surgically_treated": args.series_count,
                           "primary_sites": parse_sites(args.sites or "", args.data), "source": {"document": ref_id}}]
    records = [parse_patient(text, args.data) for text in args.patient] + list(getattr(args, "patient_records", []))
    if records:
        case["patients"] = [{"id": f"{ref_id}-p{i}", **record, "source": {"document": ref_id}}
                            for i, record in enumerate(records, 1)]
    if len(case) == 2:
        raise ScaffoldError("give --series-count (surgically treated patients) or at least one --patient, or both")
    return case


def dump(kind: str, data: dict) -> str:
    header = f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=110)


def ask(prompt: str, default: str = "", check=lambda text: text):
    """Ask until the answer passes `check` (which returns the value or raises ScaffoldError): a wrong
    answer is explained and asked again at once, never found only after the last question."""
    while True:
        answer = input(f"{prompt}{f' [{default}]' if default else ''}: ").strip() or default
        try:
            return check(answer)
        except ScaffoldError as error:
            print(f"  {error}; try again.")


def interview(args) -> None:
    """Fill the options a contributor did not give, one question at a time, each answer checked as typed."""
    print("New ISCM Atlas case. Type what the paper says; press Enter to leave a field out (not reported).")
    data = args.data
    args.family = args.family or ask("First author's family name", check=lambda t: t or _required("a family name"))
    args.given = args.given or ask("First author's initials, e.g. A. B.")
    args.year = args.year or ask("Year of publication", check=check_year)
    args.title = args.title or ask("Title")
    args.journal = args.journal or ask("Journal (abbreviated, as PubMed gives it)")
    args.volume = args.volume or ask("Volume")
    args.issue = args.issue or ask("Issue")
    args.pages = args.pages or ask("Pages, e.g. 101-105")
    args.doi = args.doi or ask("DOI, e.g. 10.1000/xyz (Enter if none)", check=check_doi)
    args.pmid = args.pmid or ask("PubMed id (PMID) (Enter if none)", check=check_pmid)
    args.source = args.source or ask("Where you read these details (the article, its PubMed record, ...)",
                                     check=lambda t: t or _required("where you read the details"))
    args.et_al = args.et_al or ask("More authors than the first? yes/no", "yes").lower().startswith("y")
    if args.series_count is None:
        args.series_count = ask("How many patients had surgery of the metastasis (0 if none)", "0", check_count)
        if args.series_count:
            args.sites = ask("Their primary sites with counts, e.g. lung=1,breast=1",
                             check=lambda t: (parse_sites(t, data), t)[1])
    if not args.patient and not args.patient_records:
        for i in range(1, ask("How many patients does the paper describe one by one", "0", check_count) + 1):
            print(f"Patient {i}:")
            values = {}
            for field in PATIENT_FIELDS:
                if field == "resection" and values.get("surgery") is not True:
                    continue
                if field == "segments" and values.get("level"):
                    continue
                values[field] = ask("  " + PROMPTS[field], check=lambda t, f=field: parse_value(f, t, data))
            args.patient_records.append(patient_record(values))


def _required(what: str):
    raise ScaffoldError(f"give {what}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--id", help="file id (default: family-year, e.g. smith-2021)")
    parser.add_argument("--family", help="first author's family name")
    parser.add_argument("--given", help="first author's initials, e.g. 'A. B.'")
    parser.add_argument("--et-al", action="store_true", help="the paper has more authors than the first")
    parser.add_argument("--year", type=int, help="year of publication")
    parser.add_argument("--title")
    parser.add_argument("--journal", help="journal title (abbreviated)")
    parser.add_argument("--volume")
    parser.add_argument("--issue")
    parser.add_argument("--pages", help="page range, e.g. 101-105")
    parser.add_argument("--doi", help="DOI without https://doi.org/")
    parser.add_argument("--pmid", help="PubMed id")
    parser.add_argument("--source", help="where these details were read (required)")
    parser.add_argument("--series-count", type=int, help="number of patients whose metastasis was operated on")
    parser.add_argument("--sites", help="primary sites of that series with counts, e.g. lung=1,breast=1")
    parser.add_argument("--patient", action="append", default=[],
                        help="one patient as field=value pairs (repeat per patient); fields: " + ", ".join(PATIENT_FIELDS))
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data folder (default: the project's)")
    args = parser.parse_args(argv)
    args.patient_records = []
    try:
        if not args.family:
            if not sys.stdin.isatty():
                raise ScaffoldError("give the metadata as options (see --help), or run in a terminal to be asked")
            interview(args)
        missing = [name for name in ("family", "year", "source") if not getattr(args, name)]
        if missing:
            raise ScaffoldError(f"missing --{' --'.join(missing)}: a reference needs its first author, year and "
                                "where its details were read")
        check_doi(args.doi or "")
        check_pmid(args.pmid or "")
        ref = build_reference(args)
        duplicate = find_duplicate(args.data, ref)
        if duplicate:
            raise ScaffoldError(f"not created: {duplicate}; add the cases to that publication's case file instead")
        case = build_case(ref["id"], args)
    except (ScaffoldError, ValueError) as error:
        print(f"new_case: {error}", file=sys.stderr)
        return 1
    ref_path = args.data / "references" / f"{ref['id']}.yaml"
    case_path = args.data / "cases" / f"{ref['id']}.yaml"
    ref_path.write_text(dump("reference", ref), encoding="utf-8")
    case_path.write_text(dump("case", case), encoding="utf-8")
    result = load_dataset(args.data)
    if not result.ok:
        ref_path.unlink()
        case_path.unlink()
        print("new_case: not created, the new files would not validate:\n" + format_report(result.problems), file=sys.stderr)
        return 1
    rel = lambda p: p.relative_to(args.data.parent).as_posix()  # noqa: E731
    print(f"Created {rel(ref_path)} and {rel(case_path)}.\n\nNext steps:\n"
          f"  1. Open both files and check every value against the paper (null means: not reported).\n"
          f"  2. make validate        (checks every data file)\n"
          f"  3. make serve           (preview: open /references/{ref['id']}/ and the case tables)\n"
          f"  4. git checkout -b add-{ref['id']} && git add {rel(ref_path)} {rel(case_path)} && "
          f"git commit -m 'Add {ref['id']}'\n"
          f"  5. Push the branch and open a pull request; CI validates and builds a preview.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
