"""Contributing by pull request: the guide, the scaffold, editor hints, CI workflows, and a new case
going from nothing to published pages by following the guide literally."""
from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_project, load_yaml, run_build, run_zensical_build
from htmlread import page_text, read, rows_over_parts, table_rows

README_COMMANDS = {"make site", "make test"}


def schema_fields(schema: dict, prefix: str = "") -> list[tuple[str, dict]]:
    """Every property path of a JSON Schema, walked here independently of iscm_atlas.fieldref."""
    found = []
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        found.append((path, sub))
        found += schema_fields(sub, path)
        if isinstance(sub.get("items"), dict):
            found += schema_fields(sub["items"], path + "[]")
    return found


@pytest.mark.parametrize("kind", ["case", "reference", "finding", "vocabulary", "search", "screening", "certainty"])
def test_every_schema_field_is_documented_on_the_contribute_page(built_site, kind):
    schema = json.loads((ROOT / "data" / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    reader = read(built_site.site / "contribute" / "index.html")
    documented = {cells[0]: cells[3] for row, cells in reader.rows.items() if row.startswith(f"field-{kind}-")}
    for path, sub in schema_fields(schema):
        assert sub.get("description"), f"{kind}: {path} has no description in the schema"
        assert documented.get(path) == sub["description"], f"{kind}: {path} is not documented on /contribute/"


def test_contribute_page_is_the_guide(built_site):
    text = page_text(built_site.site / "contribute" / "index.html")
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for heading in re.findall(r"^#+ (.+)$", guide, flags=re.M):
        assert heading in text
    assert "<!-- field-reference -->" not in (built_site.site / "contribute" / "index.html").read_text(encoding="utf-8")


def workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["ci.yml"])
def test_workflows_are_valid_and_run_only_the_readme_commands(name):
    flow = workflow(name)
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers and flow["jobs"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in README_COMMANDS:
        assert command in readme
    runs = [step["run"].strip() for job in flow["jobs"].values() for step in job["steps"] if "run" in step]
    assert runs and set(runs) <= README_COMMANDS
    for job in flow["jobs"].values():
        for step in job["steps"]:
            assert ("run" in step) != ("uses" in step), step


def test_ci_runs_on_pull_requests_and_main_and_uploads_the_site():
    flow = workflow("ci.yml")
    triggers = flow.get("on", flow.get(True))
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    steps = [s for job in flow["jobs"].values() for s in job["steps"]]
    assert [s["run"] for s in steps if "run" in s] == ["make test", "make site"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "site/"


def test_deploy_publishes_each_release_at_its_own_path_with_mike():
    """A release tag deploys the version of CITATION.cff with mike, moving `latest` to it; the published
    address is given (no preview), and only this job may write (to the gh-pages branch)."""
    flow = workflow("deploy.yml")
    assert flow.get("on", flow.get(True))["push"]["tags"] == ["v*"]
    assert flow["permissions"] == {"contents": "read"}
    (job,) = flow["jobs"].values()
    assert job["permissions"] == {"contents": "write"}
    run = "\n".join(step["run"] for step in job["steps"] if "run" in step)
    assert 'mike deploy --push --update-aliases "$VERSION" latest' in run and "CITATION.cff" in run
    env = next(step["env"] for step in job["steps"] if "mike deploy" in step.get("run", ""))
    assert env["SITE_URL"].startswith("https://") and env["ATLAS_VERSIONS"] == "mike"


@pytest.mark.parametrize("name", ["report-case.yml", "correct-data.yml"])
def test_issue_forms_are_well_formed(name):
    form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
    assert form["name"] and form["description"] and form["body"]
    ids = [item["id"] for item in form["body"] if "id" in item]
    assert len(ids) == len(set(ids))
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert "label" in item["attributes"] or item["type"] == "markdown"


def test_pull_request_template_has_a_checklist():
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert text.count("- [ ]") >= 4 and "make validate" in text


def test_yamllint_passes_on_the_repository_yaml():
    proc = subprocess.run([sys.executable, "-m", "yamllint", "-c", str(ROOT / ".yamllint.yaml"), "data", ".github",
                           "mkdocs.yml", ".pre-commit-config.yaml"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_pre_commit_runs_the_validator_and_yamllint():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert "yamllint" in hooks and "scripts/validate.py" in hooks["iscm-validate"]["entry"]


KIND_OF_FOLDER = {"cases": "case", "references": "reference", "findings": "finding", "vocabularies": "vocabulary",
                  "searches": "search", "screening": "screening", "certainty": "certainty"}


def test_every_data_file_names_its_schema_for_editors():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for folder, kind in KIND_OF_FOLDER.items():
        assert settings[f"./data/schemas/{kind}.schema.json"] == f"data/{folder}/*.yaml"
        for path in (ROOT / "data" / folder).glob("*.yaml"):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json", path


def scaffold(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "new_case.py"), "--data", str(data), *args],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)


@pytest.fixture
def data(project_copy) -> Path:
    return project_copy / "data"


READ = ("--read-from", "https://example.org/paper", "--read-on", "2026-01-15", "--text", "abstract",
        "--confidence", "partial")


@pytest.mark.parametrize("args, existing, why", [
    (["--doi", "10.1038/SJ.SC.3102105"], "grasso-2007", "same DOI"),
    (["--pmid", "17310265"], "lee-2007", "same PMID"),
    (["--title", "Retrospective study of 19 patients with intramedullary spinal cord metastasis",
      "--author", "Dam-Hieu, P.", "--year", "2009", "--id", "dam-hieu-2009b"], "dam-hieu-2009", "same first author, year and title"),
    (["--author", "Silva, Y. J.", "--year", "1967"], "silva-1967", "already has the id"),
])
def test_scaffold_refuses_a_duplicate_and_names_the_file(data, args, existing, why):
    base = {"--author": "Someone, S.", "--year": "2007"}
    for key, value in zip(args[::2], args[1::2]):
        base[key] = value
    proc = scaffold(data, *[x for kv in base.items() for x in kv], *READ, "--series-count", "1", "--sites", "lung=1")
    assert proc.returncode == 1
    assert f"data/references/{existing}.yaml" in proc.stderr and why in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (data / "references" / "someone-2007.yaml").exists()


def test_check_names_a_work_already_in_the_data_and_writes_nothing(data):
    before = sorted(p.name for p in (data / "references").iterdir())
    found = scaffold(data, "--check", "--doi", "10.1038/SJ.SC.3102105")
    assert found.returncode == 0 and "data/references/grasso-2007.yaml" in found.stdout
    maybe = scaffold(data, "--check", "--author", "Lee, S. S.", "--year", "2007")
    assert "data/references/lee-2007.yaml" in maybe.stdout
    new = scaffold(data, "--check", "--doi", "10.5555/not.here")
    assert new.returncode == 0 and new.stdout.startswith("Not in the data")
    assert sorted(p.name for p in (data / "references").iterdir()) == before


def test_scaffold_without_options_and_without_answers_explains_itself(data):
    proc = scaffold(data)
    assert proc.returncode == 1 and "give the metadata as options" in proc.stderr and "Traceback" not in proc.stderr


def test_scaffold_checks_its_files_and_writes_nothing_invalid(data):
    proc = scaffold(data, "--author", "Someone, S.", "--year", "2020", *READ, "--series-count", "1",
                    "--sites", "lungs=1")
    assert proc.returncode == 1
    assert "unknown primary site 'lungs'; did you mean 'lung'?" in proc.stderr
    assert not (data / "cases" / "someone-2020.yaml").exists()


def test_scaffold_asks_what_was_read_and_writes_nothing_unasked(data):
    """Without the address, the date, what was read and the confidence, nothing is written; with them, each is
    written as given (never a confidence the contributor did not choose)."""
    proc = scaffold(data, "--author", "Someone, S.", "--year", "2020", "--series-count", "1", "--sites", "lung=1")
    assert proc.returncode == 1 and "read_from" in proc.stderr and "confidence" in proc.stderr
    assert not (data / "references" / "someone-2020.yaml").exists()
    proc = scaffold(data, "--author", "Someone, S.", "--author", "Other, O.", "--year", "2020", *READ,
                    "--series-count", "1", "--sites", "lung=1")
    assert proc.returncode == 0, proc.stderr
    ref = load_yaml(data / "references" / "someone-2020.yaml")
    assert ref["author"] == [{"family": "Someone", "given": "S."}, {"family": "Other", "given": "O."}]
    assert "et_al" not in ref["iscm"]
    assert ref["iscm"]["metadata"] == {"confidence": "partial", "source": "https://example.org/paper",
                                       "read_on": "2026-01-15", "text": "abstract"}


@pytest.mark.parametrize("given, field, written", [
    ("primary_site=RCC", "primary_site", "kidney"), ("primary_site=renal", "primary_site", "kidney"),
    ("primary_site=NSCLC", "primary_site", "lung"), ("histology=NSCLC", "histology", "non-small-cell-carcinoma"),
    ("segments=Th12", "segments", ["T12"]), ("segments=D11-12", "segments", ["T11-T12"]),
    ("outcome=deterioration", "outcome", "worsening"), ("radiotherapy_technique=CyberKnife", "radiotherapy_technique",
                                                       "stereotactic"),
    ("survival_from=onset of symptoms", "survival_from", "first-symptom"), ("steroids=no", "steroids", False),
])
def test_scaffold_writes_the_id_of_a_printed_form(data, given, field, written):
    extra = ",radiotherapy=yes" if field == "radiotherapy_technique" else ""
    extra += ",survival_months=3" if field == "survival_from" else ""
    proc = scaffold(data, "--author", "Someone, S.", "--year", "2020", *READ, "--patient", given + extra)
    assert proc.returncode == 0, proc.stderr
    assert load_yaml(data / "cases" / "someone-2020.yaml")["patients"][0][field] == written


@pytest.mark.parametrize("printed", ["60s", "about 50", "50-55", ">60"])
def test_an_approximate_value_is_never_made_a_number(data, printed):
    proc = scaffold(data, "--author", "Someone, S.", "--year", "2020", *READ, "--patient", f"age={printed}")
    assert proc.returncode == 0, proc.stderr
    patient = load_yaml(data / "cases" / "someone-2020.yaml")["patients"][0]
    assert patient["age"] is None and patient["notes"] == [f"age printed as '{printed}'"]
    assert f"age '{printed}' is not one exact number" in proc.stdout and "no value is made up" in proc.stdout


def test_answers_can_be_piped_to_the_questions(data):
    answers = ["Piped, P.; Second, S.", "no", "2021", "A piped case", "J P", "", "", "", "", "",
               "https://example.org/piped", "2026-01-15", "full-text", "partial", "0", "1",
               "55", "male", "", "C5", "lung", "", "no", "yes", "no", "unchanged", "", "", "survival_from=not stated"]
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "new_case.py"), "--data", str(data)],
                          input="\n".join(answers) + "\n", capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ref = load_yaml(data / "references" / "piped-2021.yaml")
    assert [a["family"] for a in ref["author"]] == ["Piped", "Second"]
    patient = load_yaml(data / "cases" / "piped-2021.yaml")["patients"][0]
    assert (patient["age"], patient["segments"], patient["outcome"], patient["survival_months"]) == (
        55, ["C5"], "no-improvement", None)


def test_an_answer_file_adds_many_works_or_none(data, tmp_path):
    work = ("  - authors: [\"{name}, A.\"]\n    year: 2019\n    read_from: https://example.org/{name}\n"
            "    read_on: \"2026-01-15\"\n    text: abstract\n    confidence: partial\n    patients:\n"
            "      - {{primary_site: {site}, surgery: no}}\n")
    good = tmp_path / "good.yaml"
    good.write_text("works:\n" + work.format(name="First", site="renal") + work.format(name="Second", site="prostate"),
                    encoding="utf-8")
    proc = scaffold(data, "--answers", str(good))
    assert proc.returncode == 0, proc.stderr
    assert load_yaml(data / "cases" / "first-2019.yaml")["patients"][0]["primary_site"] == "kidney"
    assert load_yaml(data / "cases" / "second-2019.yaml")["patients"][0]["surgery"] is False
    bad = tmp_path / "bad.yaml"
    bad.write_text("works:\n" + work.format(name="Third", site="lung") + work.format(name="Fourth", site="lugn"),
                   encoding="utf-8")
    proc = scaffold(data, "--answers", str(bad))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{bad}:17:24: unknown primary site 'lugn'; did you mean 'lung'?" in proc.stderr
    assert not (data / "references" / "third-2019.yaml").exists()


def worked_example() -> str:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("### Worked example", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, flags=re.S).group(1)


def test_a_case_added_by_following_the_guide_is_published_everywhere(contributed_project, contributed_site):
    """The guide's worked example, run through the scaffold (tests/contributions.py), then built with the
    other contributions: the file is the one the guide shows, valid, and on every page and export."""
    from contributions import guide_example

    command, guide_yaml = guide_example(ROOT)
    assert command[:2] == [".venv/bin/python", "scripts/new_case.py"]
    written = (contributed_project / "data" / "cases" / "example-2025.yaml").read_text(encoding="utf-8")
    assert written == guide_yaml, "the guide's example case file differs from what the scaffold writes"
    validate = subprocess.run([sys.executable, "scripts/validate.py"], cwd=contributed_project, capture_output=True,
                              text=True)
    assert validate.returncode == 0, validate.stdout

    site = contributed_site.site
    case = load_yaml(contributed_project / "data" / "cases" / "example-2025.yaml")
    series = table_rows(site, "cases/surgical-series", "later-series")[0]  # the table's parts, if it is cut
    assert series["series-example-2025-s1"]["Surgically treated (patients)"] == str(case["series"][0]["surgically_treated"])
    # the review's own tables keep only its rows; a new case is in All patients
    assert "series-example-2025-s1" not in table_rows(site, "cases/surgical-series", "surgical-series")[0]
    assert "patient-example-2025-p1" not in table_rows(site, "cases/breast-carcinoma", "breast-carcinoma")[0]
    patient = table_rows(site, "cases/all-patients", "all-patients")[0]["patient-example-2025-p1"]
    p = case["patients"][0]
    assert [patient[k] for k in ("Age (years)", "Surgery of the metastasis", "Radiotherapy", "Chemotherapy")] == [
        str(p["age"]), *("yes" if p[k] else "no" for k in ("surgery", "radiotherapy", "chemotherapy"))]
    # the case-report fields it carries are shown, not buried: sex, exact segment, histology, extent of resection
    assert patient["Sex"] == p["sex"] and patient["Level"] == ", ".join(p["segments"])
    assert patient["Histology"].lower().replace(" ", "-") == p["histology"]
    assert patient["Extent of resection"].lower().startswith(p["resection"].split("-")[0])
    figures = read(site / "cases" / "index.html").rows
    raw = [load_yaml(f) for f in sorted((contributed_project / "data" / "cases").glob("*.yaml"))]
    assert figures["figure-surgical-cases-all"][1] == str(sum(s["surgically_treated"] for c in raw for s in c.get("series", [])))
    assert figures["figure-breast-patients-all"][1] == str(
        sum(1 for c in raw for q in c.get("patients", []) if q["primary_site"] == "breast"))
    breast = rows_over_parts(site, "sites/breast")
    assert "series-example-2025-s1" in breast and "patient-example-2025-p1" in breast
    reference = page_text(site / "references" / "example-2025" / "index.html")
    assert "Intramedullary metastasis of breast carcinoma: an example case" in reference
    exports = [p for p in (site / "downloads").iterdir() if p.is_file() and p.suffix != ".html"]
    assert exports
    for export in exports:
        assert "example-2025" in export.read_text(encoding="utf-8"), export.name
    patients_csv = (site / "downloads" / "patients.csv").read_text(encoding="utf-8")
    assert "ductal-carcinoma" in patients_csv and ",T4," in patients_csv and "gross-total" in patients_csv
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(doc["location"].startswith("references/example-2025/") for doc in index["docs"])


def test_the_guide_carries_the_current_field_reference():
    """CONTRIBUTING.md holds the field reference itself, generated from the schemas (make guide)."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_guide.py"), "--check"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for field in ("`patients[].segments`", "`patients[].sex`", "`DOI`", "`statement`"):
        assert field in guide.split("## Field reference", 1)[1]


def test_every_macro_is_documented_for_authors():
    """Each macro of the registry (define_env) is listed in CONTRIBUTING.md with what it shows."""
    from iscm_atlas.render.macros import macro_registry

    section = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").split("<!-- macro-reference -->", 1)[1]
    for name, fn in macro_registry(ROOT).items():
        assert f"`{{{{ {name}(" in section, name
        assert fn.__doc__ and " ".join(fn.__doc__.split())[:40] in section, name


def test_an_unknown_id_in_a_page_names_the_page_the_id_and_the_closest_ids(project_copy):
    """The same message under both engines: the render step expands the macros for either."""
    page = project_copy / "docs" / "topics" / "diagnosis" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ finding('csf-malignant-cells-grem') }}",
                                                             "{{ finding('csf-malignant-cell-grem') }}"), encoding="utf-8")
    expected = ("docs/topics/diagnosis/index.md: finding(): unknown finding 'csf-malignant-cell-grem'; did you mean "
                "'csf-malignant-cells-grem'")
    build = run_build(project_copy, project_copy.parent / "site")
    assert build.returncode == 1 and "Traceback" not in build.output
    assert expected in build.output
    zensical = run_zensical_build(project_copy, project_copy.parent / "zensical-site")
    assert zensical.returncode == 1 and "Traceback" not in zensical.output
    assert expected in zensical.output


def test_scaffold_asks_again_for_a_wrong_answer(data):
    """In a terminal, a wrong answer is explained and asked again at once (not refused after the last)."""
    import os
    import pty
    import select
    import time

    answers = ["Smith", "Smith, J.", "", "20x", "2021", "A title", "J X", "", "", "", "No DOI", "", "", "the paper",
               "https://example.org/smith", "", "full", "full-text", "partial", "0", "1",
               "61", "f", "female", "C7", "", "C7", "lung", "carcinoid", "nsclc", "yes", "totall", "total", "true",
               "false", "improvement", "18", "true", ""]
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "new_case.py"), "--data", str(data)],
                            stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    for answer in answers:
        os.write(master, (answer + "\n").encode())
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None or select.select([master], [], [], 0.5)[0]:
        if select.select([master], [], [], 0.5)[0]:
            try:
                out += os.read(master, 65536)
            except OSError:
                break
    proc.wait(timeout=30)
    text = out.decode(errors="replace")
    assert proc.returncode == 0, text
    for complaint in ("write each author as 'Family, G.'", "the year is four digits", "'No DOI' is not a DOI",
                      "give the address you read it at", "answer full-text or abstract", "sex must be female or male",
                      "'C7' is an exact segment, not a region", "unknown histology 'carcinoid'",
                      "unknown extent of resection 'totall'; did you mean 'gross-total'?"):
        assert complaint in text and "try again" in text, complaint
    patient = load_yaml(data / "cases" / "smith-2021.yaml")["patients"][0]
    assert patient["segments"] == ["C7"] and "level" not in patient and patient["histology"] == "non-small-cell-carcinoma"
    assert "DOI" not in load_yaml(data / "references" / "smith-2021.yaml")


# The mistakes contributors really make, each answered by one located message and exit 1.
MISTAKES = {
    "unknown vocabulary term": ("primary_site: breast", "primary_site: brest", ":14:", "did you mean 'breast'"),
    "missing reference file": ("reference: example-2025", "reference: exampel-2025", ":3:", "add data/references/exampel-2025.yaml first"),
    "misspelled field": ("  radiotherapy:", "  radiotherapie:", ":18:", "unknown field 'radiotherapie' in patients[0]; did you mean 'radiotherapy'?"),
    "tab indentation": ("  age: 51", "\tage: 51", ":11:", "tab character in the indentation"),
    "broken YAML": ("segments: [T4]", "segments: [T4", ":", "YAML syntax error"),
    "duplicate id": ("- id: example-2025-p1", "- id: example-2025-s1", ":10:", "duplicate id 'example-2025-s1'"),
    "age with its unit": ("age: 51", "age: 51 years", ":11:", "write the number alone, e.g. 51"),
}


@pytest.mark.parametrize("old, new, where, message", MISTAKES.values(), ids=MISTAKES.keys())
def test_common_mistakes_get_one_clear_message(tmp_path, old, new, where, message):
    project = copy_project(tmp_path / "project")
    command = shlex.split(worked_example().replace("\\\n", " "))
    for folder in ("references", "cases"):  # the data may already hold the example (a contributor followed the guide)
        (project / "data" / folder / "example-2025.yaml").unlink(missing_ok=True)
    subprocess.run([sys.executable, *command[1:]], cwd=project, check=True, capture_output=True, timeout=120)
    case = project / "data" / "cases" / "example-2025.yaml"
    text = case.read_text(encoding="utf-8")
    assert old in text
    case.write_text(text.replace(old, new, 1), encoding="utf-8")
    proc = subprocess.run([sys.executable, "scripts/validate.py"], cwd=project, capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[-1] == "1 problem found in the data.", lines
    assert lines[0].startswith("data/cases/example-2025.yaml" + where) and message in lines[0], lines[0]
