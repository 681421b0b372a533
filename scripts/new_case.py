#!/usr/bin/env python3
"""Scaffold the reference file and the case file of a published ISCM case or series (or of many at once).

Three ways in, the same files out:
  options        one work: --author (each author, in order), --year, what was read (--read-from, --read-on,
                 --text, --confidence), --series-count/--sites and --patient field=value pairs
  --answers F    many works from one YAML answer file (CONTRIBUTING.md, "Adding many works")
  no options     questions, one at a time, each answer checked as typed (answers may also be piped in)
--check looks a work up (by --doi, --pmid, or --author and --year) and writes nothing.

A term may be written as the literature prints it (RCC, renal, NSCLC, Th12, deterioration): its id is written.
Nothing is made up: an approximate or range value ("60s", "3-4 months") leaves the field null and goes into the
record's notes, and the scaffold says so. It refuses a work the atlas already holds, writes only files that
pass every check `make test` runs on data (`make validate`), and prints the next steps.

Example:
  .venv/bin/python scripts/new_case.py --author "Example, A." --author "Sample, B." --year 2099 \\
      --title "An example case" --journal "Example J" --doi 10.5555/example.2099 \\
      --read-from https://doi.org/10.5555/example.2099 --read-on 2099-01-31 --text full-text --confidence verified \\
      --series-count 1 --sites breast=1 --patient "age=51,sex=female,segments=T4,primary_site=breast,surgery=yes"
"""
from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from iscm_atlas.data.answers import (  # noqa: E402
    PATIENT_FIELDS,
    AnswerError,
    Work,
    doi_problem,
    patient_record,
    patient_value,
    pmid_problem,
    read_work,
    term,
)
from iscm_atlas.data.dataset import display_path, load_dataset  # noqa: E402
from iscm_atlas.data.emit import dump, emitted_problems  # noqa: E402
from iscm_atlas.data.lint import lint_data  # noqa: E402
from iscm_atlas.data.problems import format_report  # noqa: E402

PROMPTS = {
    "age": "age in years", "sex": "sex: female or male",
    "level": "region(s) of the metastasis, e.g. cervical or cervical+thoracic (Enter if you give exact segments next)",
    "segments": "exact segment(s), e.g. C7, Th12 or T10-T12 or conus+cauda-equina",
    "primary_site": "primary site, e.g. breast, renal, NSCLC", "histology": "histology, e.g. RCC or non-small-cell-carcinoma",
    "surgery": "surgery of the metastasis? yes/no", "resection": "extent of resection: gross-total, subtotal or biopsy",
    "radiotherapy": "radiotherapy? yes/no", "chemotherapy": "chemotherapy? yes/no",
    "outcome": "neurological outcome: improvement, no-improvement or worsening (or as printed, e.g. deterioration)",
    "survival_months": "survival (or follow-up, if alive) in months, as printed",
    "alive": "alive at last follow-up? yes/no",
}
ASKED = tuple(PROMPTS)  # one question each; the other fields in one line of field=value pairs
MORE = ("more fields the report gives, as field=value pairs separated by commas (Enter if none), e.g. "
        "survival_from=first-symptom,steroids=yes,radiotherapy_technique=SRS; fields: "
        + ", ".join(f for f in PATIENT_FIELDS if f not in ASKED))


class ScaffoldError(Exception):
    """A problem with what the contributor asked for; printed as one line, exit 1."""


def vocabularies(data_dir: Path) -> dict[str, list]:
    """Every vocabulary's terms, read without the validator (the scaffold must run on any checkout)."""
    found = {}
    for path in sorted((data_dir / "vocabularies").glob("*.yaml")):
        try:
            found[path.stem] = list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("terms", []))
        except (OSError, yaml.YAMLError, AttributeError):
            continue
    return found


def parse_pairs(text: str) -> dict[str, str]:
    """"age=51,sex=female" -> {"age": "51", "sex": "female"}."""
    values = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise ScaffoldError(f"give field=value pairs separated by commas; {part!r} has no '='")
        key, raw = part.split("=", 1)
        values[key.strip()] = raw.strip()
    return values


