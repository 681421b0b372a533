"""Unit tests of yamlfile.py (reading one file safely, with positions), checks.py (the checks across
fields and files) and dataset.py (a tiny data folder written here, with the repo's schemas and
vocabularies), each message with its line and column worked out by hand from the text."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iscm_atlas.data import checks
from iscm_atlas.data.dataset import data_files, load_dataset
from iscm_atlas.data.problems import Problem, format_report
from iscm_atlas.data.yamlfile import MAX_BYTES, read_yaml

ROOT = Path(__file__).resolve().parent.parent


def read(tmp_path: Path, text, name: str = "x.yaml"):
    file = tmp_path / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return read_yaml(file, name)


def messages(tmp_path, text):
    return [str(p) for p in read(tmp_path, text)[1]]


# --- yamlfile.py ----------------------------------------------------------------------------------

TEXT = """\
id: x-2001
patients:
  - id: x-2001-p1
    age: 51
    level: [thoracic, cervical]
"""


@pytest.mark.parametrize("text", [TEXT, TEXT + "note: \"a & b\"\n"])  # the second takes the exact (pure Python) parser
def test_positions(tmp_path, text):
    doc, problems = read(tmp_path, text)
    assert problems == []
    assert doc.data["patients"][0]["age"] == 51
    assert doc.where(("patients", 0, "age")) == (4, 10)
    assert doc.where(("patients", 0, "age"), key=True) == (4, 5)
    assert doc.where(("patients", 0, "level", 1)) == (5, 23)
    assert doc.where(("patients", 0, "level", 7)) == (5, 12)  # no such item: its list
    assert doc.where(("patients", 0, "sex")) == (3, 5)  # no such field: its record
    assert doc.where(("patients", 0, "sex"), key=True) == (2, 1)  # nearest key above
    assert doc.where(("id",)) == (1, 5)
    assert doc.where(()) == (1, 1)
    assert doc.problem(("patients", 0, "age"), "m") == Problem("x.yaml", 4, 10, "m")
    assert doc.problem(("patients", 0, "age"), "m", key=True) == Problem("x.yaml", 4, 5, "m")


@pytest.mark.parametrize("text, message", [
    ("id: a\n\tage: 1\n", "x.yaml:2:1: tab character in the indentation; YAML indents with spaces: replace each tab with two spaces"),
    ("id: !foo bar\n", "x.yaml:1:5: could not determine a constructor for the tag '!foo'; data files hold plain values only, "
                       "remove the '!' tag"),
    ("id: a\nx: \x07\n", "x.yaml:2:4: character U+0007 is not allowed in YAML; delete it"),
    ("id: 0x1F\n", "x.yaml:1:5: '0x1F' would be read as a number in a special YAML form; write a plain decimal number "
                   "(e.g. 1000, 2.5), or put it in quotes if you mean the text: \"0x1F\""),
    ("id: .inf\n", "x.yaml:1:5: '.inf' would be read as a number in a special YAML form; write a plain decimal number "
                   "(e.g. 1000, 2.5), or put it in quotes if you mean the text: \".inf\""),
    ("id: True\n", "x.yaml:1:5: write the boolean as true (lowercase true or false)"),
    ("id: yes\n", "x.yaml:1:5: 'yes' is not read as a yes or no here: write true (true or false, lowercase, no quotes; null "
                  "where the source does not report it); only in a text field would \"yes\" in quotes be kept as text"),
    ("id: N\n", "x.yaml:1:5: 'N' is not read as a yes or no here: write false (true or false, lowercase, no quotes; null "
                "where the source does not report it); only in a text field would \"N\" in quotes be kept as text"),
    ("id: 2020-01-01\n", "x.yaml:1:5: '2020-01-01' would be read as a date; put it in quotes: \"2020-01-01\""),
    ("<<: {a: 1}\n", "x.yaml:1:1: merge keys (<<) are not allowed in data files; write the fields out"),
    ("? [a, b]\n: 1\n", "x.yaml:1:3: a key must be a plain name, not a list or mapping"),
    ("a: &x 1\nb: *x\n", "x.yaml:2:4: anchors and aliases (&name / *name) are not allowed in data files; write the value "
                         "out in full"),
    ("- 1\n", "x.yaml:1:1: the file holds a list; it must be a mapping of field: value, starting with 'id:'"),
    ("5\n", "x.yaml:1:1: the file holds a single int value; it must be a mapping of field: value, starting with 'id:'"),
    ("# only a comment\n", "x.yaml:1:1: file is empty; it must hold a mapping starting with 'id:'"),
    ("", "x.yaml:1:1: file is empty; it must hold a mapping starting with 'id:'"),
    ("a: 1\nb:\n  c: 2\n  c: 3\n", "x.yaml:4:3: duplicate key 'c' (first given on line 3); keep only one of them"),
    (b"\xef\xbb\xbfid: a\n", "x.yaml:1:1: file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"),
    (b"id: a\nb: \xff\n", "x.yaml:2:4: byte 0xff is not valid UTF-8; save the file as UTF-8"),
])
def test_read_yaml_problems(tmp_path, text, message):
    doc, problems = read(tmp_path, text)
    assert doc is None
    assert [str(p) for p in problems] == [message]


def test_plain_values_that_are_fine(tmp_path):
    doc, problems = read(tmp_path, "a: 'yes'\nb: true\nc: null\nd: -2.5\ne: 1.0e+3\nf: 1000\ng: \"2020-01-01\"\n")
    assert problems == []
    assert doc.data == {"a": "yes", "b": True, "c": None, "d": -2.5, "e": 1000.0, "f": 1000, "g": "2020-01-01"}


def test_syntax_error_names_the_line(tmp_path):
    [message] = messages(tmp_path, "id: [a, b\n")
    assert message.startswith("x.yaml:2:1: YAML syntax error: while parsing a flow sequence, expected ',' or ']'")
    assert message.endswith("; check the indentation, colons and quotes on this line or the line above")


def test_nesting_and_size_limits(tmp_path):
    [message] = messages(tmp_path, "a: " + "[" * 22 + "]" * 22 + "\n")
    assert message.startswith("x.yaml:1:") and message.endswith("nesting deeper than 20 levels; data files are shallow, "
                                                                 "check the indentation")
    assert messages(tmp_path, "a: " + "[" * 18 + "]" * 18 + "\n") == []
    assert messages(tmp_path, "a: '" + "x" * (MAX_BYTES + 1) + "'\n") == [  # 4 + MAX_BYTES + 1 + 2 bytes
        f"x.yaml:1:1: file is {MAX_BYTES + 7:,} bytes, over the {MAX_BYTES:,}-byte limit; split it into one file per "
        "publication"]


def test_unreadable_file(tmp_path):
    doc, [problem] = read_yaml(tmp_path / "missing.yaml", "missing.yaml")
    assert doc is None and str(problem) == "missing.yaml:0:0: cannot read the file (No such file or directory)"


def test_format_report():
    problems = [Problem("b.yaml", 2, 1, "two"), Problem("a.yaml", 9, 3, "one"), Problem("a.yaml", 9, 3, "one")]
    assert format_report(problems) == "a.yaml:9:3: one\nb.yaml:2:1: two\n2 problems found in the data."
    assert format_report([Problem("a.yaml", 0, 0, "x")]) == "a.yaml:0:0: x\n1 problem found in the data."


# --- checks.py ------------------------------------------------------------------------------------

VOCABS = {
    "primary-sites": "id: primary-sites\nlabel: Primary site\nterms:\n  - {id: lung, label: Lung}\n"
                     "  - {id: breast, label: Breast}\n  - {id: thyroid, label: Thyroid, printed_as: [thyroid gland]}\n",
    "spinal-levels": "id: spinal-levels\nlabel: Level\nterms:\n  - {id: cervical, label: Cervical}\n"
                     "  - {id: thoracic, label: Thoracic}\n",
    "outcomes": "id: outcomes\nlabel: Outcome\nterms:\n  - {id: improvement, label: Improvement}\n"
                "  - {id: no-improvement, label: No improvement}\n  - {id: worsening, label: Worsening}\n",
    "histologies": "id: histologies\nlabel: Histology\nterms:\n  - {id: adenocarcinoma, label: A, printed_as: [AdenoCa]}\n",
    "resections": "id: resections\nlabel: Extent\nterms:\n  - {id: gross-total, label: G, printed_as: [total]}\n",
    "topics": "id: topics\nlabel: Topic\nterms:\n  - {id: epidemiology, label: E}\n  - {id: treatment, label: T}\n",
}


@pytest.fixture
def vocab(tmp_path):
    return checks.VocabularyIndex({vid: read(tmp_path, text, f"v/{vid}.yaml")[0] for vid, text in VOCABS.items()})


CASE = """\
id: x-2001
reference: x-2001
series:
  - id: x-2001-s1
    surgically_treated: 2
    primary_sites: {lungs: 2, breast: 1}
    histology: {adenoca: 1}
    source: {document: x-2001}
