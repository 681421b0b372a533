#!/usr/bin/env python3
"""Scaffold a reference file and a case file for a newly published ISCM case or series.

Run with options (see --help), or with none to be asked question by question. Works offline: you
type the metadata from the paper. It refuses a work the atlas already holds (same DOI, same PMID, or
same first author + year + title), checks the new files with the validator, and prints next steps.

Example:
  .venv/bin/python scripts/new_case.py --family Example --given A. --year 2099 \\
      --title "An example case" --journal "Example J" --source "the article's first page" \\
      --series-count 1 --sites breast=1 \\
      --patient "age=51,level=thoracic,primary_site=breast,surgery=true,radiotherapy=true,chemotherapy=false,outcome=improvement,survival_months=6,alive=true"
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iscm_atlas.dataset import load_dataset  # noqa: E402
from iscm_atlas.problems import format_report  # noqa: E402

PATIENT_FIELDS = ("age", "level", "primary_site", "surgery", "radiotherapy", "chemotherapy", "outcome",
                  "survival_months", "alive")
PROMPTS = {
    "age": "age in years", "level": "level(s), e.g. cervical or cervical+thoracic", "primary_site": "primary site, e.g. breast",
    "surgery": "surgery of the metastasis? true/false", "radiotherapy": "radiotherapy? true/false",
    "chemotherapy": "chemotherapy? true/false", "outcome": "neurological outcome: improvement, no-improvement or worsening",
    "survival_months": "survival (or follow-up if alive) in months", "alive": "alive at last follow-up? true/false",
}


class ScaffoldError(Exception):
    """A problem with what the contributor asked for; printed as one line, exit 1."""


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def parse_value(field: str, raw: str):
    """A patient value typed by the contributor; empty or 'null' means not reported."""
    raw = raw.strip()
    if raw in ("", "null", "n.a.", "na"):
        return None
    if field == "age":
        if not raw.isdigit():
            raise ScaffoldError(f"age must be a whole number of years (e.g. 51), not {raw!r}")
        return int(raw)
    if field == "survival_months":
        try:
            number = float(raw)
        except ValueError:
            raise ScaffoldError(f"survival_months must be a number of months (e.g. 6), not {raw!r}") from None
        return int(number) if number.is_integer() else number
    if field in ("surgery", "radiotherapy", "chemotherapy", "alive"):
        if raw.lower() not in ("true", "false", "yes", "no"):
            raise ScaffoldError(f"{field} must be true or false (or empty if not reported), not {raw!r}")
        return raw.lower() in ("true", "yes")
    if field == "level":
        return [part.strip() for part in raw.split("+") if part.strip()]
    return raw


def parse_patient(text: str) -> dict:
    values = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise ScaffoldError(f"--patient takes field=value pairs separated by commas; {part!r} has no '='")
        key, raw = part.split("=", 1)
        key = key.strip()
        if key not in PATIENT_FIELDS:
            raise ScaffoldError(f"unknown patient field {key!r}; use: {', '.join(PATIENT_FIELDS)}")
        values[key] = parse_value(key, raw)
    return {field: values.get(field) for field in PATIENT_FIELDS}


def parse_sites(text: str) -> dict[str, int]:
    sites = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, count = part.partition("=")
        if not count.strip().isdigit():
            raise ScaffoldError(f"--sites takes site=count pairs, e.g. lung=2,breast=1; {part!r} has no count")
        sites[name.strip()] = int(count)
    return sites


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
                           "primary_sites": parse_sites(args.sites or ""), "source": {"document": ref_id}}]
    if args.patient:
        case["patients"] = [{"id": f"{ref_id}-p{i}", **parse_patient(text), "source": {"document": ref_id}}
                            for i, text in enumerate(args.patient, 1)]
    if len(case) == 2:
        raise ScaffoldError("give --series-count (surgically treated patients) or at least one --patient, or both")
    return case


def dump(kind: str, data: dict) -> str:
    header = f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=110)


def ask(prompt: str, default: str = "") -> str:
    answer = input(f"{prompt}{f' [{default}]' if default else ''}: ").strip()
    return answer or default


def interview(args) -> None:
    """Fill the options a contributor did not give, one question at a time."""
    print("New ISCM Atlas case. Type what the paper says; press Enter to leave a field out (not reported).")
    args.family = args.family or ask("First author's family name")
    args.given = args.given or ask("First author's initials, e.g. A. B.")
    args.year = args.year or int(ask("Year of publication"))
    args.title = args.title or ask("Title")
    args.journal = args.journal or ask("Journal (abbreviated, as PubMed gives it)")
    args.volume = args.volume or ask("Volume")
    args.issue = args.issue or ask("Issue")
    args.pages = args.pages or ask("Pages, e.g. 101-105")
    args.doi = args.doi or ask("DOI, e.g. 10.1000/xyz")
    args.pmid = args.pmid or ask("PubMed id (PMID)")
    args.source = args.source or ask("Where you read these details (the article, its PubMed record, ...)")
    args.et_al = args.et_al or ask("More authors than the first? yes/no", "yes").lower().startswith("y")
    if args.series_count is None:
        args.series_count = int(ask("How many patients had surgery of the metastasis (0 if none)", "0"))
        if args.series_count:
            args.sites = ask("Their primary sites with counts, e.g. lung=1,breast=1")
    if not args.patient:
        for i in range(1, int(ask("How many patients does the paper describe one by one", "0")) + 1):
            print(f"Patient {i}:")
            args.patient.append(",".join(f"{f}={ask('  ' + PROMPTS[f])}" for f in PATIENT_FIELDS))


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
    try:
        if not args.family:
            if not sys.stdin.isatty():
                raise ScaffoldError("give the metadata as options (see --help), or run in a terminal to be asked")
            interview(args)
        missing = [name for name in ("family", "year", "source") if not getattr(args, name)]
        if missing:
            raise ScaffoldError(f"missing --{' --'.join(missing)}: a reference needs its first author, year and "
                                "where its details were read")
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
