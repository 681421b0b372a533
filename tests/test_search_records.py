"""The atlas's own search as data: search runs and screened works are checked like every data file, an appraisal
answers its checklist, and the PRISMA flow is counted from the records (numbers worked out here by hand), drawn and
shown on /methods/ with its numbers."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project, run_build
from lxml import html as lxml_html

from iscm_atlas.content.prisma import flow_counts
from iscm_atlas.data.dataset import load_dataset

ROOT = Path(__file__).resolve().parent.parent
HEAD = "# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"
SEARCHES = {
    "search-2026-01-10-01": 'date: "2026-01-10"\nsource: A test collection\nquery: intramedullary metastasis\nhits: 6\n',
    "search-2026-01-10-02": 'date: "2026-01-10"\nsource: A test collection\nquery: spinal cord metastasis case\nhits: 3\n',
}
SCREENED = {  # 6 distinct works from 9 records: 3 duplicates; 1 included, 3 excluded, 1 not retrievable, 1 awaiting
    "kept-2019": "decision: included\nreference: kept-2019\n",
    "extra-2018": "decision: excluded\nreason: not-intramedullary\n",
    "glioma-2020": "decision: excluded\nreason: primary-cns-tumour\n",
    "old-2005": "decision: excluded\nreason: published-before-2009\n",
    "lost-2021": "decision: excluded\nreason: not-retrievable\n",
    "later-2022": "decision: awaiting-extraction\n",
}
REFERENCE = ("id: kept-2019\ntype: article-journal\nauthor:\n  - {family: Kept, given: K.}\nissued: {date-parts: [[2019]]}\n"
             "iscm:\n  design: case-report\n  metadata: {confidence: partial, source: 'https://example.org/kept'}\n"
             "  appraisal:\n    checklist: jbi-case-report\n    items:\n"
             + "".join(f"      - {{answer: \"yes\", reason: item {n} reported}}\n" for n in range(1, 9)))


def write_records(data: Path) -> None:
    (data / "searches").mkdir(exist_ok=True)
    (data / "screening").mkdir(exist_ok=True)
    for sid, text in SEARCHES.items():
        (data / "searches" / f"{sid}.yaml").write_text(HEAD.format(kind="search") + f"id: {sid}\n" + text, encoding="utf-8")
    for wid, text in SCREENED.items():
        (data / "screening" / f"{wid}.yaml").write_text(
            HEAD.format(kind="screening") + f"id: {wid}\naddress: https://example.org/{wid}\ntitle: Work {wid}\n"
            "found_by: [search-2026-01-10-01]\n" + text, encoding="utf-8")
    (data / "references" / "kept-2019.yaml").write_text(HEAD.format(kind="reference") + REFERENCE, encoding="utf-8")


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / ".yamllint.yaml", tmp_path / ".yamllint.yaml")
    for folder in ("searches", "screening"):  # the fixture's own search record only
        shutil.rmtree(tmp_path / "data" / folder, ignore_errors=True)
    write_records(tmp_path / "data")
    return tmp_path / "data"


def validate(data: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), str(data)], capture_output=True,
                          text=True)


def test_a_work_whose_finding_search_is_not_recorded_is_still_a_record(data):
    file = data / "screening" / "later-2022.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("found_by: [search-2026-01-10-01]\n", ""), encoding="utf-8")
    assert validate(data).returncode == 0


def test_the_flow_is_counted_from_the_records(data):
    assert validate(data).returncode == 0
    counts = flow_counts(load_dataset(data).dataset)
    assert (counts["identified"], counts["duplicates"], counts["screened"], counts["not_retrieved"],
            counts["included"], counts["awaiting"], counts["last"]) == (9, 3, 6, 1, 1, 1, "2026-01-10")
    assert counts["excluded"] == {"not-intramedullary": 1, "primary-cns-tumour": 1, "published-before-2009": 1}


@pytest.mark.parametrize("edit, message", [
    (("screening/extra-2018.yaml", "reason: not-intramedullary\n", ""), "the file is missing the required field 'reason'"),
    (("screening/extra-2018.yaml", "reason: not-intramedullary", "reason: off-topic"), "reason"),
    (("screening/later-2022.yaml", "found_by: [search-2026-01-10-01]\n", "found_by: [search-2026-01-10-01]\nfound_by: []\n"),
     "found_by"),
    (("screening/later-2022.yaml", "decision: awaiting-extraction\n", "decision: awaiting-extraction\nreason: not-retrievable\n"),
     "reason"),
    (("screening/kept-2019.yaml", "[search-2026-01-10-01]", "[search-2099-01-01-01]"),
     "unknown search 'search-2099-01-01-01'; add data/searches/search-2099-01-01-01.yaml first"),
    (("references/kept-2019.yaml", "      - {answer: \"yes\", reason: item 8 reported}\n", ""),
     "jbi-case-report has 8 items; answer each once, in order (7 given)"),
    (("references/kept-2019.yaml", "design: case-report", "design: cohort"),
     "checklist jbi-case-report does not fit the design cohort"),
])
def test_a_wrong_record_gets_its_message(data, edit, message):
    path, old, new = edit
    file = data / path
    file.write_text(file.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    proc = validate(data)
    assert proc.returncode == 1 and message in proc.stdout and "Traceback" not in proc.stdout + proc.stderr


def test_methods_shows_the_flow_the_runs_and_the_works(tmp_path):
    project = copy_project(tmp_path / "project")
    for folder in ("searches", "screening"):
        shutil.rmtree(project / "data" / folder, ignore_errors=True)
    write_records(project / "data")
    build = run_build(project, tmp_path / "site")
    assert build.returncode == 0, build.output
    page = lxml_html.parse(str(tmp_path / "site" / "methods" / "index.html"))
    caption = " ".join(page.xpath("string(//figure[@id='figure-prisma-flow']//figcaption)").split())
    assert ("6 works screened, 1 not retrieved, 3 excluded with a reason, 1 eligible but not yet read twice (not in the "
            "data until they are), 1 included") in caption
    assert len(page.xpath("//div[@id='table-searches']//tbody/tr")) == 2
    assert len(page.xpath("//div[@id='table-screening']//tbody/tr")) == 6
    svg = (tmp_path / "site" / "figures" / "prisma-flow.svg").read_text(encoding="utf-8")
    assert "(n = 9)" in svg and "(n = 1)" in svg
    currency = " ".join(page.xpath("string(//p[@class='atlas-currency'])").split())
    assert ("the atlas's own search: to 2026-01-10; 1 eligible work found by it not yet read twice, so not yet in the "
            "data") in currency
    reference = lxml_html.parse(str(tmp_path / "site" / "references" / "kept-2019" / "index.html"))
    assert len(reference.xpath("//div[@id='table-appraisal']//tbody/tr")) == 8