patients:
  - id: x-2001-p1
    age: 51
    level: [thoracic, cervicl]
    segments: [c7]
    primary_site: Thyroid Gland
    histology: AdenoCa
    surgery: false
    resection: total
    radiotherapy: null
    chemotherapy: false
    outcome: stable
    survival_months: 4
    alive: false
    source: {document: x-2001}
"""


def case_doc(tmp_path, text=CASE, name="data/cases/x-2001.yaml"):
    doc, problems = read(tmp_path, text, name)
    assert problems == []
    return doc


def strs(problems):
    return [str(p) for p in problems]


def test_vocabulary_terms(tmp_path, vocab):
    found = strs(checks.vocabulary_terms(case_doc(tmp_path), vocab))
    tail = "(terms are listed in data/vocabularies/{}.yaml)"
    f = "data/cases/x-2001.yaml"
    assert found == [
        f"{f}:6:21: unknown primary site 'lungs'; did you mean 'lung'? " + tail.format("primary-sites"),
        f"{f}:7:17: unknown histology 'adenoca'; write 'adenocarcinoma' (the id for 'adenoca') " + tail.format("histologies"),
        f"{f}:14:19: unknown primary site 'Thyroid Gland'; write 'thyroid' (the id for 'Thyroid Gland') "
        + tail.format("primary-sites"),
        f"{f}:20:14: unknown outcome 'stable'; write one of: improvement, no-improvement, worsening " + tail.format("outcomes"),
        f"{f}:12:23: unknown spinal level 'cervicl'; did you mean 'cervical'? " + tail.format("spinal-levels"),
        f"{f}:15:16: unknown histology 'AdenoCa'; write 'adenocarcinoma' (the id for 'AdenoCa') " + tail.format("histologies"),
        f"{f}:17:16: unknown extent of resection 'total'; write 'gross-total' (the id for 'total') "
        + tail.format("resections"),
    ]


def test_vocabulary_check_suggestions(tmp_path, vocab):
    doc = case_doc(tmp_path)
    def one(value, vid):
        return [p.message for p in vocab.check(doc, ("id",), value, vid)]
    assert one("lung", "primary-sites") == []
    assert one("anything", "no-such-vocabulary") == []
    assert one("improvemen", "outcomes") == ["unknown outcome 'improvemen'; did you mean 'improvement'? "
                                             "(terms are listed in data/vocabularies/outcomes.yaml)"]
    assert one("THYROID GLAND", "primary-sites")[0].startswith("unknown primary site 'THYROID GLAND'; write 'thyroid'")
    assert one("xyz", "topics") == ["unknown topic 'xyz'; write one of: epidemiology, treatment "
                                    "(terms are listed in data/vocabularies/topics.yaml)"]
    assert [p.line for p in vocab.check(doc, ("series", 0, "primary_sites", "lungs"), "lungs", "primary-sites", key=True)] == [6]
    assert [p.col for p in vocab.check(doc, ("series", 0, "primary_sites"), "lungs", "primary-sites", key=True)] == [5]


def test_null_terms_are_not_checked(tmp_path, vocab):
    text = CASE.replace("primary_site: Thyroid Gland", "primary_site: null").replace("outcome: stable", "outcome: null") \
        .replace("histology: AdenoCa", "histology: null").replace("resection: total", "resection: null") \
        .replace("level: [thoracic, cervicl]", "level: null").replace("{lungs: 2, breast: 1}", "{}") \
        .replace("histology: {adenoca: 1}", "histology: {}")
    assert strs(checks.vocabulary_terms(case_doc(tmp_path, text), vocab)) == []


def test_patient_fields_agree(tmp_path):
    f = "data/cases/x-2001.yaml"
    assert strs(checks.patient_fields_agree(case_doc(tmp_path))) == [
        f"{f}:13:16: 'c7' is not a spinal segment as written; did you mean 'C7'?",
        f"{f}:17:16: resection is given but surgery is false; an extent of resection means the metastasis was operated "
        "on: write surgery: true, or leave resection out",
    ]
    mismatch = CASE.replace("segments: [c7]", "segments: [C7, T10-T12]").replace("[thoracic, cervicl]", "[cervical]") \
        .replace("surgery: false", "surgery: null")
    assert strs(checks.patient_fields_agree(case_doc(tmp_path, mismatch))) == [
        f"{f}:12:12: level [cervical] does not match the regions of segments [C7, T10-T12] (cervical, thoracic); "
        "write level: [cervical, thoracic], or leave level out (it is derived)",
        f"{f}:17:16: resection is given but surgery is null (not reported); an extent of resection means the metastasis "
        "was operated on: write surgery: true, or leave resection out",
    ]
    agree = CASE.replace("segments: [c7]", "segments: [T10-T12, C7]").replace("[thoracic, cervicl]", "[thoracic, cervical]") \
        .replace("surgery: false", "surgery: true")
    assert strs(checks.patient_fields_agree(case_doc(tmp_path, agree))) == []
    no_level = CASE.replace("segments: [c7]", "segments: [C7]").replace("    level: [thoracic, cervicl]\n", "") \
        .replace("    resection: total\n", "")
    assert strs(checks.patient_fields_agree(case_doc(tmp_path, no_level))) == []


def test_counts_within_series(tmp_path):
    f = "data/cases/x-2001.yaml"
    assert strs(checks.counts_within_series(case_doc(tmp_path))) == [
        f"{f}:6:20: primary_sites add up to 3, more than surgically_treated (2); the counts of one series cannot exceed "
        "its size: correct the counts or the total"]
    histology = CASE.replace("{lungs: 2, breast: 1}", "{lung: 2}").replace("{adenoca: 1}", "{adenoca: 3}")
    assert [p.message.split(";")[0] for p in checks.counts_within_series(case_doc(tmp_path, histology))] == [
        "histology add up to 3, more than surgically_treated (2)"]
    assert strs(checks.counts_within_series(case_doc(tmp_path, CASE.replace("{lungs: 2, breast: 1}", "{lung: 2}")))) == []


def test_file_name_matches_id(tmp_path):
    doc = case_doc(tmp_path)
    assert strs(checks.file_name_matches_id(doc, "x-2001.yaml")) == []
    assert strs(checks.file_name_matches_id(doc, "y.yaml")) == [
        "data/cases/x-2001.yaml:1:5: id 'x-2001' differs from the file name 'y.yaml'; rename the file to x-2001.yaml "
        "or write id: y"]


def test_unique_ids_ignore_case(tmp_path):
    one = case_doc(tmp_path, "id: one\npatients:\n  - {id: one-p1}\n", "data/cases/one.yaml")
    two = case_doc(tmp_path, "id: two\nseries:\n  - {id: Two}\npatients:\n  - {id: ONE-P1}\n  - {id: two-p1}\n"
                             "group_statistics:\n  - {id: two-p1}\n", "data/cases/two.yaml")
    assert strs(checks.unique_ids([one, two])) == [
        "data/cases/two.yaml:3:10: duplicate id 'Two': already used at data/cases/two.yaml:1; choose another id",
        "data/cases/two.yaml:5:10: duplicate id 'ONE-P1': already used at data/cases/one.yaml:3; choose another id",
        "data/cases/two.yaml:8:10: duplicate id 'two-p1': already used at data/cases/two.yaml:6; choose another id",
    ]
    assert strs(checks.unique_ids([one])) == []


def test_record_ids_are_prefixed(tmp_path):
    doc = case_doc(tmp_path, "id: r-2001\nseries:\n  - {id: r-2001-s1}\n  - {id: other-s1}\npatients:\n"
                             "  - {id: r-2001x-p1}\ngroup_statistics:\n  - {id: g1}\n", "data/cases/r-2001.yaml")
    assert [p.message for p in checks.record_ids_are_prefixed(doc)] == [
        "id 'other-s1' must start with the file's id: write e.g. 'r-2001-s2'",
        "id 'r-2001x-p1' must start with the file's id: write e.g. 'r-2001-p1'",
        "id 'g1' must start with the file's id: write e.g. 'r-2001-g1'",
    ]
    assert [p.line for p in checks.record_ids_are_prefixed(doc)] == [4, 6, 8]


def test_references_exist(tmp_path):
    doc = case_doc(tmp_path, "id: ex-2001\nreference: example-2098\nseries:\n  - {id: s, source: {document: example-2098}}\n"
                             "patients:\n  - {id: p, source: {document: nowhere}}\n  - {id: q, source: {document: nowhere}}\n"
                             "group_statistics:\n  - {id: g, source: {document: ex-2001}}\n", "data/cases/ex-2001.yaml")
    assert strs(checks.references_exist(doc, {"example-2099", "ex-2001"})) == [
        "data/cases/ex-2001.yaml:2:12: unknown reference 'example-2098': did you mean 'example-2099'? Otherwise add "
        "data/references/example-2098.yaml first",
        "data/cases/ex-2001.yaml:6:32: unknown reference 'nowhere': add data/references/nowhere.yaml first",
    ]
    assert strs(checks.references_exist(doc, {"example-2098", "nowhere", "ex-2001"})) == []


def test_group_statistics_consistent(tmp_path):
    text = """\