def find_duplicate(data_dir: Path, ref: dict) -> str | None:
    """The existing reference file the new one repeats, and why; read without the validator."""
    title = str(ref.get("title", "")).strip().lower()
    for path in sorted((data_dir / "references").glob("*.yaml")):
        try:
            other = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            continue
        rel = path.relative_to(data_dir.parent).as_posix()
        if other.get("id") == ref["id"]:
            return f"{rel} already has the id {ref['id']!r} (if it is another work, give --id {ref['id']}b)"
        if ref.get("DOI") and str(other.get("DOI", "")).lower() == ref["DOI"].lower():
            return f"{rel} has the same DOI ({ref['DOI']})"
        if ref.get("PMID") and str(other.get("PMID", "")) == str(ref["PMID"]):
            return f"{rel} has the same PMID ({ref['PMID']})"
        first = ((other.get("author") or [{}])[0].get("family") or "").lower()
        year = ((other.get("issued") or {}).get("date-parts") or [[None]])[0][0]
        if title and (first, year, str(other.get("title", "")).strip().lower()) == (
                ref["author"][0]["family"].lower(), ref["issued"]["date-parts"][0][0], title):
            return f"{rel} has the same first author, year and title"
    return None


def same_author_year(data_dir: Path, family: str, year: int) -> list[str]:
    """Files of works with this first author and year: perhaps the same work, to be looked at."""
    found = []
    for path in sorted((data_dir / "references").glob("*.yaml")):
        other = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        first = ((other.get("author") or [{}])[0].get("family") or "").lower()
        if first == family.lower() and ((other.get("issued") or {}).get("date-parts") or [[None]])[0][0] == year:
            found.append(f"{path.relative_to(data_dir.parent).as_posix()} ({other.get('title', 'no title known')})")
    return found


def check(args) -> int:
    """--check: is the work in the data? Writes nothing."""
    probe = {"id": "", "author": [{"family": (args.author or [""])[0].partition(",")[0].strip()}],
             "issued": {"date-parts": [[args.year]]}}
    for key, value in (("DOI", args.doi), ("PMID", args.pmid), ("title", args.title)):
        if value:
            probe[key] = value
    duplicate = find_duplicate(args.data, probe)
    if duplicate:
        print(f"In the data: {duplicate}. Add its cases to its case file instead of a new work.")
        return 0
    maybe = same_author_year(args.data, probe["author"][0]["family"], args.year) if args.author and args.year else []
    if maybe:
        print("Not found by DOI, PMID or title; the same first author and year: " + "; ".join(maybe)
              + ". Open them to see whether one is your work.")
    else:
        print("Not in the data: no work with this DOI, PMID, or first author and year. Add it with make new-case.")
    return 0


def options_work(args, vocab) -> dict:
    """One work's answers from the command line."""
    values = {"authors": args.author, "year": args.year, "et_al": args.et_al or None, "id": args.id}
    for key in ("title", "journal", "volume", "issue", "pages", "doi", "pmid", "read_from", "read_on", "text",
                "confidence"):
        values[key] = getattr(args, key)
    if args.series_count:
        values["series"] = [{"surgically_treated": args.series_count, "primary_sites": args.sites or {}}]
    values["patients"] = [parse_pairs(text) for text in args.patient] + args.patient_records
    return {k: v for k, v in values.items() if v not in (None, [], "")}


def ask(prompt: str, default: str = "", check=lambda text: text):
    """Ask until the answer passes `check` (which returns the value or raises): a wrong answer is explained and
    asked again at once, never found only after the last question. Answers may be piped in."""
    while True:
        try:
            answer = input(f"{prompt}{f' [{default}]' if default else ''}: ").strip() or default
        except EOFError:
            raise ScaffoldError("the answers ended before the questions did: give the metadata as options (see "
                                "--help), an answer file (--answers), or answer every question") from None
        try:
            return check(answer)
        except (ScaffoldError, AnswerError) as error:
            print(f"  {error}; try again.")


