"""Every validator rule, fed a broken file, must answer with its exact located message.

The fixtures use the reserved fake id example-2099. Expected messages are written out in full:
they are what a contributor reads, so a change in wording is a change to review.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, run_build

from iscm_atlas.data.dataset import load_dataset

REFERENCE = """\
id: example-2099
type: article-journal
author:
  - family: Example
    given: A.
issued:
  date-parts: [[2099]]
iscm:
  printed_as: Example A
  metadata:
    confidence: seed-only
    source: test fixture
"""

CASE = """\
id: example-2099
reference: example-2099
series:
  - id: example-2099-s1
    surgically_treated: 2
    primary_sites: {lung: 1}
    source: {document: example-2099}
patients:
  - id: example-2099-p1
    age: 51
    level: [thoracic]
    primary_site: lung
    surgery: true
    radiotherapy: null
    chemotherapy: false
    outcome: improvement
    survival_months: 4
    alive: false
    source: {document: example-2099}
"""

FILE = "data/cases/example-2099.yaml"


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the real data plus one valid fake reference and case file."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "references" / "example-2099.yaml").write_text(REFERENCE, encoding="utf-8")
    return data


def problems_for(data: Path, case_text: str | bytes, name: str = "example-2099.yaml") -> list[str]:
    target = data / "cases" / name
    if isinstance(case_text, bytes):
        target.write_bytes(case_text)
    else:
        target.write_text(case_text, encoding="utf-8")
    return [str(p) for p in sorted(load_dataset(data).problems)]


def test_the_fixture_itself_is_valid(data):
    assert problems_for(data, CASE) == []


def test_the_real_data_is_valid():
    assert [str(p) for p in load_dataset(ROOT / "data").problems] == []


CASES = {
    "unknown vocabulary term": (
        CASE.replace("primary_site: lung", "primary_site: lungs"),
        [f"{FILE}:12:19: unknown primary site 'lungs'; did you mean 'lung'? (terms are listed in data/vocabularies/primary-sites.yaml)"]),
    "vocabulary term written as printed": (
        CASE.replace("primary_sites: {lung: 1}", "primary_sites: {thyroid gland: 1}"),
        [f"{FILE}:6:21: unknown primary site 'thyroid gland'; write 'thyroid' (the id for 'thyroid gland') (terms are listed in data/vocabularies/primary-sites.yaml)"]),
    "unknown spinal level": (
        CASE.replace("level: [thoracic]", "level: [thorasic]"),
        [f"{FILE}:11:13: unknown spinal level 'thorasic'; did you mean 'thoracic'? (terms are listed in data/vocabularies/spinal-levels.yaml)"]),
    "unknown outcome": (
        CASE.replace("outcome: improvement", "outcome: stable"),
        [f"{FILE}:16:14: unknown outcome 'stable'; write one of: improvement, no-improvement, worsening (terms are listed in data/vocabularies/outcomes.yaml)"]),
    "unknown reference": (
        CASE.replace("reference: example-2099", "reference: example-2098"),
        [f"{FILE}:2:12: unknown reference 'example-2098': did you mean 'example-2099'? Otherwise add data/references/example-2098.yaml first"]),
    "missing reference file, named several times": (
        CASE.replace("example-2099}", "example-2098}").replace("reference: example-2099", "reference: example-2098"),
        [f"{FILE}:2:12: unknown reference 'example-2098': did you mean 'example-2099'? Otherwise add data/references/example-2098.yaml first"]),
    "misspelled field": (
        CASE.replace("    age: 51", "    agee: 51"),
        [f"{FILE}:10:5: unknown field 'agee' in patients[0]; did you mean 'age'?"]),
    "missing field": (
        CASE.replace("    alive: false\n", ""),
        [f"{FILE}:9:5: patients[0] is missing the required field 'alive'; add 'alive:' (write null where the schema allows it and the source does not report it)"]),
    "age with a unit": (
        CASE.replace("age: 51", "age: 51 years"),
        [f"{FILE}:10:10: patients[0].age must be a whole number or null (not reported), not '51 years'; write the number alone, e.g. 51"]),
    "n.a. instead of null": (
        CASE.replace("age: 51", "age: n.a."),
        [f"{FILE}:10:10: patients[0].age must be a whole number or null (not reported), not 'n.a.'; write null when the source does not report it"]),
    "tab indentation": (
        CASE.replace("    age: 51", "\tage: 51"),
        [f"{FILE}:10:1: tab character in the indentation; YAML indents with spaces: replace each tab with two spaces"]),
    "broken YAML": (
        CASE.replace("primary_sites: {lung: 1}", "primary_sites: {lung: 1"),
        [f"{FILE}:7:11: YAML syntax error: while parsing a flow mapping, expected ',' or '}}', but got ':'; check the indentation, colons and quotes on this line or the line above"]),
    "duplicate id": (
        CASE.replace("  - id: example-2099-p1", "  - id: example-2099-s1"),
        [f"{FILE}:9:9: duplicate id 'example-2099-s1': already used at {FILE}:4; choose another id"]),
    "duplicate key": (
        CASE.replace("    age: 51\n", "    age: 51\n    age: 52\n"),
        [f"{FILE}:11:5: duplicate key 'age' (first given on line 10); keep only one of them"]),
    "site counts above the series count": (
        CASE.replace("primary_sites: {lung: 1}", "primary_sites: {lung: 2, breast: 1}"),
        [f"{FILE}:6:20: primary_sites add up to 3, more than surgically_treated (2); the counts of one series cannot exceed its size: correct the counts or the total"]),
    "id not a slug": (
        CASE.replace("  - id: example-2099-p1", "  - id: Example_2099_P1"),
        [f"{FILE}:9:9: patients[0].id 'Example_2099_P1' is not a valid id; use lowercase letters, digits and single hyphens (e.g. 'example-2099-p1')"]),
    "record id without the file's prefix": (
        CASE.replace("  - id: example-2099-p1", "  - id: other-p1"),
        [f"{FILE}:9:9: id 'other-p1' must start with the file's id: write e.g. 'example-2099-p1'"]),
    "true written as text": (
        CASE.replace("surgery: true", "surgery: 'yes'"),
        [f"{FILE}:13:14: patients[0].surgery must be true or false or null (not reported), not 'yes'; write true without quotes"]),
    "survival not plausible": (
        CASE.replace("survival_months: 4", "survival_months: 4000"),
        [f"{FILE}:17:22: patients[0].survival_months is 4000, above the maximum of 600; check the value against the source"]),
    "group statistic naming an unknown patient": (
        CASE + "group_statistics:\n  - id: example-2099-g1\n    patients: [example-2099-p2]\n"
               "    survival_months: {median: 3}\n    source: {document: example-2099}\n",
        [f"{FILE}:22:16: unknown patient 'example-2099-p2'; a group lists ids of patients in this file: example-2099-p1"]),
    "group statistic out of order": (
        CASE + "group_statistics:\n  - id: example-2099-g1\n    patients: [example-2099-p1]\n"
               "    survival_months: {median: 3, min: 5}\n    source: {document: example-2099}\n",
        [f"{FILE}:23:22: survival_months has min 5, median 3, max None; they must satisfy min <= median <= max"]),
    **{f"YAML 1.1 boolean {word}": (
        CASE.replace("surgery: true", f"surgery: {word}"),
        [f"{FILE}:13:14: '{word}' is not read as a yes or no here: write {meant} (true or false, lowercase, no quotes; "
         f'null where the source does not report it); only in a text field would "{word}" in quotes be kept as text'])
       for word, meant in (("yes", "true"), ("No", "false"), ("ON", "true"), ("off", "false"), ("y", "true"),
                           ("N", "false"))},
    "quoted yes where a boolean is meant": (
        CASE.replace("surgery: true", 'surgery: "Yes"'),
        [f"{FILE}:13:14: patients[0].surgery must be true or false or null (not reported), not 'Yes'; write true "
         "without quotes"]),
    **{f"approximate {what}": (
        CASE.replace("age: 51", f"age: {printed}"),
        [f"{FILE}:10:10: patients[0].age must be a whole number or null (not reported), not '{printed.strip(chr(34))}'; "
         "the source gives no exact number here, and none may be made up: write null and copy the printed words into "
         f"notes (e.g. notes: [\"age printed as '{printed.strip(chr(34))}'\"])"])
       for what, printed in (("decade", "60s"), ("range", "50-55"), ("about", '"about 50"'))},
    "capitalised boolean": (
        CASE.replace("surgery: true", "surgery: True"),
        [f"{FILE}:13:14: write the boolean as true (lowercase true or false)"]),
    "sexagesimal number": (
        CASE.replace("age: 51", "age: 1:30"),
        [f"{FILE}:10:10: '1:30' would be read as a number in a special YAML form; write a plain decimal number "
         "(e.g. 1000, 2.5), or put it in quotes if you mean the text: \"1:30\""]),
    "octal-looking number": (
        CASE.replace("age: 51", "age: 051"),
        [f"{FILE}:10:10: '051' would be read as a number in a special YAML form; write a plain decimal number "
         "(e.g. 1000, 2.5), or put it in quotes if you mean the text: \"051\""]),
    "date where text is meant": (
        CASE.replace("source: {document: example-2099}\npatients", "source: {document: example-2099, page: 2004-01-01}\npatients"),
        [f"{FILE}:7:44: '2004-01-01' would be read as a date; put it in quotes: \"2004-01-01\""]),
    "segment written as a level": (
        CASE.replace("level: [thoracic]", "level: T7"),
        [f"{FILE}:11:12: patients[0].level must be a list or null (not reported), not 'T7'; T7 is an exact segment: "
         "write segments: [T7] and leave level out (it is derived)"]),
    "segment in lowercase": (
        CASE.replace("level: [thoracic]", "segments: [t7]"),
        [f"{FILE}:11:16: patients[0].segments[0]: 't7' is not a spinal segment as written; did you mean 'T7'?"]),
    "segment range upwards": (
        CASE.replace("level: [thoracic]", "segments: [T12-T10]"),
        [f"{FILE}:11:16: the range 'T12-T10' runs upwards; write it cranial to caudal: T10-T12"]),
    "segments and level disagree": (
        CASE.replace("level: [thoracic]", "level: [thoracic]\n    segments: [C7]"),
        [f"{FILE}:11:12: level [thoracic] does not match the regions of segments [C7] (cervical); write level: "
         "[cervical], or leave level out (it is derived)"]),
    "resection without surgery": (
        CASE.replace("surgery: true", "surgery: false\n    resection: subtotal"),
        [f"{FILE}:14:16: resection is given but surgery is false; an extent of resection means the metastasis was "
         "operated on: write surgery: true, or leave resection out"]),
    "histology as printed": (
        CASE.replace("primary_site: lung", "primary_site: lung\n    histology: NSCLC"),
        [f"{FILE}:13:16: unknown histology 'NSCLC'; write 'non-small-cell-carcinoma' (the id for 'NSCLC') "
         "(terms are listed in data/vocabularies/histologies.yaml)"]),
    "empty file": ("", [f"{FILE}:1:1: file is empty; it must hold a mapping starting with 'id:'"]),
    "a list instead of a mapping": (
        "- id: example-2099\n",
        [f"{FILE}:1:1: the file holds a list; it must be a mapping of field: value, starting with 'id:'"]),
    "python tag": (
        CASE.replace("age: 51", "age: !!python/object/apply:os.system ['true']"),
        [f"{FILE}:10:10: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'; data files hold plain values only, remove the '!' tag"]),
    "alias": (
        CASE.replace("radiotherapy: null", "radiotherapy: &same false").replace("chemotherapy: false", "chemotherapy: *same"),
        [f"{FILE}:15:19: anchors and aliases (&name / *name) are not allowed in data files; write the value out in full"]),
    "byte-order mark": (
        b"\xef\xbb\xbf" + CASE.encode(),
        [f"{FILE}:1:1: file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"]),
    "not UTF-8": (
        CASE.replace("improvement", "improvement # caf\u00e9").encode("latin-1"),
        [f"{FILE}:16:31: byte 0xe9 is not valid UTF-8; save the file as UTF-8"]),
}


@pytest.mark.parametrize("text, expected", CASES.values(), ids=CASES.keys())
def test_bad_input_gets_its_message(data, text, expected):
    assert problems_for(data, text) == expected


def test_file_name_must_match_id(data):
    assert problems_for(data, CASE, name="other-name.yaml") == [
        "data/cases/other-name.yaml:1:5: id 'example-2099' differs from the file name 'other-name.yaml'; "
        "rename the file to example-2099.yaml or write id: other-name"]


def test_wrong_extension_is_named(data):
    assert problems_for(data, CASE, name="example-2099.yml") == [
        "data/cases/example-2099.yml:0:0: data files end in .yaml; rename it to example-2099.yaml"]


def test_every_problem_is_reported_not_just_the_first(data):
    broken = CASE.replace("age: 51", "age: 51 years").replace("primary_site: lung", "primary_site: lungs")
    (data / "cases" / "second-2099.yaml").write_text("", encoding="utf-8")
    # A file is checked against its vocabularies once its schema problems are fixed, so here the
    # report holds the schema problem of the first file and the problem of the second.
    assert problems_for(data, broken) == [
        f"{FILE}:10:10: patients[0].age must be a whole number or null (not reported), not '51 years'; write the number alone, e.g. 51",
        "data/cases/second-2099.yaml:1:1: file is empty; it must hold a mapping starting with 'id:'"]


def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def test_cli_prints_every_problem_then_a_count_and_exits_1(data):
    (data / "cases" / "example-2099.yaml").write_text(CASE.replace("age: 51", "age: 51 years"), encoding="utf-8")
    (data / "cases" / "empty-2099.yaml").write_text("", encoding="utf-8")
    (data / "cases" / "example-2099.yaml").write_text(CASE.replace("age: 51", "age: 51 years").replace(
        "    alive: false", "    alive: false   "), encoding="utf-8")  # and a layout problem the test suite's yamllint finds
    proc = run_cli(data, cwd=data.parent)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    schema_line = "the first line must name the file's schema, for editors: write # yaml-language-server: $schema="
    assert proc.stdout.splitlines() == [
        "data/cases/empty-2099.yaml:1:1: file is empty; it must hold a mapping starting with 'id:'",
        f"data/cases/empty-2099.yaml:1:1: {schema_line}../schemas/case.schema.json",
        f"{FILE}:1:1: {schema_line}../schemas/case.schema.json",
        f"{FILE}:10:10: patients[0].age must be a whole number or null (not reported), not '51 years'; write the number alone, e.g. 51",
        f"{FILE}:18:17: trailing spaces; delete the spaces at the end of the line",
        f"data/references/example-2099.yaml:1:1: {schema_line}../schemas/reference.schema.json",
        "6 problems found in the data.",
    ]


def test_cli_limits_the_report_to_the_files_named(data):
    (data / "cases" / "example-2099.yaml").write_text(CASE.replace("age: 51", "age: 51 years"), encoding="utf-8")
    (data / "cases" / "empty-2099.yaml").write_text("# yaml-language-server: $schema=../schemas/case.schema.json\n",
                                                    encoding="utf-8")
    proc = run_cli(data / "cases" / "empty-2099.yaml", cwd=data.parent)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[-1] == "1 problem found in the data."


def test_cli_on_the_real_data_passes():
    proc = run_cli()
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.startswith("OK: data is valid")


def test_cli_rejects_a_path_outside_any_data_folder(tmp_path):
    proc = run_cli(tmp_path)
    assert proc.returncode == 2
    assert "not inside an ISCM Atlas data folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_build_fails_with_the_same_messages(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "data" / "references" / "example-2099.yaml").write_text(REFERENCE, encoding="utf-8")
    (project / "data" / "cases" / "example-2099.yaml").write_text(CASE.replace("primary_site: lung", "primary_site: lungs"),
                                                                  encoding="utf-8")
    build = run_build(project, tmp_path / "site")
    assert build.returncode == 1
    assert "Traceback" not in build.output
    assert (f"{FILE}:12:19: unknown primary site 'lungs'; did you mean 'lung'? "
            "(terms are listed in data/vocabularies/primary-sites.yaml)") in build.output
    assert "1 problem found in the data." in build.output
    assert not (tmp_path / "site" / "index.html").exists()


def test_a_new_site_and_the_case_report_fields_are_accepted(data):
    """A prostate-cancer case at the conus, resected, and a lung-cancer patient at C7 with histology,
    sex, extent of resection and time from primary diagnosis: all valid, nothing buried in notes."""
    case = CASE.replace("primary_sites: {lung: 1}", "primary_sites: {lung: 1, prostate: 1}").replace(
        "    level: [thoracic]\n", "    sex: male\n    segments: [C7]\n").replace(
        "primary_site: lung\n", "primary_site: lung\n    histology: non-small-cell-carcinoma\n").replace(
        "surgery: true\n", "surgery: true\n    resection: gross-total\n").replace(
        "alive: false\n", "alive: false\n    months_from_primary_diagnosis: 14\n")
    assert problems_for(data, case) == []
    patient = next(p for p in load_dataset(data).dataset.patients if p.id == "example-2099-p1")
    assert (patient.sex, patient.segments, patient.level, patient.histology, patient.resection,
            patient.months_from_primary_diagnosis) == ("male", ("C7",), ("cervical",), "non-small-cell-carcinoma",
                                                       "gross-total", 14)


def test_reference_field_mistakes_get_one_message_each(data):
    """A lowercase doi, and DOI: null, each get their own message; the case file that names this
    (existing, but invalid) reference gets no false "unknown reference" on top."""
    reference = REFERENCE.replace("issued:", "doi: 10.1000/x\nissued:") + "DOI: null\n"
    (data / "references" / "example-2099.yaml").write_text(reference, encoding="utf-8")
    assert problems_for(data, CASE) == [
        "data/references/example-2099.yaml:6:1: unknown field 'doi' in the file; did you mean 'DOI'?",
        "data/references/example-2099.yaml:14:6: DOI must be text, not null; a field that is not known is left out "
        "of the file, not set to null: delete this line"]