id: g-2001
patients:
  - {id: g-2001-p2}
  - {id: g-2001-p1}
group_statistics:
  - id: g-2001-g1
    patients: [g-2001-p1, g-2001-p9]
    survival_months: {median: 5, min: 6, max: 9}
  - id: g-2001-g2
    patients: [g-2001-p1]
    survival_months: {median: 5, max: 4}
  - id: g-2001-g3
    patients: [g-2001-p1]
    survival_months: {median: 5, min: 5, max: 5}
  - id: g-2001-g4
    patients: [g-2001-p2]
    survival_months: {median: 5}
"""
    f = "data/cases/g-2001.yaml"
    assert strs(checks.group_statistics_consistent(case_doc(tmp_path, text, f))) == [
        f"{f}:7:27: unknown patient 'g-2001-p9'; a group lists ids of patients in this file: g-2001-p1, g-2001-p2",
        f"{f}:8:22: survival_months has min 6, median 5, max 9; they must satisfy min <= median <= max",
        f"{f}:11:22: survival_months has min None, median 5, max 4; they must satisfy min <= median <= max",
    ]
    alone = "id: g-2001\ngroup_statistics:\n  - {id: g, patients: [p], survival_months: {median: 1}}\n"
    assert [p.message for p in checks.group_statistics_consistent(case_doc(tmp_path, alone, f))] == [
        "unknown patient 'p'; a group lists ids of patients in this file: none"]


def test_vocabulary_ids_unique(tmp_path):
    doc = case_doc(tmp_path, "id: v\nlabel: V\nterms:\n  - {id: a, label: A}\n  - {id: b, label: B}\n  - {id: a, label: C}\n",
                   "data/vocabularies/v.yaml")
    assert strs(checks.vocabulary_ids_unique(doc)) == [
        "data/vocabularies/v.yaml:6:10: term id 'a' is listed twice; keep one"]


FINDING = """\
id: f-one
topic: epidemology
label: L
statement: "About 5 in 10"
values:
  - {low: 5, high: 3, unit: percent}
  - {numerator: 4, denominator: 2, unit: cases}
