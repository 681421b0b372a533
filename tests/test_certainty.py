"""Certainty of the evidence (GRADE) as data: each judgement is checked like every data file, stands beside the key
message or the later findings it judges, with its level linked to its reasons on /methods/; the appraisal counts
beside a topic's later findings are recomputed here from the reference files."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from conftest import raw_records

ROOT = Path(__file__).resolve().parent.parent
LEVELS = {"high": "high", "moderate": "moderate", "low": "low", "very-low": "very low"}


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / ".yamllint.yaml", tmp_path / ".yamllint.yaml")
    return tmp_path / "data"


def validate(data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), str(data)], capture_output=True,
                          text=True)


def judgement(fid: str, level: str = "low", **extra) -> str:
    reasons = "".join(f"  {d}: 'not serious: stated for the test'\n" for d in
                      ("study_design", "risk_of_bias", "inconsistency", "imprecision", "publication_bias"))
    return ("# yaml-language-server: $schema=../schemas/certainty.schema.json\n"
            f"id: {extra.get('id', fid)}\nfinding: {fid}\nlevel: {level}\nreasons:\n{reasons}judged_on: '2026-12-04'\n")


def a_key_message(data: Path) -> str:
    return next(fid for fid, f in raw_records(data, "findings").items() if f.get("key_message"))


@pytest.mark.parametrize("change, message", [
    (lambda text: text.replace("finding: ", "finding: no-such-"), "is not a file in data/findings/"),
    (lambda text: text.replace("level: low", "level: medium"), "level"),
    (lambda text: text.replace("  imprecision: 'not serious: stated for the test'\n", ""), "imprecision"),
])
def test_a_wrong_judgement_is_named_with_its_file_line_and_fix(data, change, message):
    fid = a_key_message(data)
    (data / "certainty").mkdir(exist_ok=True)
    for old in (data / "certainty").glob("*.yaml"):
        old.unlink()
    (data / "certainty" / f"{fid}.yaml").write_text(change(judgement(fid)), encoding="utf-8")
    proc = validate(data)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr + proc.stdout
    assert f"data/certainty/{fid}.yaml:" in proc.stdout and message in proc.stdout, proc.stdout


def test_two_judgements_of_one_message_are_refused(data):
    fid = a_key_message(data)
    (data / "certainty" / "second-view.yaml").write_text(judgement(fid, id="second-view"), encoding="utf-8")
    proc = validate(data)
    assert proc.returncode != 0 and "judged already" in proc.stdout


def test_each_key_message_shows_the_level_its_judgement_gives_or_says_it_is_not_graded(any_site):
    judged = {c["finding"]: c for c in raw_records(any_site.data, "certainty").values() if c.get("finding")}
    findings = raw_records(any_site.data, "findings")
    checked = 0
    for page in [any_site.site / "index.html", *sorted((any_site.site / "topics").glob("*/index.html"))]:
        tree = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        for item in tree.xpath("//ol[@class='atlas-key-messages']/li"):
            fid = item.get("id", "").removeprefix("finding-") or next(
                (h.split("#finding-")[1] for h in item.xpath("./p[1]//a/@href") if "#finding-" in h), None)
            line = " ".join(item.xpath("string(./p[1]//span[@class='atlas-certainty'])").split())
            if fid in judged:
                assert line == f"Certainty of evidence (GRADE): {LEVELS[judged[fid]['level']]}.", (page, fid, line)
                href = item.xpath("./p[1]//span[@class='atlas-certainty']/a/@href")[0]
                assert href.endswith(f"methods/#certainty-{judged[fid]['id']}")
            elif fid in findings:
                assert line == "Certainty of evidence: not yet graded.", (page, fid)
            checked += 1
    assert checked


def test_methods_lists_every_judgement_with_a_reason_per_domain(any_site):
    tree = lxml.html.fromstring((any_site.site / "methods" / "index.html").read_text(encoding="utf-8"))
    rows = {tr.get("id"): tr for tr in tree.xpath("//div[@id='table-certainty']//tbody/tr")}
    for cid, c in raw_records(any_site.data, "certainty").items():
        row = rows[f"certainty-{cid}"]
        text = " ".join(row.text_content().split())
        assert LEVELS[c["level"]] in text
        for reason in c["reasons"].values():
            assert " ".join(reason.split()) in text


def test_later_findings_carry_their_judgement_and_the_appraisal_counts_of_their_works(any_site):
    refs = raw_records(any_site.data, "references")
    findings = raw_records(any_site.data, "findings")
    judged = {c["later_topic"]: c for c in raw_records(any_site.data, "certainty").values() if c.get("later_topic")}
    reviews = {r["source"]["document"] for case in raw_records(any_site.data, "cases").values()
               for r in [*case.get("series", []), *case.get("patients", [])] if r["source"]["document"] != case["reference"]}
    for topic, c in judged.items():
        works = sorted({f["source"]["document"] for f in findings.values()
                        if f["topic"] == topic and f["source"]["document"] not in reviews})
        if not works:
            continue
        page = any_site.site / "topics" / topic / "index.html"
        tree = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        text = " ".join(tree.xpath("string(//p[@id='certainty-of-later-reports'])").split())
        assert text.startswith(f"Certainty of this evidence (GRADE): {LEVELS[c['level']]}:"), text
        answers = Counter(i["answer"] for w in works for i in refs[w]["iscm"].get("appraisal", {}).get("items", []))
        expected = f"{answers['yes']} of {sum(answers.values())} items answered yes"
        assert f"the {len(works)} work" in text and expected in text, (topic, text)
        assert re.search(rf"{answers['unclear']} unclear", text)
