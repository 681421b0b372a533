"""What contributors add, as files: the CI of a contributor's pull request, rehearsed.

Three valid records of different kinds (a new surgical series, a patient of another primary site with
the case-report fields, a work the review does not cite), the case the guide's worked example
scaffolds, the kidney-cancer case of the guide's answer file (scaffolded from that file), and
publications whose free-text fields carry markup and template syntax. Tests build the
project with all of them once (conftest.contributed_site) and run the same site checks as on the
seed data: nothing in them may be pinned to today's totals.
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

SERIES_REFERENCE = """\
id: contrib-series-2021
type: article-journal
author:
  - {family: Series, given: S.}
issued: {date-parts: [[2021]]}
title: Surgery of intramedullary metastases, a contributed series
iscm:
  et_al: true
  metadata: {confidence: partial, source: test fixture}
"""
SERIES_CASE = """\
id: contrib-series-2021
reference: contrib-series-2021
series:
  - id: contrib-series-2021-s1
    surgically_treated: 3
    primary_sites: {prostate: 1, lung: 1}
    source: {document: contrib-series-2021, page: "2"}
"""
PATIENT_REFERENCE = """\
id: contrib-patient-2022
type: article-journal
author:
  - {family: Patient, given: P.}
issued: {date-parts: [[2022]]}
title: A cervical intramedullary metastasis of lung cancer
iscm:
  metadata: {confidence: partial, source: test fixture}
"""
PATIENT_CASE = """\
id: contrib-patient-2022
reference: contrib-patient-2022
series:
  - id: contrib-patient-2022-s1
    surgically_treated: 1
    primary_sites: {lung: 1}
    source: {document: contrib-patient-2022}
patients:
  - id: contrib-patient-2022-p1
    age: 61
    sex: male
    segments: [C7]
    primary_site: lung
    histology: non-small-cell-carcinoma
    surgery: true
    resection: gross-total
    radiotherapy: true
    chemotherapy: false
    outcome: improvement
    survival_months: 18
    alive: true
    months_from_primary_diagnosis: 14
    source: {document: contrib-patient-2022}
"""
WORK_REFERENCE = """\
id: contrib-work-2023
type: article-journal
author:
  - {family: Work, given: W.}
issued: {date-parts: [[2023]]}
title: A work the review does not cite
container-title: Contrib J
DOI: 10.5555/contrib.2023
iscm:
  metadata: {confidence: verified, source: test fixture}
"""
def schema_line(kind: str) -> str:
    """The first line every data file carries, naming its schema for editors (checked by make validate)."""
    return f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"


THREE_RECORDS = {
    "references/contrib-series-2021.yaml": schema_line("reference") + SERIES_REFERENCE,
    "cases/contrib-series-2021.yaml": schema_line("case") + SERIES_CASE,
    "references/contrib-patient-2022.yaml": schema_line("reference") + PATIENT_REFERENCE,
    "cases/contrib-patient-2022.yaml": schema_line("case") + PATIENT_CASE,
    "references/contrib-work-2023.yaml": schema_line("reference") + WORK_REFERENCE,
}
PAYLOADS = ['<script>alert("x")</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>',
            '</title><script>alert(1)</script>', '{{ config }}',
            'x\n<!-- /atlas:html -->\n<script>alert(2)</script>']  # the last would end a finished block early


def hostile_files(index: int, payload: str) -> dict[str, str]:
    """A valid publication whose every free-text field carries `payload`."""
    rid = f"hostile-{2091 + index}"
    quoted = yaml.safe_dump(payload).strip().removesuffix("...").strip()
    reference = (f"id: {rid}\ntype: article-journal\ntitle: {quoted}\ncontainer-title: {quoted}\nauthor:\n"
                 f"  - family: {quoted}\n    given: H.\nissued:\n  date-parts: [[2091]]\niscm:\n  printed_as: {quoted}\n"
                 f"  metadata:\n    confidence: seed-only\n    source: {quoted}\n")
    case = (f"id: {rid}\nreference: {rid}\npatients:\n  - id: {rid}-p1\n    age: 50\n    level: null\n"
            "    primary_site: null\n    surgery: null\n    radiotherapy: null\n    chemotherapy: null\n    outcome: null\n"
            f"    survival_months: null\n    alive: null\n    source: {{document: {rid}}}\n    notes: [{quoted}]\n")
    return {f"references/{rid}.yaml": schema_line("reference") + reference, f"cases/{rid}.yaml": schema_line("case") + case}


def guide_example(root: Path) -> tuple[list[str], str]:
    """The worked example of CONTRIBUTING.md: its scaffold command and the case file it shows."""
    guide = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("### Worked example", 1)[1]
    command = shlex.split(re.search(r"```sh\n(.*?)```", section, flags=re.S).group(1).replace("\\\n", " "))
    case_yaml = re.search(r"```yaml\n(.*?)```", section, flags=re.S).group(1)
    return command, case_yaml


def guide_answers(root: Path) -> str:
    """The answer file CONTRIBUTING.md shows under "Adding many works" (a two-author kidney-cancer case report)."""
    guide = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("### Adding many works", 1)[1]
    return re.search(r"```yaml\n(.*?)```", section, flags=re.S).group(1)


def example_id(command: list[str]) -> str:
    """The id the scaffold gives the worked example: its first author's family name and its year."""
    found = re.search(r"--author (\w+),.*?--year (\d+)", " ".join(command))
    return f"{found.group(1).lower()}-{found.group(2)}"


def contribute(project: Path, root: Path) -> subprocess.CompletedProcess:
    """Add everything above to a copy of the project, the worked example through the real scaffold."""
    data = project / "data"
    for relative, text in THREE_RECORDS.items():
        (data / relative).write_text(text, encoding="utf-8")
    for index, payload in enumerate(PAYLOADS):
        for relative, text in hostile_files(index, payload).items():
            (data / relative).write_text(text, encoding="utf-8")
    finding = data / "findings" / "radicular-pain.yaml"  # a finding's label too is free text
    quoted = yaml.safe_dump(PAYLOADS[0]).strip().removesuffix("...").strip()
    finding.write_text(re.sub(r"^label: .*$", f"label: {quoted}", finding.read_text(encoding="utf-8"), flags=re.M),
                       encoding="utf-8")
    command, _ = guide_example(root)
    for folder in ("references", "cases"):  # a contributor who followed the guide already has it: scaffold it anew
        (data / folder / f"{example_id(command)}.yaml").unlink(missing_ok=True)
    proc = subprocess.run([sys.executable, *command[1:]], cwd=project, capture_output=True, text=True, timeout=120)
    if proc.returncode:
        return proc
    answers = project.parent / "answers.yaml"  # the guide's answer file, as a contributor would save it
    answers.write_text(guide_answers(root), encoding="utf-8")
    for work in yaml.safe_load(guide_answers(root))["works"]:  # already added by a contributor: scaffold it anew
        family, year = str(work["authors"][0]).split(",")[0].lower(), work["year"]
        for folder in ("references", "cases"):
            (data / folder / f"{work.get('id') or f'{family}-{year}'}.yaml").unlink(missing_ok=True)
    return subprocess.run([sys.executable, "scripts/new_case.py", "--answers", str(answers)], cwd=project,
                          capture_output=True, text=True, timeout=120)