citations: [alpha-199, zzz-1]
sites: [lungs]
source: {document: nowhere}
contrast: f-one
"""


def test_finding_consistent(tmp_path, vocab):
    f = "data/findings/f-one.yaml"
    doc = case_doc(tmp_path, FINDING, f)
    assert strs(checks.finding_consistent(doc, {"alpha-1999", "beta-2004"}, vocab, {"f-one", "zebra-stripes"})) == [
        f"{f}:2:8: unknown topic 'epidemology'; did you mean 'epidemiology'? (terms are listed in "
        "data/vocabularies/topics.yaml)",
        f"{f}:9:9: unknown primary site 'lungs'; did you mean 'lung'? (terms are listed in "
        "data/vocabularies/primary-sites.yaml)",
        f"{f}:8:13: unknown reference 'alpha-199': did you mean 'alpha-1999'? Otherwise add data/references/alpha-199.yaml "
        "first",
        f"{f}:8:24: unknown reference 'zzz-1': add data/references/zzz-1.yaml first",
        f"{f}:10:20: unknown reference 'nowhere': add data/references/nowhere.yaml first",
        f"{f}:11:11: contrast names no other finding ('f-one'); write the id of a file in data/findings/",
        f"{f}:4:12: statement has a figure in it; figures go in values, so that every number shown is a value of the "
        "record (write the statement without it)",
        f"{f}:6:5: low (5) is above high (3); swap them",
        f"{f}:7:5: numerator (4) is above denominator (2); check the source",
    ]
    fine = (FINDING.replace("epidemology", "epidemiology").replace("About 5 in 10", "About half")
            .replace("high: 3", "high: 5").replace("denominator: 2", "denominator: 4").replace("[alpha-199, zzz-1]", "[alpha-1999]")
            .replace("[lungs]", "[lung]").replace("nowhere", "beta-2004").replace("contrast: f-one", "contrast: f-two"))
    assert strs(checks.finding_consistent(case_doc(tmp_path, fine, f), {"alpha-1999", "beta-2004"}, vocab,
                                          {"f-one", "f-two"})) == []
    typo = fine.replace("contrast: f-two", "contrast: f-tow")
    assert [p.message for p in checks.finding_consistent(case_doc(tmp_path, typo, f), {"alpha-1999", "beta-2004"}, vocab,
                                                         {"f-one", "f-two"})] == [
        "contrast names no other finding ('f-tow'); did you mean 'f-two'?"]
    no_values = fine.replace("About half", "About 5 in 10").split("values:")[0] + "citations: [alpha-1999]\n" \
        "source: {document: beta-2004}\n"
    assert strs(checks.finding_consistent(case_doc(tmp_path, no_values, f), {"alpha-1999", "beta-2004"}, vocab)) == []


# --- dataset.py: a tiny data folder ------------------------------------------------------------------

REFERENCE = """\
id: {id}
type: article-journal
author:
  - family: {family}
    given: A.