def _one_of(*choices: str):
    def check(text):
        if text not in choices:
            raise ScaffoldError(f"answer {' or '.join(choices)}")
        return text
    return check


def _authors(text: str) -> list[str]:
    authors = [a.strip() for a in text.split(";") if a.strip()]
    if not authors or any("," not in a for a in authors):
        raise ScaffoldError("write each author as 'Family, G.', separated by ';'")
    return authors


def interview(args, vocab) -> None:
    """Fill the options a contributor did not give, one question at a time, each answer checked as typed."""
    print("New ISCM Atlas work. Type what the source says; press Enter to leave a field out (not reported).")
    args.author = args.author or ask("Every author in order, as 'Family, G.' separated by ';'", check=_authors)
    args.et_al = args.et_al or ask("Does the source itself print 'et al.' instead of listing every author? yes/no",
                                   "no", check=lambda t: t.lower() in ("y", "yes"))
    args.year = args.year or ask("Year of publication", check=_year)
    args.title = args.title or ask("Title")
    args.journal = args.journal or ask("Journal (abbreviated, as PubMed gives it)")
    args.volume = args.volume or ask("Volume")
    args.issue = args.issue or ask("Issue")
    args.pages = args.pages or ask("Pages, e.g. 101-105")
    args.doi = args.doi or ask("DOI, e.g. 10.1000/xyz (Enter if none)", check=_doi)
    args.pmid = args.pmid or ask("PubMed id (PMID) (Enter if none)", check=_pmid)
    args.read_from = args.read_from or ask("The public address you read the work at (https://...)", check=_address)
    args.read_on = args.read_on or ask("The date you read it, YYYY-MM-DD", datetime.date.today().isoformat())
    args.text = args.text or ask("Did you read the full text or only the abstract? full-text/abstract",
                                 check=_one_of("full-text", "abstract"))
    args.confidence = args.confidence or ask(
        "Confidence: verified (title, journal, year and volume+pages or DOI read in the source) or partial",
        check=_one_of("verified", "partial"))
    if args.series_count is None:
        args.series_count = ask("How many of its patients had surgery of the metastasis (0 if none)", "0", _count)
        if args.series_count:
            args.sites = ask("Their primary sites with counts, e.g. lung=1,breast=1 (Enter if not reported)",
                             check=lambda t: _sites(t, vocab))
    if not args.patient and not args.patient_records:
        count = ask("How many patients does the work describe one by one", "0", _count)
        for i in range(1, count + 1):
            print(f"Patient {i}:")
            values: dict = {}
            for name in ASKED:
                if name == "resection" and values.get("surgery") is not True:
                    continue
                if name == "segments" and values.get("level"):
                    continue
                values[name] = ask("  " + PROMPTS[name], check=lambda t, f=name: _patient_answer(f, t, vocab))
            extra = ask("  " + MORE, check=lambda t, v=values: _more(t, v, vocab))
            args.patient_records.append({**{k: v for k, v in values.items() if v is not None}, **extra})


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise ScaffoldError(f"the year is four digits, e.g. 2021, not {text!r}")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit():
        raise ScaffoldError(f"give a whole number, e.g. 1, not {text!r}")
    return int(text)


def _address(text: str) -> str:
    if not text.startswith(("http://", "https://")):
        raise ScaffoldError("give the address you read it at, starting with https://")
    return text


def _patient_answer(name: str, text: str, vocab):
    return patient_value(name, text, vocab, [], [])


def _more(text: str, values: dict, vocab) -> dict:
    pairs = parse_pairs(text)
    patient_record({**values, **pairs}, vocab, [])  # checked as a whole now, not after the last question
    return pairs