issued:
  date-parts: [[{year}]]
iscm:
  printed_as: {family} A
  metadata:
    confidence: seed-only
    source: test fixture
"""

TINY_CASE = """\
id: ab-2001
reference: ab-2001
series:
  - id: ab-2001-s1
    surgically_treated: 3
    primary_sites: {lung: 1, breast: 1}
    source: {document: ab-2001}
patients:
  - id: ab-2001-p2
    age: 51
    segments: [C7, T10-T12]
    primary_site: lung
    surgery: true
    radiotherapy: null
    chemotherapy: false
    outcome: improvement
    survival_months: 4
    alive: false
    source: {document: ab-2001, table: 1, row: 2}
  - id: ab-2001-p1
    age: null
    level: [thoracic]
    primary_site: breast
    surgery: null
    radiotherapy: null
    chemotherapy: null
    outcome: null
    survival_months: null
    alive: null
    source: {document: ab-2001, table: 1, row: 1}
    notes: [A note.]
group_statistics:
  - id: ab-2001-g1
    patients: [ab-2001-p1]
    survival_months: {median: 7}
    source: {document: ab-2001}
"""

OLD_CASE = """\
id: cd-1999
reference: cd-1999
patients:
  - id: cd-1999-p1
    age: 60
    level: [cervical]
    primary_site: breast
    surgery: false
    radiotherapy: true
    chemotherapy: false
    outcome: worsening
    survival_months: 12
    alive: true
    source: {document: cd-1999}