def _sites(text: str, vocab) -> dict:
    found = {}
    for name, count in parse_pairs(text).items():
        if not count.isdigit():
            raise ScaffoldError(f"give each site a count, e.g. lung=2; {name!r} has {count!r}")
        found[term(vocab, "primary-sites", name)] = int(count)
    return found


def _doi(text: str) -> str:
    if text and doi_problem(text):
        raise ScaffoldError(doi_problem(text))
    return text


def _pmid(text: str) -> str:
    if text and pmid_problem(text):
        raise ScaffoldError(pmid_problem(text))
    return text


def _plain_tree(node, path: tuple, where: dict, seen: set):
    """An answer file's node as plain values: every scalar as its text (so yes, no, 51 and 2026-01-15 stay what the
    contributor typed, for the answers' own checks), null for an empty or null value; each part's position kept."""
    if id(node) in seen:
        raise ScaffoldError(f"{node.start_mark.line + 1}:{node.start_mark.column + 1}: anchors and aliases "
                            "(&name / *name) are not allowed in an answer file; write the values out")
    seen.add(id(node))
    where[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): _plain_tree(v, (*path, str(k.value)), where, seen) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain_tree(v, (*path, i), where, seen) for i, v in enumerate(node.value)]
    if not node.style and node.value in ("", "~", "null", "Null", "NULL"):
        return None
    return node.value


def answer_works(path: Path) -> list:
    """The works of an answer file, each with a function that gives an answer's line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScaffoldError(f"{path}: cannot read the answer file ({error.strerror})") from None
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
        raise ScaffoldError(f"{path}:{at}: YAML syntax error: {getattr(error, 'problem', error)}") from None
    where: dict = {}
    try:
        data = _plain_tree(root, (), where, set()) if root is not None else None
    except ScaffoldError as error:
        raise ScaffoldError(f"{path}:{error}") from None
    if isinstance(data, dict) and set(data) == {"works"}:
        works, prefix = data["works"], ("works",)
    elif isinstance(data, dict):
        works, prefix = [data], ()
    else:
        raise ScaffoldError(f"{path}:1:1: an answer file holds `works:` and a list of works (CONTRIBUTING.md)")
    if not isinstance(works, list) or not all(isinstance(w, dict) for w in works):
        raise ScaffoldError(f"{path}:1:1: `works:` is a list of works, each a mapping of answers")

    def locate(i: int):
        def at(answer_path: tuple) -> tuple[int, int]:
            full = (*prefix, i, *answer_path) if prefix else tuple(answer_path)
            while full not in where and full:
                full = full[:-1]
            return where.get(full, (1, 1))
        return at
    return [(w, locate(i)) for i, w in enumerate(works)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=Path, help="a YAML answer file of one or more works (see CONTRIBUTING.md)")
    parser.add_argument("--check", action="store_true", help="say whether the work is in the data; write nothing")
    parser.add_argument("--id", help="file id (default: first author's family name and year, e.g. smith-2021)")
    parser.add_argument("--author", action="append", default=[],
                        help="an author as 'Family, G.'; repeat for every author, in the printed order")
    parser.add_argument("--et-al", action="store_true", help="the source itself prints 'et al.' instead of all authors")
    parser.add_argument("--year", type=int, help="year of publication")
    parser.add_argument("--title")
    parser.add_argument("--journal", help="journal title (abbreviated)")
    parser.add_argument("--volume")
    parser.add_argument("--issue")
    parser.add_argument("--pages", help="page range, e.g. 101-105")
    parser.add_argument("--doi", help="DOI without https://doi.org/")
    parser.add_argument("--pmid", help="PubMed id")
    parser.add_argument("--read-from", help="the public address (https://...) the work was read at")
    parser.add_argument("--read-on", help="the date it was read, YYYY-MM-DD")
    parser.add_argument("--text", choices=("full-text", "abstract"), help="what of the work was read")
    parser.add_argument("--confidence", choices=("verified", "partial"),
                        help="verified: title, journal, year and volume+pages or DOI read in the source; else partial")
    parser.add_argument("--series-count", type=int, help="number of its patients whose metastasis was operated on")
    parser.add_argument("--sites", help="primary sites of that series with counts, e.g. lung=1,breast=1")
    parser.add_argument("--patient", action="append", default=[],
                        help="one patient as field=value pairs (repeat per patient); fields: " + ", ".join(PATIENT_FIELDS))
    parser.add_argument("--data", type=Path, default=ROOT / "data", help="data folder (default: the project's)")
    args = parser.parse_args(argv)
    args.patient_records = []
    vocab = vocabularies(args.data)
    try:
        if args.check:
            return check(args)
        if args.answers:
            entries = answer_works(args.answers)
        else:
            if not args.author:
                interview(args, vocab)
            if args.sites:
                args.sites = _sites(args.sites, vocab) if isinstance(args.sites, str) else args.sites
            entries = [(options_work(args, vocab), None)]
        works = []
        for values, where in entries:
            try:
                works.append(read_work(values, vocab))
            except AnswerError as error:
                place = f"{args.answers}:{':'.join(map(str, where(error.path)))}: " if where else ""
                field = f"{'.'.join(map(str, error.path))}: " if error.path and not where else ""
                raise ScaffoldError(f"{place}{field}{error}") from None
        return write(works, args.data)
    except ScaffoldError as error:
        print(f"new_case: {error}", file=sys.stderr)
        return 1


def write(works: list[Work], data_dir: Path) -> int:
    """Write every work's files, then check the whole data as `make validate` does; on any problem, remove them all."""
    seen: dict[str, str] = {}
    for work in works:
        duplicate = find_duplicate(data_dir, work.reference)
        if duplicate:
            raise ScaffoldError(f"{work.id} not created: {duplicate}; add its cases to that work's case file instead")
        for key in ("id", "DOI", "PMID"):
            value = str(work.reference.get(key, "")).lower()
            if value and (key, value) in seen:
                raise ScaffoldError(f"{work.id} and {seen[(key, value)]} in the same answers have the same {key}")
            if value:
                seen[(key, value)] = work.id
    written = []
    for work in works:
        files = [("reference", data_dir / "references" / f"{work.id}.yaml", work.reference)]
        if work.case:
            files.append(("case", data_dir / "cases" / f"{work.id}.yaml", work.case))
        files += [("finding", data_dir / "findings" / f"{f['id']}.yaml", f) for f in work.findings]
        for kind, path, data in files:
            text = dump(kind, data)
            problems = emitted_problems(text, display_path(path, data_dir), kind, data_dir)
            if problems:  # a bug of the scaffold, never the contributor's: say so rather than write a bad file
                _remove(written)
                raise ScaffoldError("the scaffold would write a file its checks refuse (please report this):\n"
                                    + format_report(problems))
            path.write_text(text, encoding="utf-8")
            written.append(path)
    result = load_dataset(data_dir)
    names = {display_path(p, data_dir) for p in written}
    problems = [*result.problems, *(p for p in lint_data(data_dir) if p.path in names)]
    if problems:
        _remove(written)
        print("new_case: not created, the new files would not validate:\n" + format_report(problems), file=sys.stderr)
        return 1
    rel = [display_path(p, data_dir) for p in written]
    print(f"Created {', '.join(rel)}.")
    for work in works:
        if not work.case:
            print(f"  {work.id}: a reference only (no series or patient given); it appears on the References page.")
        for notice in work.notices:
            print(f"  {work.id}: {notice}.")
    first = works[0].id
    print("\nNext steps:\n"
          "  1. Open the files and check every value against the source (null means: not reported).\n"
          "  2. make validate        (every check the tests run on data)\n"
          f"  3. make serve           (preview: /references/{first}/ and the All patients table, /cases/all-patients/)\n"
          f"  4. git checkout -b add-{first} && git add {' '.join(rel)} && git commit -m 'Add {first}'\n"
          "  5. Push the branch and open a pull request; CI validates and builds a preview.")
    return 0


def _remove(paths) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