"""

FINDINGS = {
    "b-finding": "id: b-finding\ntopic: epidemiology\nlabel: B\nvalues:\n  - {value: 2, unit: times, qualifier: nearly}\n"
                 "citations: [ab-2001]\nsource: {document: ab-2001}\n",
    "a-finding": "id: a-finding\ntopic: treatment\nlabel: A\nstatement: Operate when you can.\ncitations: [cd-1999]\n"
                 "sites: [lung]\nsource: {document: cd-1999, page: '3'}\nkey_message: {rank: 1, home: true}\ncontrast: b-finding\n",
    "c-finding": "id: c-finding\ntopic: epidemiology\nlabel: C\nstatement: Rare.\ncitations: [cd-1999]\n"
                 "source: {document: cd-1999}\n",
}


@pytest.fixture
def tiny(tmp_path) -> Path:
    data = tmp_path / "data"
    for part in ("schemas", "vocabularies"):
        shutil.copytree(ROOT / "data" / part, data / part)
    for folder in ("references", "cases", "findings"):
        (data / folder).mkdir()
    for rid, family, year in (("ab-2001", "Ab", 2001), ("cd-1999", "Cd", 1999)):
        (data / "references" / f"{rid}.yaml").write_text(REFERENCE.format(id=rid, family=family, year=year), encoding="utf-8")
    (data / "cases" / "ab-2001.yaml").write_text(TINY_CASE, encoding="utf-8")
    (data / "cases" / "cd-1999.yaml").write_text(OLD_CASE, encoding="utf-8")
    for fid, text in FINDINGS.items():
        (data / "findings" / f"{fid}.yaml").write_text(text, encoding="utf-8")
    return data


def test_load_a_tiny_dataset(tiny):
    result = load_dataset(tiny)
    assert result.ok and result.problems == []
    ds = result.dataset
    assert list(ds.references) == ["ab-2001", "cd-1999"]
    assert [p.id for p in ds.patients] == ["cd-1999-p1", "ab-2001-p1", "ab-2001-p2"]  # year, then table and row
    p2 = ds.patients[2]
    assert (p2.level, p2.segments, p2.level_derived) == (("cervical", "thoracic"), ("C7", "T10-T12"), True)
    assert (p2.age, p2.primary_site, p2.surgery, p2.radiotherapy, p2.chemotherapy, p2.outcome, p2.survival_months,
            p2.alive) == (51, "lung", True, None, False, "improvement", 4, False)
    assert (p2.source.document, p2.source.table, p2.source.row) == ("ab-2001", 1, 2)
    p1 = ds.patients[1]
    assert (p1.level, p1.segments, p1.level_derived, p1.notes) == (("thoracic",), None, False, ("A note.",))
    old = ds.patients[0]
    assert (old.alive, old.survival_months, old.level) == (True, 12, ("cervical",))
    [series] = ds.series
    assert (series.id, series.reference, series.surgically_treated, series.primary_sites, series.unreported_sites) == \
        ("ab-2001-s1", "ab-2001", 3, {"lung": 1, "breast": 1}, 1)
    [group] = ds.group_statistics
    assert (group.patients, group.survival_months) == (("ab-2001-p1",), {"median": 7})
    assert [f.id for f in ds.findings] == ["b-finding", "c-finding", "a-finding"]  # topic order, then id
    a = ds.findings[2]
    assert (a.key_rank, a.key_home, a.contrast, a.sites, a.statement, a.source.page) == \
        (1, True, "b-finding", ("lung",), "Operate when you can.", "3")
    b = ds.findings[0]
    assert (b.key_rank, b.key_home, b.values) == (None, False, ({"value": 2, "unit": "times", "qualifier": "nearly"},))
    levels = ds.vocabularies["spinal-levels"]
    assert "cervical" in levels and "nowhere" not in levels
    assert levels.label_of("cervical") == levels.term("cervical").label
    assert ds.series_by_reference == {"ab-2001": [series]}
    assert [p.id for p in ds.patients_by_reference["ab-2001"]] == ["ab-2001-p1", "ab-2001-p2"]


def test_tiny_dataset_problems(tiny):
    (tiny / "cases" / "notes.txt").write_text("x", encoding="utf-8")
    (tiny / "cases" / ".hidden.yaml").write_text("x: [", encoding="utf-8")
    (tiny / "cases" / "ab-2001.yaml").rename(tiny / "cases" / "ab-2002.yaml")
    shutil.rmtree(tiny / "findings")
    result = load_dataset(tiny)
    assert result.dataset is None and not result.ok
    assert sorted(str(p) for p in result.problems) == [
        "data/cases/ab-2002.yaml:1:5: id 'ab-2001' differs from the file name 'ab-2002.yaml'; rename the file to "
        "ab-2001.yaml or write id: ab-2002",
        "data/cases/notes.txt:0:0: data files end in .yaml; rename it to notes.yaml",
        "data/findings:0:0: folder is missing; create data/findings/",
    ]


def test_a_contributed_segment_only_patient_is_exported_without_level(tiny):
    from iscm_atlas.formats.export import patient_record
    ds = load_dataset(tiny).dataset
    assert "level" not in patient_record(ds.patients[2]) and patient_record(ds.patients[1])["level"] == ["thoracic"]


def test_data_files(tiny):
    files = [p.relative_to(tiny).as_posix() for p in data_files(tiny)]
    assert files == sorted(files)
    assert "cases/ab-2001.yaml" in files and "vocabularies/topics.yaml" in files and "findings/a-finding.yaml" in files
    assert not any(f.startswith("schemas/") for f in files)


def test_suggestions_are_close_but_not_far(tmp_path, vocab):
    doc = case_doc(tmp_path)
    assert [p.message for p in vocab.check(doc, ("id",), "impr", "outcomes")] == [
        "unknown outcome 'impr'; did you mean 'improvement'? (terms are listed in data/vocabularies/outcomes.yaml)"]
    many = read(tmp_path, "id: topics\nlabel: T\nterms:\n" + "".join(f"  - {{id: lung-{c}, label: L}}\n" for c in "abcd"),
                "v/many.yaml")[0]
    [message] = [p.message for p in checks.VocabularyIndex({"topics": many}).check(doc, ("id",), "lung", "topics")]
    assert message.startswith("unknown topic 'lung'; did you mean 'lung-") and message.count("'lung-") == 3
    # a reference id of another author and year is not offered (similarity 0.67, under 0.7)
    assert [p.message for p in checks.references_exist(case_doc(tmp_path, "id: x\nreference: lee-2007\n"), {"li-2000"})] == [
        "unknown reference 'lee-2007': add data/references/lee-2007.yaml first"]


def test_every_section_s_sources_are_checked(tmp_path):
    doc = case_doc(tmp_path, "id: ex-2001\nreference: ex-2001\nseries:\n  - {id: s, source: {document: gone-1}}\n"
                             "group_statistics:\n  - {id: g, source: {document: gone-2}}\n", "data/cases/ex-2001.yaml")
    assert [(p.line, p.message.split(":")[0]) for p in checks.references_exist(doc, {"ex-2001"})] == [
        (4, "unknown reference 'gone-1'"), (6, "unknown reference 'gone-2'")]


def test_files_without_patients(tmp_path, vocab):
    doc = case_doc(tmp_path, "id: s-2001\nreference: s-2001\nseries:\n  - {id: s-2001-s1, surgically_treated: 1, "
                             "primary_sites: {lung: 1}}\n", "data/cases/s-2001.yaml")
    assert list(checks.vocabulary_terms(doc, vocab)) == []
    assert list(checks.patient_fields_agree(doc)) == []
    assert list(checks.group_statistics_consistent(doc)) == []
    assert list(checks.counts_within_series(case_doc(tmp_path, "id: p\npatients: []\n"))) == []


def test_duplicate_file_ids_point_at_the_id(tmp_path):
    one = case_doc(tmp_path, "id: same\n", "data/cases/a.yaml")
    two = case_doc(tmp_path, "\nid: same\n", "data/cases/b.yaml")
    assert strs(checks.unique_ids([one, two])) == [
        "data/cases/b.yaml:2:5: duplicate id 'same': already used at data/cases/a.yaml:1; choose another id"]


def test_prefix_problems_point_at_the_id(tmp_path):
    doc = case_doc(tmp_path, "id: r-2001\npatients:\n  - age: 3\n    id: other\n", "data/cases/r-2001.yaml")
    assert [(p.line, p.col) for p in checks.record_ids_are_prefixed(doc)] == [(4, 9)]


def test_level_mismatch_lists_every_level(tmp_path):
    text = CASE.replace("segments: [c7]", "segments: [C7]").replace("[thoracic, cervicl]", "[cervical, lumbar]") \
        .replace("surgery: false", "surgery: true")
    [message] = [p.message for p in checks.patient_fields_agree(case_doc(tmp_path, text))]
    assert message.startswith("level [cervical, lumbar] does not match the regions of segments [C7] (cervical); "
                              "write level: [cervical]")


def test_a_cauda_equina_segment_loads(tiny):
    """A named region with a hyphen is a segment, not a range (it once crashed load_dataset)."""
    case = tiny / "cases" / "ab-2001.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("segments: [C7, T10-T12]", "segments: [L5, cauda-equina]"),
                    encoding="utf-8")
    result = load_dataset(tiny)
    assert result.problems == []
    assert result.dataset.patients[2].level == ("lumbar", "cauda-equina")
